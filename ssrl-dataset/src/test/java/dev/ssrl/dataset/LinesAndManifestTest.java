package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.tasks.audit.BlindAudit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinesAndManifestTest {
  @Test
  void imagePathsFollowTheLayout() {
    assertEquals("images/flip/s-flip-0.jpg", DatasetFormat.imagePath("flip", "s-flip-0", 0));
    assertEquals("images/flip/s-flip-0_2.jpg", DatasetFormat.imagePath("flip", "s-flip-0", 2));
    assertThrows(IllegalArgumentException.class, () -> DatasetFormat.imagePath("f", "i", -1));
    assertEquals(List.of("train"), DatasetFormat.splits(0));
    assertEquals(List.of("train", "val"), DatasetFormat.splits(0.1));
    assertEquals("val.parquet", new GenericParquetLayout().file("val"));
    assertEquals("verl/val.parquet", new VerlLayout().file("val"));
    assertEquals("trl/val.parquet", new TrlLayout().file("val"));
    assertEquals("easyr1/train.parquet", new EasyR1Layout().file("train"));
    assertEquals("easyr1/test.parquet", new EasyR1Layout().file("val"));
    assertEquals(
        List.of(
            "manifest.json",
            "train.jsonl",
            "val.jsonl",
            "rejects.jsonl",
            "images",
            "train.parquet",
            "val.parquet",
            "trl",
            "easyr1",
            "verl"),
        DatasetFormat.entries());
  }

  @Test
  void aSampleLineHasTheKeysInOrderAndTheMetadataAsWritten() {
    assertEquals(
        "{\"id\":\"a-flip-0\",\"task\":\"flip\",\"problem\":\"Which? <image>\",\"answer\":\"B\","
            + "\"images\":[\"images/flip/a-flip-0.jpg\"],\"metadata\":{\"k\":0.10}}",
        SampleLine.of(
            "a-flip-0",
            "flip",
            "Which? <image>",
            "B",
            List.of("images/flip/a-flip-0.jpg"),
            "{\"k\":0.10}"));
  }

  /** Other image paths, everything else as the line had it: the metadata's text included. */
  @Test
  void aSampleLineWithOtherImagesKeepsEveryOtherValueExactly() throws java.io.IOException {
    qt().forAll(
            strings().allPossible().ofLengthBetween(0, 30),
            strings().allPossible().ofLengthBetween(0, 5),
            lists().of(strings().allPossible().ofLengthBetween(0, 12)).ofSizeBetween(0, 4))
        .checkAssert(
            (problem, answer, images) -> {
              String meta = "{\"k\":8.0,\"d\":0.10,\"s\":" + DatasetJson.write(answer) + "}";
              String line =
                  SampleLine.of("s-t-0", "t", problem, answer, List.of("images/t/s-t-0.jpg"), meta);
              try {
                assertEquals(
                    SampleLine.of("s-t-0", "t", problem, answer, images, meta),
                    SampleLine.withImages(line, images));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThrows(java.io.IOException.class, () -> SampleLine.withImages("{\"id\":1}", List.of()));
  }

  /**
   * The line built with the metadata inserted as text is the line Jackson writes for the whole map:
   * the single-machine writer (metadata as a map) and Spark (metadata as staged text) agree.
   */
  @Test
  void aSampleLineEqualsTheMapWrittenWhole() {
    qt().forAll(
            strings().allPossible().ofLengthBetween(0, 30),
            strings().allPossible().ofLengthBetween(0, 5),
            doubles().any(),
            integers().all())
        .check(
            (problem, answer, d, i) -> {
              Map<String, Object> meta = new LinkedHashMap<>();
              meta.put("answer", answer);
              meta.put("d", Double.isFinite(d) ? d : 0.0);
              meta.put("i", i);
              meta.put("list", List.of(i, answer));
              Map<String, Object> whole = new LinkedHashMap<>();
              whole.put("id", "s-t-0");
              whole.put("task", "t");
              whole.put("problem", problem);
              whole.put("answer", answer);
              whole.put("images", List.of("images/t/s-t-0.jpg", "images/t/s-t-0_1.jpg"));
              whole.put("metadata", meta);
              String line =
                  SampleLine.of(
                      "s-t-0",
                      "t",
                      problem,
                      answer,
                      List.of("images/t/s-t-0.jpg", "images/t/s-t-0_1.jpg"),
                      DatasetJson.write(meta));
              return line.equals(DatasetJson.write(whole));
            });
  }

  @Test
  void theMapperIsStrict() {
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatasetJson.read("{\"a\":1,\"a\":2}", "f line 1"));
    assertTrue(
        dup.getMessage().startsWith("f line 1: not valid JSON: Duplicate field 'a'"),
        dup.getMessage());
    IllegalArgumentException trailing =
        assertThrows(IllegalArgumentException.class, () -> DatasetJson.read("{\"a\":1} x", "g"));
    assertTrue(trailing.getMessage().startsWith("g: not valid JSON: "), trailing.getMessage());
    JsonNode n = DatasetJson.read("{\"x\":0.1000000000000000055511151231257827}", "h");
    assertTrue(n.get("x").isBigDecimal(), "decimals are read without binary rounding");
  }

  @Test
  void theManifestHasTheDocumentedKeysAndCounts() {
    DatasetConfig c = DatasetConfigTest.config(1, 1, 5, 0.2);
    Counts counts = new Counts(c.tasks(), c.valFraction());
    counts.samples("flip", "train", 3);
    counts.samples("flip", "val", 1);
    counts.rejects("depth", "depth: no depth map", 2);
    counts.rejects("depth", "depth: no depth map", 1);
    Map<String, Object> run = Map.of("threads", 2);
    Map<String, Object> m =
        Manifest.of(
            "dev",
            c,
            List.of("builtin"),
            counts,
            new BlindAudit(),
            List.of("train.jsonl"),
            null,
            run);
    assertEquals(
        List.of(
            "format",
            "version",
            "config",
            "seed",
            "sources",
            "counts",
            "totals",
            "rejects",
            "promptTokens",
            "audit",
            "files",
            "run"),
        new ArrayList<>(m.keySet()));
    JsonNode j = DatasetJson.read(new String(Manifest.toBytes(m), StandardCharsets.UTF_8), "m");
    assertEquals("ssrl-dataset/1", j.get("format").asText());
    assertEquals("{\"train\":3,\"val\":1}", DatasetJson.write(j.get("counts").get("flip")));
    assertEquals("{\"train\":0,\"val\":0}", DatasetJson.write(j.get("counts").get("shuffle")));
    assertEquals("{\"train\":3,\"val\":1,\"rejected\":3}", DatasetJson.write(j.get("totals")));
    assertEquals("{\"depth\":{\"depth: no depth map\":3}}", DatasetJson.write(j.get("rejects")));

    Counts noVal = new Counts(List.of("flip"), 0);
    noVal.samples("flip", "train", 2);
    Map<String, Object> m2 =
        Manifest.of(
            "dev",
            DatasetConfigTest.config(1, 1, 5, 0),
            List.of(),
            noVal,
            new BlindAudit(),
            List.of(),
            Map.of("train.jsonl", 3),
            run);
    assertEquals("{\"train\":2,\"rejected\":0}", DatasetJson.write(m2.get("totals")));
    assertEquals(Map.of("train.jsonl", 3), m2.get("shards"));
    assertEquals("{\"max\":0,\"p99\":0}", DatasetJson.write(m2.get("promptTokens")));
  }

  /** A manifest from a config map read back from a manifest is the manifest of the config. */
  @Test
  void aManifestFromAConfigMapEqualsTheOneFromTheConfig() {
    DatasetConfig c = DatasetConfigTest.config(1, 1, 5, 0.2);
    Counts counts = new Counts(c.tasks(), c.valFraction());
    counts.samples("flip", "train", 3);
    Map<String, Object> run = Map.of("threads", 2);
    List<String> files = List.of("train.jsonl", "val.jsonl");
    byte[] fromConfig =
        Manifest.toBytes(
            Manifest.of("dev", c, List.of(), counts, new BlindAudit(), files, null, run));
    byte[] fromMap =
        Manifest.toBytes(
            Manifest.of(
                "dev",
                new LinkedHashMap<>(c.toMap()),
                List.of(),
                counts,
                new BlindAudit(),
                files,
                null,
                run));
    assertEquals(
        new String(fromConfig, StandardCharsets.UTF_8),
        new String(fromMap, StandardCharsets.UTF_8));
  }

  /**
   * The p99 is the nearest rank: at least 99 % of the samples are at or below it and fewer than 99
   * % are below it, for any histogram; the max is the largest estimate.
   */
  @Test
  void promptTokenPercentileIsTheNearestRank() {
    qt().forAll(lists().of(integers().between(1, 6000)).ofSizeBetween(1, 400))
        .checkAssert(
            values -> {
              Counts c = new Counts(List.of("flip"), 0);
              values.forEach(v -> c.promptTokens(v, 1));
              Map<String, Object> m = c.promptTokensMap();
              int p99 = (Integer) m.get("p99");
              long atOrBelow = values.stream().filter(v -> v <= p99).count();
              long below = values.stream().filter(v -> v < p99).count();
              assertTrue(atOrBelow * 100 >= 99L * values.size(), values + " p99 " + p99);
              assertTrue(below * 100 < 99L * values.size(), values + " p99 " + p99);
              assertEquals(values.stream().max(Integer::compare).get(), m.get("max"));
            });
  }
}
