package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkGeneratorTest {
  private static SparkSession spark;
  private static SparkGenerator generator;
  private static final SceneListing SYNTHETIC = SceneListing.synthetic(5);

  @TempDir static Path dir;

  /** The dataset of the 5 synthetic scenes in one partition: the reference of the other tests. */
  private static Path reference;

  private static GenerationSummary referenceSummary;

  @BeforeAll
  static void start() {
    spark = LocalSpark.session();
    generator = SparkGenerator.builder().seed(7).partitions(1).build();
    reference = dir.resolve("p1");
    referenceSummary = generator.write(spark, SYNTHETIC, reference.toString());
  }

  private static SparkGenerator withPartitions(int n) {
    return SparkGenerator.builder().seed(7).partitions(n).build();
  }

  @Test
  void writesTheSpecLayoutWithCountsPerTaskAndRejectReasons() throws IOException {
    JsonNode m = Datasets.manifest(reference);
    assertEquals("ssrl-dataset/1", m.get("format").asText());
    assertEquals(7, m.get("seed").asLong());
    long train = 0;
    for (String t : List.of("shuffle", "flip", "crop", "depth", "position")) {
      train += m.get("counts").get(t).get("train").asLong();
    }
    assertEquals(referenceSummary.train(), train);
    assertEquals(referenceSummary.train(), m.get("totals").get("train").asLong());
    assertEquals(referenceSummary.rejected(), m.get("totals").get("rejected").asLong());
    // 5 scenes x 5 tasks x 1 variant: every work item is a sample or a counted rejection.
    assertEquals(25, referenceSummary.train() + referenceSummary.rejected());
    assertTrue(referenceSummary.train() >= 18, "most synthetic items give samples");
    long rejectsInManifest = 0;
    for (JsonNode byReason : m.get("rejects")) {
      for (JsonNode n : byReason) {
        rejectsInManifest += n.asLong();
      }
    }
    assertEquals(referenceSummary.rejected(), rejectsInManifest);
    assertEquals(referenceSummary.rejected(), Datasets.lines(reference, "rejects.jsonl").size());

    List<JsonNode> lines = Datasets.lines(reference, "train.jsonl");
    assertEquals(referenceSummary.train(), lines.size());
    JsonNode first = lines.get(0);
    assertEquals(
        List.of("id", "task", "problem", "answer", "images", "metadata"),
        fieldNames(first),
        "the CLI's keys, in its order");
    List<String> ids = new ArrayList<>();
    for (JsonNode n : lines) {
      ids.add(n.get("id").asText());
      int placeholders = n.get("problem").asText().split("<image>", -1).length - 1;
      assertEquals(n.get("images").size(), placeholders);
      for (JsonNode p : n.get("images")) {
        assertTrue(p.asText().startsWith("images/" + n.get("task").asText() + "/"));
        assertTrue(Files.isRegularFile(reference.resolve(p.asText())), p.asText());
      }
    }
    assertEquals(new ArrayList<>(new TreeSet<>(ids)), ids, "lines are sorted by id, no repeats");
    assertTrue(ids.contains("synthetic-0000-shuffle-0"));

    long parquetRows = spark.read().parquet(reference.resolve("train.parquet").toString()).count();
    assertEquals(referenceSummary.train(), parquetRows);
    assertFalse(Files.exists(reference.resolve(DatasetWriter.STAGING)), "staging is removed");
    for (String f : Datasets.files(reference.resolve("images"))) {
      assertTrue(f.endsWith(".jpg") && !f.contains("/."), "only images among the images: " + f);
    }
  }

  @Test
  void oneAndEightPartitionsGiveTheSameSamples() throws IOException {
    Path p8 = dir.resolve("p8");
    GenerationSummary s8 = withPartitions(8).write(spark, SYNTHETIC, p8.toString());
    assertEquals(referenceSummary.perTask(), s8.perTask());
    assertEquals(referenceSummary.rejects(), s8.rejects());
    assertEquals(Datasets.fingerprint(reference), Datasets.fingerprint(p8));
    assertEquals(Datasets.files(reference.resolve("images")), Datasets.files(p8.resolve("images")));
  }

  @Test
  void aRetriedTaskLosesAndDuplicatesNothing() throws IOException {
    // Every task's first attempt dies after writing two images; Spark (local[2,4]) retries it.
    Path retried = dir.resolve("retried");
    GenerationSummary s =
        withPartitions(3).withFailFirstAttemptAfter(2).write(spark, SYNTHETIC, retried.toString());
    assertEquals(referenceSummary.perTask(), s.perTask());
    assertEquals(Datasets.fingerprint(reference), Datasets.fingerprint(retried));
    assertEquals(
        Datasets.files(reference.resolve("images")), Datasets.files(retried.resolve("images")));
    assertEquals(
        Datasets.lines(reference, "rejects.jsonl").size(),
        Datasets.lines(retried, "rejects.jsonl").size());
  }

  @Test
  void outcomesAreALazyDatasetWithTheImageBytes() throws IOException {
    List<Row> rows =
        withPartitions(2)
            .outcomes(spark, SceneListing.synthetic(2))
            .filter("id = 'synthetic-0001-flip-0'")
            .collectAsList();
    assertEquals(1, rows.size());
    Row r = rows.get(0);
    assertEquals("synthetic-0001", r.getString(Schemas.O_SCENE));
    assertEquals("train", r.getString(Schemas.O_SPLIT));
    List<byte[]> images = r.getList(Schemas.O_IMAGES);
    assertEquals(1, images.size());
    byte[] onDisk = Files.readAllBytes(reference.resolve("images/flip/synthetic-0001-flip-0.jpg"));
    assertTrue(java.util.Arrays.equals(onDisk, images.get(0)), "the bytes that write() stores");
  }

  @Test
  void badScenesAreCountedRejectionsAndTheJobGoesOn(@TempDir Path in) throws IOException {
    Path scenes = Files.createDirectories(in.resolve("scenes"));
    for (int i = 0; i < 3; i++) {
      Scene s = SyntheticScenes.scene(1, i, 256, 192);
      Files.write(scenes.resolve("good-" + i + ".png"), ImageCodec.encodePng(s.rgb()));
    }
    Files.write(scenes.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path listing = in.resolve("scenes.csv");
    Files.writeString(
        listing,
        String.join(
            "\n",
            "rgb,depth,mask,id",
            "# relative paths resolve against the listing's folder",
            "scenes/good-0.png,,,",
            "scenes/good-1.png",
            scenes.resolve("good-2.png").toUri().toString() + ",,,third",
            "scenes/corrupt.png",
            "scenes/missing.jpg,scenes/missing_depth.npy,,missing",
            ""));
    Path out = in.resolve("out");
    GenerationSummary s =
        SparkGenerator.builder()
            .tasks(List.of("shuffle", "flip"))
            .partitions(2)
            .build()
            .write(spark, SceneListing.of(listing.toString()), out.toString());
    assertEquals(10, s.train() + s.rejected(), "5 scenes x 2 tasks");
    assertTrue(s.train() >= 5, "the good scenes give samples: " + s);
    Map<String, Long> flipRejects = s.rejects().get("flip");
    long loadRejects =
        flipRejects.entrySet().stream()
            .filter(e -> e.getKey().startsWith("load: "))
            .mapToLong(Map.Entry::getValue)
            .sum();
    assertEquals(2, loadRejects, "corrupt and missing scenes: " + flipRejects);
    assertTrue(flipRejects.containsKey("load: file not found"), flipRejects.toString());
    List<String> rejectedScenes = new ArrayList<>();
    for (JsonNode n : Datasets.lines(out, "rejects.jsonl")) {
      if (n.get("reason").asText().startsWith("load: ")) {
        rejectedScenes.add(n.get("scene").asText() + "/" + n.get("task").asText());
        assertTrue(n.get("source").asText().contains("scenes/"));
      }
    }
    rejectedScenes.sort(null);
    assertEquals(
        List.of("corrupt/flip", "corrupt/shuffle", "missing/flip", "missing/shuffle"),
        rejectedScenes);
    Map<String, String> samples = Datasets.fingerprint(out);
    assertTrue(
        samples.containsKey("third-shuffle-0"), "explicit ids are used: " + samples.keySet());
    assertTrue(samples.containsKey("good-0-shuffle-0"));
  }

  @Test
  void refusesDuplicateIdsMalformedListingsAndAFullOutputFolder(@TempDir Path in)
      throws IOException {
    Path dup = in.resolve("dup.txt");
    Files.writeString(dup, "a/x.png\nb/x.png\n");
    SparkGenerator g = withPartitions(1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> g.outcomes(spark, SceneListing.of(dup.toString())));
    assertTrue(e.getMessage().contains("'x' appears 2 times"), e.getMessage());

    Path bad = in.resolve("bad.txt");
    Files.writeString(bad, "a.png,b.npy,c.npy,id,extra\n");
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> g.outcomes(spark, SceneListing.of(bad.toString())));
    assertTrue(e.getMessage().contains("at most 4 fields"), e.getMessage());

    assertThrows(
        IllegalArgumentException.class,
        () -> g.outcomes(spark, SceneListing.of(in.resolve("nope").toString())));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> g.write(spark, SceneListing.synthetic(1), reference.toString()));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
  }

  @Test
  void overwriteReplacesWhatAFolderHeldAndExplicitEntriesAreScenes(@TempDir Path in)
      throws IOException {
    Path out = Files.createDirectories(in.resolve("out"));
    Files.writeString(out.resolve("stale.txt"), "left by a failed job");
    Path png = in.resolve("photo.png");
    Files.write(png, ImageCodec.encodePng(SyntheticScenes.scene(2, 0, 256, 192).rgb()));
    SceneListing entries =
        SceneListing.ofEntries(
            List.of(
                SceneEntry.rgbOnly("photo", png.toString()),
                new SceneEntry("first-synthetic", "synthetic:0", null, null)));
    GenerationSummary s =
        SparkGenerator.builder()
            .tasks(List.of("flip"))
            .partitions(2)
            .parquet(false)
            .build()
            .write(spark, entries, out.toString(), true);
    assertFalse(Files.exists(out.resolve("stale.txt")));
    assertEquals(2, s.train(), s.toString());
    assertEquals(
        List.of("first-synthetic-flip-0", "photo-flip-0"),
        new ArrayList<>(Datasets.fingerprint(out).keySet()));
  }

  /**
   * The {@code --out} lock: a folder that holds another job's lock is refused even with overwrite,
   * and nothing in it is touched; two jobs started together into one folder give one job's dataset
   * (the other is refused), never a mix; a finished job leaves no lock.
   */
  @Test
  void twoJobsIntoOneFolderDoNotInterleave(@TempDir Path in) throws Exception {
    SparkGenerator g =
        SparkGenerator.builder().tasks(List.of("flip", "crop")).parquet(false).build();
    Path held = Files.createDirectories(in.resolve("held"));
    Files.writeString(held.resolve(DatasetWriter.LOCK), "{\"app\":\"app-1\"}");
    Files.writeString(held.resolve("part.txt"), "the other job's");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> g.write(spark, SceneListing.synthetic(1), held.toString(), true));
    assertTrue(e.getMessage().contains("being written by another job"), e.getMessage());
    assertTrue(e.getMessage().contains("app-1"), e.getMessage());
    assertEquals("the other job's", Files.readString(held.resolve("part.txt")));

    Path reference = in.resolve("reference");
    g.write(spark, SceneListing.synthetic(4), reference.toString());
    assertFalse(Files.exists(reference.resolve(DatasetWriter.LOCK)), "the lock is released");

    Path out = in.resolve("shared");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<GenerationSummary>> jobs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        jobs.add(
            pool.submit(() -> g.write(spark, SceneListing.synthetic(4), out.toString(), true)));
      }
      int refused = 0;
      for (java.util.concurrent.Future<GenerationSummary> f : jobs) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException x) {
          assertTrue(
              x.getCause() instanceof IllegalStateException
                  && x.getCause().getMessage().contains("another job"),
              String.valueOf(x.getCause()));
          refused++;
        }
      }
      // With overwrite, a job that starts after the other ended replaces its dataset: also fine.
      assertTrue(refused <= 1, "at most one refused");
    } finally {
      pool.shutdown();
    }
    assertEquals(Datasets.fingerprint(reference), Datasets.fingerprint(out));
    assertEquals(
        partsNamedAlike(Datasets.files(reference)),
        partsNamedAlike(Datasets.files(out)),
        "no stray file of a second job");
  }

  /** File names with the job's UUID in Spark's part names replaced, so two jobs compare. */
  private static List<String> partsNamedAlike(List<String> files) {
    List<String> out = new ArrayList<>();
    for (String f : files) {
      out.add(
          f.replaceAll("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-", "-UUID-"));
    }
    return out;
  }

  @Test
  void scenesWhoseIdsCannotNameFilesAreRefused(@TempDir Path in) throws IOException {
    Path listing = in.resolve("listing.csv");
    Files.writeString(listing, "a.png,,,ok\nb.png,,,../escape\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SparkGenerator.builder()
                    .build()
                    .outcomes(spark, SceneListing.of(listing.toString())));
    assertTrue(
        e.getMessage().contains("'../escape' cannot be part of a file name"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SceneEntry.rgbOnly("x:y", "x.png"));
  }

  @Test
  void badSettingsFailOnTheDriver() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SparkGenerator.builder().tasks(List.of("nope")).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> SparkGenerator.builder().parameter("shuffle.grids", "banana").build());
    assertThrows(
        IllegalArgumentException.class, () -> SparkGenerator.builder().perScene(0).build());
    assertThrows(IllegalArgumentException.class, () -> SceneListing.of("synthetic:x"));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
