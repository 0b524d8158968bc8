package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.dataset.EasyR1Layout;
import dev.ssrl.dataset.ParquetExport;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.dataset.TrlLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --trl}, {@code --easyr1} and {@code --image-paths}: every row of the layouts, read back
 * with parquet-mr's own reader, against its JSONL line and image files.
 */
class TrainerLayoutsTest {
  @TempDir Path tmp;

  static Path generate(Path out, String imagePaths) {
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "crop,shuffle,flip,position",
            "--builtin-scenes",
            "6",
            "--val-fraction",
            "0.4",
            "--seed",
            "5",
            "--trl",
            "--easyr1",
            "--parquet",
            "--verl",
            "--image-paths",
            imagePaths);
    assertEquals(0, r.status, r::toString);
    return out;
  }

  @Test
  void relativeLayoutsMatchTheLinesRowByRow() throws IOException {
    Path out = generate(tmp.resolve("rel"), "relative");
    checkAll(out, false);
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals("relative", manifest.get("config").get("imagePaths").asText());
    assertTrue(manifest.get("config").get("trl").asBoolean());
    assertTrue(manifest.get("config").get("easyr1").asBoolean());
    List<String> files = new ArrayList<>();
    manifest.get("files").forEach(f -> files.add(f.asText()));
    assertTrue(
        files.containsAll(
            List.of(
                "trl/train.parquet",
                "trl/val.parquet",
                "easyr1/train.parquet",
                "easyr1/test.parquet")),
        files::toString);
  }

  @Test
  void absoluteImagePathsNameTheFilesFromAnyWorkingDirectory() throws IOException {
    Path out = generate(tmp.resolve("abs"), "absolute");
    checkAll(out, true);
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals("absolute", manifest.get("config").get("imagePaths").asText());
    // The generic Parquet copy and verl's structs name the images as the lines do.
    List<JsonNode> train = GenerateTest.lines(out.resolve("train.jsonl"));
    List<Group> generic = ParquetRead.rows(out.resolve("train.parquet"));
    List<Group> verl = ParquetRead.rows(out.resolve("verl/train.parquet"));
    for (int i = 0; i < train.size(); i++) {
      String first = train.get(i).get("images").get(0).asText();
      assertEquals(
          first, generic.get(i).getGroup("images", 0).getGroup("list", 0).getString("element", 0));
      assertEquals(
          first,
          verl.get(i)
              .getGroup("images", 0)
              .getGroup("list", 0)
              .getGroup("element", 0)
              .getString("path", 0));
    }
  }

  @Test
  void aBadImagePathsValueIsAUsageError() {
    Cli r =
        Cli.run(
            "generate",
            "--out",
            tmp.resolve("bad").toString(),
            "--builtin-scenes",
            "1",
            "--image-paths",
            "abs");
    assertEquals(2, r.status, r::toString);
    assertTrue(
        r.err.contains("--image-paths must be relative or absolute, got 'abs'"), r::toString);
  }

  /** A line whose placeholders do not match its images names the file and the line. */
  @Test
  void placeholderCountOtherThanImageCountNamesTheLine() throws IOException {
    Path root = tmp.resolve("ds");
    Files.createDirectories(root.resolve("images/t"));
    Files.write(root.resolve("images/t/a.jpg"), new byte[] {1, 2, 3});
    Path jsonl = root.resolve("train.jsonl");
    Files.writeString(
        jsonl,
        "{\"id\":\"a\",\"task\":\"t\",\"problem\":\"<image> and <image>\",\"answer\":\"A\","
            + "\"images\":[\"images/t/a.jpg\"],\"metadata\":{}}\n",
        StandardCharsets.UTF_8);
    for (TrainerLayout layout : List.of(new TrlLayout(), new EasyR1Layout())) {
      Path target = root.resolve("x-" + layout.name() + ".parquet");
      IOException e =
          assertThrows(
              IOException.class, () -> ParquetExport.write(layout, jsonl, target, "train", root));
      assertTrue(e.getMessage().contains(jsonl + " line 1"), e::getMessage);
      assertTrue(
          e.getMessage().contains("sample a: problem has 2 <image> placeholders but 1 images"),
          e::getMessage);
      assertFalse(Files.exists(target));
    }
  }

  static void checkAll(Path out, boolean absolute) throws IOException {
    assertEquals(Set.of("train.parquet", "test.parquet"), names(out.resolve("easyr1")));
    assertEquals(Set.of("train.parquet", "val.parquet"), names(out.resolve("trl")));
    int fiveImageRows = 0;
    for (String split : List.of("train", "val")) {
      List<JsonNode> lines = GenerateTest.lines(out.resolve(split + ".jsonl"));
      assertFalse(lines.isEmpty(), split);
      List<Group> trl = ParquetRead.rows(out.resolve("trl/" + split + ".parquet"));
      String easy = split.equals("val") ? "test" : split;
      List<Group> easyR1 = ParquetRead.rows(out.resolve("easyr1/" + easy + ".parquet"));
      assertEquals(lines.size(), trl.size());
      assertEquals(lines.size(), easyR1.size());
      for (int i = 0; i < lines.size(); i++) {
        JsonNode line = lines.get(i);
        checkImagePaths(out, line, absolute);
        checkTrlRow(out, line, trl.get(i));
        checkEasyR1Row(out, line, easyR1.get(i));
        if (line.get("images").size() == 5) {
          fiveImageRows++;
        }
      }
    }
    assertTrue(fiveImageRows > 0, "crop's 5-image rows are among the checked rows");
    for (String f :
        List.of(
            "trl/train.parquet",
            "easyr1/train.parquet",
            "trl/val.parquet",
            "easyr1/test.parquet")) {
      checkFooter(out.resolve(f), f.startsWith("trl"));
    }
  }

  private static void checkImagePaths(Path out, JsonNode line, boolean absolute) {
    for (JsonNode p : line.get("images")) {
      Path image = Path.of(p.asText());
      assertEquals(absolute, image.isAbsolute(), p::asText);
      Path file = out.resolve(image);
      assertTrue(Files.isRegularFile(file), p::asText);
      if (absolute) {
        assertTrue(image.startsWith(out.toAbsolutePath()), p::asText);
      }
    }
  }

  /** Content blocks: text and image in placeholder order; images: the files' bytes, in order. */
  private static void checkTrlRow(Path out, JsonNode line, Group row) throws IOException {
    Group prompt = row.getGroup("prompt", 0);
    assertEquals(1, prompt.getFieldRepetitionCount("list"));
    Group message = prompt.getGroup("list", 0).getGroup("element", 0);
    assertEquals("user", message.getString("role", 0));
    Group content = message.getGroup("content", 0);
    StringBuilder back = new StringBuilder();
    int imageBlocks = 0;
    for (int b = 0; b < content.getFieldRepetitionCount("list"); b++) {
      Group block = content.getGroup("list", b).getGroup("element", 0);
      String type = block.getString("type", 0);
      if (type.equals("image")) {
        assertEquals(0, block.getFieldRepetitionCount("text"), "an image block has no text");
        back.append("<image>");
        imageBlocks++;
      } else {
        assertEquals("text", type);
        String text = block.getString("text", 0);
        assertFalse(text.isEmpty());
        back.append(text);
      }
    }
    String problem = line.get("problem").asText();
    assertEquals(problem, back.toString(), "blocks read back as the problem");
    assertEquals(GenerateTest.placeholders(problem), imageBlocks);
    assertEquals(line.get("images").size(), imageBlocks);
    checkImages(out, line, row);
    checkCommon(line, row);
  }

  private static void checkEasyR1Row(Path out, JsonNode line, Group row) throws IOException {
    assertEquals(line.get("problem").asText(), row.getString("prompt", 0));
    checkImages(out, line, row);
    checkCommon(line, row);
  }

  private static void checkImages(Path out, JsonNode line, Group row) throws IOException {
    Group images = row.getGroup("images", 0);
    assertEquals(line.get("images").size(), images.getFieldRepetitionCount("list"));
    for (int k = 0; k < line.get("images").size(); k++) {
      Group image = images.getGroup("list", k).getGroup("element", 0);
      String p = line.get("images").get(k).asText();
      assertEquals(p, image.getString("path", 0));
      assertArrayEquals(Files.readAllBytes(out.resolve(p)), image.getBinary("bytes", 0).getBytes());
    }
  }

  private static void checkCommon(JsonNode line, Group row) throws IOException {
    assertEquals(line.get("id").asText(), row.getString("id", 0));
    assertEquals(line.get("task").asText(), row.getString("task", 0));
    assertEquals(line.get("answer").asText(), row.getString("answer", 0));
    assertEquals(line.get("metadata"), Json.MAPPER.readTree(row.getString("metadata", 0)));
  }

  /** The footer names the Hugging Face features: images as Image, one entry per column. */
  private static void checkFooter(Path file, boolean trl) throws IOException {
    Map<String, String> kv;
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      kv = r.getFooter().getFileMetaData().getKeyValueMetaData();
    }
    JsonNode features = Json.MAPPER.readTree(kv.get("huggingface")).get("info").get("features");
    List<String> names = new ArrayList<>();
    features.fieldNames().forEachRemaining(names::add);
    assertEquals(
        trl
            ? List.of("prompt", "images", "answer", "task", "id", "metadata")
            : List.of("prompt", "answer", "images", "id", "task", "metadata"),
        names);
    assertEquals("Image", features.get("images").get(0).get("_type").asText());
    if (trl) {
      assertEquals(
          "string",
          features.get("prompt").get(0).get("content").get(0).get("text").get("dtype").asText());
    } else {
      assertNull(features.get("prompt").get(0));
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }
}
