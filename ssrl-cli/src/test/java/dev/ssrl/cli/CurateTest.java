package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssrl curate} end to end: a dataset of the built-in scenes with every trainer layout,
 * rollouts whose results the test chooses per sample, scored by {@code ssrl score}, curated; then
 * exactly the chosen samples remain, in every file, and the layouts still load.
 */
class CurateTest {
  @TempDir static Path shared;

  @TempDir Path tmp;

  static Path dataset;

  /** The samples of the dataset in file order: id -> {task, split, answer}. */
  static final Map<String, String[]> samples = new LinkedHashMap<>();

  @BeforeAll
  static void generate() throws IOException {
    dataset = TrainerLayoutsTest.generate(shared.resolve("ds"), "relative");
    for (String split : List.of("train", "val")) {
      for (JsonNode n : GenerateTest.lines(dataset.resolve(split + ".jsonl"))) {
        samples.put(
            n.get("id").asText(),
            new String[] {n.get("task").asText(), split, n.get("answer").asText()});
      }
    }
    assertTrue(samples.size() >= 20, "enough samples for every case: " + samples.size());
  }

  /**
   * The rollouts the test gives sample number {@code i}: its results as right (true) or wrong
   * (false). Five kinds in turn: all wrong, all right, mixed (1, 2 or 3 of 4 right, in turn), a
   * single right rollout, none.
   */
  static List<Boolean> results(int i) {
    return switch (i % 5) {
      case 0 -> List.of(false, false, false, false);
      case 1 -> List.of(true, true, true, true);
      case 2 -> {
        int right = 1 + (i / 5) % 3;
        List<Boolean> r = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
          r.add(k < right);
        }
        yield r;
      }
      case 3 -> List.of(true);
      default -> List.of();
    };
  }

  /** The pass rate of sample {@code i}; null for none. */
  static Double rate(int i) {
    List<Boolean> r = results(i);
    return r.isEmpty() ? null : r.stream().filter(b -> b).count() / (double) r.size();
  }

  /**
   * Writes rollouts of every sample (right: the answer boxed; wrong: another answer) and scores
   * them with {@code ssrl score}; groups are interleaved, so score's second pass runs too.
   */
  static Path scored(Path dir) throws IOException {
    StringBuilder rollouts = new StringBuilder();
    int i = 0;
    int n = 0;
    for (Map.Entry<String, String[]> e : samples.entrySet()) {
      for (boolean right : results(i)) {
        String answer = e.getValue()[2];
        String response = "<think>x</think> \\boxed{" + (right ? answer : answer + "-no") + "}";
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", "r" + n++);
        line.put("group", e.getKey());
        line.put("response", response);
        line.put("answer", answer);
        line.put("task", e.getValue()[0]);
        rollouts.append(Json.write(line)).append('\n');
      }
      i++;
    }
    Path in = dir.resolve("rollouts.jsonl");
    Files.writeString(in, rollouts, StandardCharsets.UTF_8);
    Path out = dir.resolve("scored.jsonl");
    Cli r = Cli.run("score", "--in", in.toString(), "--out", out.toString());
    assertEquals(0, r.status, r::toString);
    return out;
  }

  /** The ids the test expects kept, in file order, for pass rates strictly in (min, max). */
  static List<String> expected(String split, double min, double max, boolean keepUnscored) {
    List<String> ids = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String[]> e : samples.entrySet()) {
      Double rate = rate(i++);
      boolean keep = rate == null ? keepUnscored : min < rate && rate < max;
      if (keep && e.getValue()[1].equals(split)) {
        ids.add(e.getKey());
      }
    }
    return ids;
  }

  static Cli curate(Path scored, Path out, String... more) {
    return curate(dataset, scored, out, more);
  }

  /** Runs {@code ssrl curate --dataset dataset --scored scored --out out more...}. */
  static Cli curate(Path dataset, Path scored, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "curate",
                "--dataset",
                dataset.toString(),
                "--scored",
                scored.toString(),
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void keepsExactlyTheSamplesStrictlyBetweenInEveryLayout() throws IOException {
    Path scored = scored(tmp);
    Path out = tmp.resolve("curated");
    Cli r = curate(scored, out);
    assertEquals(0, r.status, r::toString);
    for (String split : List.of("train", "val")) {
      List<String> want = expected(split, 0, 1, false);
      assertFalse(want.isEmpty(), split);
      checkSplit(out, split, want);
    }
    // Loadable as the trainers load them: every row against its line and image files.
    TrainerLayoutsTest.checkAll(out, false);
    // Only the kept samples' images, each with the input's bytes.
    List<String> images = new ArrayList<>();
    try (Stream<Path> s = Files.walk(out.resolve("images"))) {
      s.filter(Files::isRegularFile).forEach(p -> images.add(out.relativize(p).toString()));
    }
    List<String> named = new ArrayList<>();
    for (String split : List.of("train", "val")) {
      for (JsonNode n : GenerateTest.lines(out.resolve(split + ".jsonl"))) {
        n.get("images").forEach(p -> named.add(p.asText()));
      }
    }
    assertEquals(new java.util.TreeSet<>(named), new java.util.TreeSet<>(images));
    for (String p : named) {
      assertArrayEquals(Files.readAllBytes(dataset.resolve(p)), Files.readAllBytes(out.resolve(p)));
    }
    assertArrayEquals(
        Files.readAllBytes(dataset.resolve("rejects.jsonl")),
        Files.readAllBytes(out.resolve("rejects.jsonl")));
    checkManifest(out, scored);
    // Nothing but the dataset's own files and the reports: no temporary folder left beside.
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(
          List.of("curated", "rollouts.jsonl", "scored.jsonl"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    String page = Files.readString(out.resolve("curation.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains("<svg"), "a chart");
    assertFalse(page.contains("<script") || page.contains("src="), "self-contained");
    for (String task : List.of("crop", "shuffle", "flip", "position")) {
      assertTrue(page.contains("<h3>" + task + "</h3>"), task);
    }
    // The table: the total row on standard output and in Markdown.
    long kept = expected("train", 0, 1, false).size() + expected("val", 0, 1, false).size();
    String totalRow = r.out.lines().filter(l -> l.startsWith("all ")).findFirst().orElseThrow();
    assertTrue(totalRow.matches("all\\s+all\\s+" + samples.size() + "\\s.*"), totalRow);
    assertTrue(totalRow.contains(" " + kept + " "), totalRow);
    assertTrue(
        Files.readString(out.resolve("curation.md")).contains("| all | all | " + samples.size()));
  }

  /** The split's JSONL lines are the input's kept lines, byte for byte; every layout has them. */
  static void checkSplit(Path out, String split, List<String> want) throws IOException {
    Map<String, String> inputLines = new TreeMap<>();
    for (String l : Files.readAllLines(dataset.resolve(split + ".jsonl"))) {
      inputLines.put(Json.MAPPER.readTree(l).get("id").asText(), l);
    }
    List<String> lines = Files.readAllLines(out.resolve(split + ".jsonl"));
    List<String> wantLines = want.stream().map(inputLines::get).toList();
    assertEquals(wantLines, lines, split);
    assertEquals(want, column(out.resolve(split + ".parquet"), g -> g.getString("id", 0)));
    assertEquals(
        want,
        column(
            out.resolve("verl/" + split + ".parquet"),
            g -> g.getGroup("extra_info", 0).getString("id", 0)));
    List<Long> index =
        column(
            out.resolve("verl/" + split + ".parquet"),
            g -> g.getGroup("extra_info", 0).getLong("index", 0));
    for (int k = 0; k < index.size(); k++) {
      assertEquals(k, index.get(k), "verl rows are numbered in the new file");
    }
    assertEquals(want, column(out.resolve("trl/" + split + ".parquet"), g -> g.getString("id", 0)));
    String easy = split.equals("val") ? "test" : split;
    assertEquals(
        want, column(out.resolve("easyr1/" + easy + ".parquet"), g -> g.getString("id", 0)));
  }

  static <T> List<T> column(Path file, java.util.function.Function<Group, T> f) throws IOException {
    return ParquetRead.rows(file).stream().map(f).toList();
  }

  private static void checkManifest(Path out, Path scored) throws IOException {
    JsonNode in = Json.MAPPER.readTree(dataset.resolve("manifest.json").toFile());
    JsonNode m = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals(in.get("config").toString(), m.get("config").toString());
    assertEquals(in.get("config"), m.get("config"));
    assertEquals(in.get("files"), m.get("files"));
    assertEquals(in.get("rejects"), m.get("rejects"));
    // Counts per task and split, from the test's own choice of rollouts.
    Map<String, long[]> perTask = new TreeMap<>();
    Map<String, long[]> reasons = new TreeMap<>();
    int i = 0;
    for (Map.Entry<String, String[]> e : samples.entrySet()) {
      String task = e.getValue()[0];
      Double rate = rate(i++);
      long[] c = reasons.computeIfAbsent(task, k -> new long[4]);
      int reason = rate == null ? 3 : rate == 0 ? 1 : rate == 1 ? 2 : 0;
      c[reason]++;
      if (reason == 0) {
        perTask.computeIfAbsent(task, k -> new long[2])[e.getValue()[1].equals("val") ? 1 : 0]++;
      }
    }
    long train = 0;
    for (Map.Entry<String, long[]> e : perTask.entrySet()) {
      assertEquals(e.getValue()[0], m.get("counts").get(e.getKey()).get("train").asLong());
      assertEquals(e.getValue()[1], m.get("counts").get(e.getKey()).get("val").asLong());
      train += e.getValue()[0];
    }
    assertEquals(train, m.get("totals").get("train").asLong());
    JsonNode c = m.get("curation");
    assertEquals(
        dataset.toAbsolutePath().normalize().toString(), c.get("dataset").get("path").asText());
    assertEquals(
        sha256(dataset.resolve("train.jsonl")),
        c.get("dataset").get("sha256").get("train.jsonl").asText());
    assertEquals(sha256(scored), c.get("scored").get("sha256").asText());
    assertEquals(0.0, c.get("thresholds").get("minPass").asDouble());
    assertEquals(1.0, c.get("thresholds").get("maxPass").asDouble());
    assertEquals("drop", c.get("thresholds").get("unscored").asText());
    long total = 0;
    for (Map.Entry<String, long[]> e : reasons.entrySet()) {
      JsonNode t = c.get("counts").get("byTask").get(e.getKey());
      long[] want = e.getValue();
      assertEquals(want[0], t.get("kept").get("inside").asLong(), e.getKey());
      assertEquals(want[0], t.get("kept").get("total").asLong(), e.getKey());
      assertEquals(want[1], t.get("dropped").get("atOrBelowMinPass").asLong(), e.getKey());
      assertEquals(want[2], t.get("dropped").get("atOrAboveMaxPass").asLong(), e.getKey());
      assertEquals(want[3], t.get("dropped").get("unscored").asLong(), e.getKey());
      total += want[0] + want[1] + want[2] + want[3];
    }
    assertEquals(samples.size(), total);
    assertEquals(samples.size(), c.get("counts").get("samples").asLong());
    JsonNode report = Json.MAPPER.readTree(out.resolve("curation.json").toFile());
    assertEquals(c.get("counts"), report.get("counts"));
    assertTrue(report.get("table").size() > 4);
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void ratesOnTheThresholdsAreDroppedAndUnscoredSamplesCanBeKept() throws IOException {
    Path scored = scored(tmp);
    Path out = tmp.resolve("mid");
    Cli r = curate(scored, out, "--min-pass", "0.25", "--max-pass", "0.75", "--unscored", "keep");
    assertEquals(0, r.status, r::toString);
    for (String split : List.of("train", "val")) {
      List<String> want = expected(split, 0.25, 0.75, true);
      assertEquals(want, ids(out.resolve(split + ".jsonl")), split);
      assertEquals(
          want,
          column(
              out.resolve("verl/" + split + ".parquet"),
              g -> g.getGroup("extra_info", 0).getString("id", 0)));
    }
    // Every kept scored sample has rate 0.5: 0.25 and 0.75 are on the boundaries.
    int i = 0;
    for (String id : samples.keySet()) {
      Double rate = rate(i++);
      boolean kept =
          ids(out.resolve("train.jsonl")).contains(id)
              || ids(out.resolve("val.jsonl")).contains(id);
      assertEquals(rate == null || rate == 0.5, kept, id + " rate " + rate);
    }
    JsonNode c = Json.MAPPER.readTree(out.resolve("manifest.json").toFile()).get("curation");
    assertEquals("keep", c.get("thresholds").get("unscored").asText());
    assertEquals(
        samples.size() / 5 + (samples.size() % 5 > 4 ? 1 : 0),
        c.get("counts").get("kept").get("unscored").asLong());
  }

  @Test
  void absoluteImagePathsNameTheCuratedFolder() throws IOException {
    // The same scenes and seed: the same sample ids, only the image paths differ.
    Path abs = TrainerLayoutsTest.generate(tmp.resolve("abs"), "absolute");
    Path scored = scored(tmp);
    Path out = tmp.resolve("curated-abs");
    Cli r =
        Cli.run(
            "curate",
            "--dataset",
            abs.toString(),
            "--scored",
            scored.toString(),
            "--out",
            out.toString());
    assertEquals(0, r.status, r::toString);
    String from = abs.toAbsolutePath().normalize() + "/images/";
    String to = out.toAbsolutePath().normalize() + "/images/";
    for (String split : List.of("train", "val")) {
      Map<String, String> inputLines = new TreeMap<>();
      for (String l : Files.readAllLines(abs.resolve(split + ".jsonl"))) {
        inputLines.put(Json.MAPPER.readTree(l).get("id").asText(), l);
      }
      List<String> want =
          expected(split, 0, 1, false).stream()
              .map(id -> inputLines.get(id).replace(from, to))
              .toList();
      assertEquals(want, Files.readAllLines(out.resolve(split + ".jsonl")), split);
    }
    TrainerLayoutsTest.checkAll(out, true);
    assertEquals(
        "absolute",
        Json.MAPPER
            .readTree(out.resolve("manifest.json").toFile())
            .get("config")
            .get("imagePaths")
            .asText());
  }

  static List<String> ids(Path jsonl) throws IOException {
    return GenerateTest.lines(jsonl).stream().map(n -> n.get("id").asText()).toList();
  }
}
