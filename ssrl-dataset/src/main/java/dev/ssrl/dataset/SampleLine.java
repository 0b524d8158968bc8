package dev.ssrl.dataset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** A line of {@code train.jsonl} / {@code val.jsonl}. */
public final class SampleLine {
  private SampleLine() {}

  /**
   * The line {@code {"id","task","problem","answer","images","metadata"}}, in that key order.
   *
   * @param images image paths relative to the dataset folder ({@link DatasetFormat#imagePath})
   * @param metadataJson the metadata as written by {@link DatasetJson#write}; inserted as it is, so
   *     numbers keep their exact text
   */
  public static String of(
      String id,
      String task,
      String problem,
      String answer,
      List<String> images,
      String metadataJson) {
    StringWriter w = new StringWriter(256 + problem.length() + metadataJson.length());
    try (JsonGenerator g = DatasetJson.MAPPER.getFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("task", task);
      g.writeStringField("problem", problem);
      g.writeStringField("answer", answer);
      g.writeArrayFieldStart("images");
      for (String p : images) {
        g.writeString(p);
      }
      g.writeEndArray();
      g.writeFieldName("metadata");
      g.writeRawValue(metadataJson);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * The same line with other image paths: every other value keeps its exact text (the metadata as
   * the line holds it), as when the line was written by {@link #of}. For a writer that moves a
   * dataset's samples to another folder whose lines name images by absolute path (ssrl curate).
   *
   * @throws IOException if the line is not a sample line
   */
  public static String withImages(String line, List<String> images) throws IOException {
    JsonNode n = DatasetJson.MAPPER.readTree(line);
    for (String key : List.of("id", "task", "problem", "answer")) {
      if (n == null || !n.path(key).isTextual()) {
        throw new IOException("not a sample line: field '" + key + "' is missing or not a string");
      }
    }
    return of(
        n.get("id").asText(),
        n.get("task").asText(),
        n.get("problem").asText(),
        n.get("answer").asText(),
        images,
        ParquetExport.rawValue(line, "metadata"));
  }
}
