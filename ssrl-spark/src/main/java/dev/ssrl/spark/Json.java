package dev.ssrl.spark;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON with the Jackson that Spark provides, configured as the CLI's (compact, insertion-ordered,
 * UTF-8), so that a line written here has the bytes the CLI would write for the same sample.
 */
final class Json {
  private Json() {}

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .build();

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The dataset line of a sample, keys in the CLI's order; {@code metadataJson} is inserted as it
   * is (it was written by {@link #write}), so numbers keep their exact text.
   */
  static String sampleLine(
      String id,
      String task,
      String problem,
      String answer,
      List<String> images,
      String metadataJson) {
    StringWriter w = new StringWriter(256 + problem.length() + metadataJson.length());
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
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

  /** A line of {@code rejects.jsonl}: the CLI's keys, plus the source file of the scene. */
  static String rejectLine(String scene, String task, int variant, String reason, String source) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("scene", scene);
    m.put("task", task);
    m.put("variant", variant);
    m.put("reason", reason);
    if (source != null) {
      m.put("source", source);
    }
    return write(m);
  }
}
