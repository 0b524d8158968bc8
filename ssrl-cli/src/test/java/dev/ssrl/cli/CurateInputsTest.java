package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.cli.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssrl curate}'s handling of bad scored lines, of its output folder and of its options, and
 * the difficulty buckets of its table, on a small dataset of the test tasks.
 */
class CurateInputsTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  static Path dataset;
  static final List<String> ids = new ArrayList<>();

  @BeforeAll
  static void generate() throws IOException {
    dataset = shared.resolve("ds");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            dataset.toString(),
            "--tasks",
            "tiles,five",
            "--builtin-scenes",
            "3",
            "--parquet");
    assertEquals(0, r.status, r::toString);
    for (JsonNode n : GenerateTest.lines(dataset.resolve("train.jsonl"))) {
      ids.add(n.get("id").asText());
    }
    assertEquals(6, ids.size());
  }

  /** A line as ssrl score writes it. */
  static String line(String group, String task, Object accuracy) {
    return "{\"id\":\"r\",\"group\":"
        + group
        + ",\"task\":"
        + task
        + ",\"overall\":0.5,\"format\":1.0,\"accuracy\":"
        + accuracy
        + ",\"details\":{\"length\":3.0},\"advantage\":0.0}";
  }

  static String q(String s) {
    return "\"" + s + "\"";
  }

  /** Mixed results for every sample: all kept by default. */
  static List<String> mixed() {
    List<String> lines = new ArrayList<>();
    for (String id : ids) {
      String task = q(id.contains("-tiles-") ? "tiles" : "five");
      lines.add(line(q(id), task, 1.0));
      lines.add(line(q(id), task, 0.0));
    }
    return lines;
  }

  Path scored(List<String> lines) throws IOException {
    Path f = tmp.resolve("scored.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  Cli curate(Path scored, Path out, String... more) {
    return CurateTest.curate(dataset, scored, out, more);
  }

  /** The line at index 2 (line 3 of the file) replaced by {@code bad}. */
  void badLine(String bad, String message) throws IOException {
    List<String> lines = mixed();
    lines.set(2, bad);
    Path f = scored(lines);
    Path out = tmp.resolve("out");
    Cli r = curate(f, out);
    assertEquals(1, r.status, r::toString);
    assertTrue(r.err.contains(f + " line 3: " + message), r::toString);
    assertFalse(Files.exists(out), "nothing written");
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("scored.jsonl"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aBadScoredLineIsAnErrorNamingFileAndLineAndNothingIsWritten() throws IOException {
    String id = q(ids.get(1));
    badLine("{\"group\": ", "not valid JSON");
    badLine("[1, 2]", "expected a JSON object");
    badLine("{\"group\":" + id + ",\"task\":\"tiles\"}", "field 'accuracy' is missing");
    badLine(line(id, q("tiles"), "\"1\""), "field 'accuracy' is not a number");
    badLine(line(id, q("tiles"), 1.5), "field 'accuracy' is 1.5, not in [0, 1]");
    badLine("{\"accuracy\":1.0}", "field 'group' is missing");
    badLine(line("7", q("tiles"), 1.0), "field 'group' is not a string");
    badLine(line(q("nope"), q("tiles"), 1.0), "group 'nope' is no sample id of the dataset");
    badLine(line(q(ids.get(0)), q("five"), 1.0), "task 'five' but sample " + ids.get(0));
    // Bytes that are not UTF-8: the reader reads ahead, so the line is a lower bound.
    Path f = tmp.resolve("scored.jsonl");
    byte[] good = (String.join("\n", mixed()) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = java.util.Arrays.copyOf(good, good.length + 2);
    bad[good.length] = (byte) 0xff;
    bad[good.length + 1] = '\n';
    Files.write(f, bad);
    Cli r = curate(f, tmp.resolve("out"));
    assertEquals(1, r.status, r::toString);
    assertTrue(r.err.contains(f + ": not valid UTF-8 (at or after line "), r::toString);
  }

  @Test
  void unknownGroupsCanBeCountedAndSkippedAndBlankLinesAreSkipped() throws IOException {
    List<String> lines = mixed();
    lines.add(line(q("other-sample"), "null", 1.0));
    lines.add("");
    lines.add("   ");
    Path out = tmp.resolve("out");
    Cli r = curate(scored(lines), out, "--skip-unknown");
    assertEquals(0, r.status, r::toString);
    JsonNode s = manifest(out).get("curation").get("scored");
    assertEquals(lines.size() - 2, s.get("lines").asLong());
    assertEquals(1, s.get("skippedUnknown").asLong());
    assertEquals(ids.size() * 2L, s.get("rollouts").asLong());
    assertEquals(ids.size(), manifest(out).get("totals").get("train").asLong());
  }

  @Test
  void fullAccuracyIsOneAndPartialCreditIsNoPass() throws IOException {
    List<String> lines = new ArrayList<>();
    String tiles = q("tiles");
    // Sample 0: 0.999 and 1 -> rate 1/2, kept. Sample 1: 0.5 twice -> rate 0, dropped.
    lines.add(line(q(ids.get(0)), tiles, 0.999));
    lines.add(line(q(ids.get(0)), tiles, 1));
    lines.add(line(q(ids.get(1)), "null", 0.5));
    lines.add(line(q(ids.get(1)), "null", 0.5));
    Path out = tmp.resolve("out");
    Cli r = curate(scored(lines), out);
    assertEquals(0, r.status, r::toString);
    assertEquals(List.of(ids.get(0)), CurateTest.ids(out.resolve("train.jsonl")));
    assertEquals(
        List.of(ids.get(0)),
        CurateTest.column(out.resolve("train.parquet"), g -> g.getString("id", 0)));
    JsonNode d = manifest(out).get("curation").get("counts").get("dropped");
    assertEquals(1, d.get("atOrBelowMinPass").asLong());
    assertEquals(ids.size() - 2, d.get("unscored").asLong());
    assertTrue(r.err.contains("ssrl: kept 1 of 6 samples"), r::toString);
  }

  @Test
  void theOutputFolderIsNeverHalfWrittenAndReplacedOnlyOnRequest() throws IOException {
    Path f = scored(mixed());
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    Cli r = curate(f, out);
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("is not empty; use --overwrite"), r::toString);
    r = curate(f, out, "--overwrite");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("holds no dataset (manifest.json)"), r::toString);
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    // An empty folder is used; a dataset in it is replaced with --overwrite only.
    Files.delete(out.resolve("notes.txt"));
    assertEquals(0, curate(f, out).status);
    assertEquals(ids.size(), CurateTest.ids(out.resolve("train.jsonl")).size());
    assertEquals(2, curate(f, out, "--max-pass", "0.4").status);
    r = curate(f, out, "--max-pass", "0.4", "--overwrite");
    assertEquals(0, r.status, r::toString);
    assertEquals(List.of(), CurateTest.ids(out.resolve("train.jsonl")));
    assertTrue(r.err.contains("warning: no sample was kept"), r::toString);
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(
          List.of("out", "scored.jsonl"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary or old folder left");
    }
    // A curated dataset curates again, and says what was done to it before.
    Path again = tmp.resolve("again");
    r =
        Cli.run(
            "curate",
            "--dataset",
            out.toString(),
            "--scored",
            f.toString(),
            "--out",
            again.toString(),
            "--skip-unknown");
    assertEquals(0, r.status, r::toString);
    assertEquals(
        0.4,
        manifest(again)
            .get("curation")
            .get("previous")
            .get("thresholds")
            .get("maxPass")
            .asDouble());
  }

  @Test
  void unusableArgumentsAreExitTwo() throws IOException {
    Path f = scored(mixed());
    Path out = tmp.resolve("out");
    String[][] cases = {
      {"--min-pass", "0.5", "--max-pass", "0.5"},
      {"--min-pass", "0.9", "--max-pass", "0.1"},
      {"--unscored", "maybe"},
    };
    for (String[] c : cases) {
      Cli r = curate(f, out, c);
      assertEquals(2, r.status, r::toString);
    }
    assertEquals(2, curate(tmp.resolve("missing.jsonl"), out).status);
    Cli r = curate(f, dataset.resolve("inside"));
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("overlap"), r::toString);
    assertFalse(Files.exists(dataset.resolve("inside")));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    r =
        Cli.run(
            "curate",
            "--dataset",
            empty.toString(),
            "--scored",
            f.toString(),
            "--out",
            out.toString());
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("has no manifest.json"), r::toString);
    assertFalse(Files.exists(out));
  }

  @Test
  void theTableGroupsSamplesByDifficultyBucket() throws IOException {
    // A copy of the dataset whose samples carry difficulties: 0.1, 0.25, 0.6, 1.0, none, "hard".
    Path ds = tmp.resolve("ds");
    Files.createDirectories(ds);
    for (String name : List.of("manifest.json", "rejects.jsonl")) {
      Files.copy(dataset.resolve(name), ds.resolve(name));
    }
    List<String> lines = Files.readAllLines(dataset.resolve("train.jsonl"));
    Object[] difficulty = {0.1, 0.25, 0.6, 1.0, null, "hard"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode n = (ObjectNode) Json.MAPPER.readTree(lines.get(i));
      if (difficulty[i] instanceof Double d) {
        ((ObjectNode) n.get("metadata")).put("difficulty", d);
      } else if (difficulty[i] != null) {
        ((ObjectNode) n.get("metadata")).put("difficulty", (String) difficulty[i]);
      }
      out.add(n.toString());
    }
    Files.write(ds.resolve("train.jsonl"), out);
    copyTree(dataset.resolve("images"), ds.resolve("images"));
    Path f = scored(mixed());
    Path cur = tmp.resolve("cur");
    Cli r =
        Cli.run(
            "curate",
            "--dataset",
            ds.toString(),
            "--scored",
            f.toString(),
            "--out",
            cur.toString());
    assertEquals(0, r.status, r::toString);
    JsonNode table = Json.MAPPER.readTree(cur.resolve("curation.json").toFile()).get("table");
    List<String> rows = new ArrayList<>();
    for (JsonNode row : table) {
      rows.add(
          row.get("task").asText()
              + " "
              + row.get("difficulty").asText()
              + " "
              + row.get("samples").asLong());
    }
    String t0 = ids.get(0).contains("-tiles-") ? "tiles" : "five";
    // Samples alternate tiles, five per scene in the order of the lines.
    List<String> want = new ArrayList<>();
    String[] task = new String[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      task[i] = Json.MAPPER.readTree(lines.get(i)).get("task").asText();
    }
    String[] bucket = {
      "[0, 0.25)", "[0.25, 0.5)", "[0.5, 0.75)", "[0.75, 1]", "unknown", "unknown"
    };
    for (String tk : List.of("tiles", "five")) {
      java.util.Map<String, Integer> n = new java.util.LinkedHashMap<>();
      for (String b : List.of("[0, 0.25)", "[0.25, 0.5)", "[0.5, 0.75)", "[0.75, 1]", "unknown")) {
        n.put(b, 0);
      }
      for (int i = 0; i < task.length; i++) {
        if (task[i].equals(tk)) {
          n.merge(bucket[i], 1, Integer::sum);
        }
      }
      n.forEach(
          (b, c) -> {
            if (c > 0) want.add(tk + " " + b + " " + c);
          });
      want.add(tk + " all 3");
    }
    want.add("all all 6");
    assertEquals(want, rows);
    assertTrue(t0.equals("tiles") || t0.equals("five"));
    assertTrue(Files.readString(cur.resolve("curation.html")).contains("[0.75, 1] (1)"));
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  static JsonNode manifest(Path out) throws IOException {
    return Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
  }
}
