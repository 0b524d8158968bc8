package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.DatasetJson;
import dev.ssrl.dataset.EasyR1Layout;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.dataset.TrlLayout;
import dev.ssrl.testsupport.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI and the Spark job write one format through ssrl-dataset; this test holds the two paths
 * together end to end: the same scenes and settings through {@code ssrl generate} (the shaded jar
 * the reactor built before this module) and through {@link SparkGenerator} give byte-identical
 * JSONL and reject lines, the same image bytes, the same Parquet columns and rows, and the same
 * manifest but for what names the writer and the place (version, sources, files, shards, run).
 */
class SameAsCliTest {

  /** Manifest keys that name the writer or the place rather than the dataset. */
  private static final List<String> WRITER_KEYS =
      List.of("version", "sources", "files", "shards", "run");

  @Test
  void sparkAndTheCliWriteTheSameDataset(@TempDir Path dir) throws Exception {
    Path jar = cliJar();
    Path cli = dir.resolve("cli");
    runCli(
        jar,
        "--out",
        cli.toString(),
        "--builtin-scenes",
        "6",
        "--seed",
        "11",
        "--per-scene",
        "2",
        "--mix",
        "shuffle=1,flip=0.5,crop=1,depth=1,position=0.5",
        "--val-fraction",
        "0.34",
        "--parquet",
        "--threads",
        "1");

    SparkSession spark = LocalSpark.session();
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .seed(11)
        .perScene(2)
        .mix("shuffle", 1)
        .mix("flip", 0.5)
        .mix("crop", 1)
        .mix("depth", 1)
        .mix("position", 0.5)
        .valFraction(0.34)
        .partitions(3)
        .build()
        .write(spark, SceneListing.synthetic(6), sp.toString());

    for (String split : DatasetFormat.splits(0.34)) {
      String name = DatasetFormat.jsonl(split);
      List<String> cliLines = Files.readAllLines(cli.resolve(name));
      assertTrue(!cliLines.isEmpty(), name + " is not empty: the test would prove nothing");
      // The CLI writes in item order, Spark in id order; the lines themselves are byte-identical.
      assertEquals(new TreeSet<>(cliLines), new TreeSet<>(Datasets.rawLines(sp, name)), name);
      assertEquals(cliLines.size(), Datasets.rawLines(sp, name).size(), name + " line count");

      String parquet = DatasetFormat.parquet(split);
      Dataset<Row> a = spark.read().parquet(cli.resolve(parquet).toString());
      Dataset<Row> b = spark.read().parquet(sp.resolve(parquet).toString());
      assertEquals(DatasetFormat.PARQUET_COLUMNS, Arrays.asList(a.columns()), parquet + " (CLI)");
      assertEquals(DatasetFormat.PARQUET_COLUMNS, Arrays.asList(b.columns()), parquet + " (Spark)");
      assertEquals(rows(a), rows(b), parquet + " rows");
    }
    assertEquals(imageHashes(cli), imageHashes(sp), "image files and their bytes");
    assertEquals(
        new TreeSet<>(Files.readAllLines(cli.resolve(DatasetFormat.REJECTS))),
        new TreeSet<>(Datasets.rawLines(sp, DatasetFormat.REJECTS)),
        "reject lines");
    JsonNode cliManifest = sameManifests(cli, sp);
    assertTrue(cliManifest.get("audit").get("tasks").size() == 5, "the CLI audits every task");
    JsonNode sparkConfig = Datasets.manifest(sp).get("config");
    assertEquals(
        "[]/6",
        cliManifest.get("config").get("sources")
            + "/"
            + cliManifest.get("config").get("builtInScenes"));
    assertEquals(
        "[\"synthetic:6\"]/0", sparkConfig.get("sources") + "/" + sparkConfig.get("builtInScenes"));
  }

  /**
   * {@code --difficulty} (issue 30): the range filter runs where both front ends pass every work
   * item ({@code Sizing.Fitted}), so both keep the same samples and write the same difficulty
   * rejections, counted the same in the manifest.
   */
  @Test
  void aDifficultyRangeKeepsTheSameSamples(@TempDir Path dir) throws Exception {
    Path jar = cliJar();
    Path cli = dir.resolve("cli");
    runCli(
        jar,
        "--out",
        cli.toString(),
        "--builtin-scenes",
        "6",
        "--tasks",
        "flip,crop,depth,position",
        "--seed",
        "13",
        "--difficulty",
        "0.2:0.8",
        "--difficulty",
        "depth=0:0.5",
        "--threads",
        "1");
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .tasks(List.of("flip", "crop", "depth", "position"))
        .seed(13)
        .difficulty("0.2:0.8")
        .difficulty("depth=0:0.5")
        .parquet(false)
        .partitions(2)
        .build()
        .write(LocalSpark.session(), SceneListing.synthetic(6), sp.toString());
    String train = DatasetFormat.jsonl(DatasetFormat.TRAIN);
    List<String> cliLines = Files.readAllLines(cli.resolve(train));
    assertTrue(!cliLines.isEmpty(), "some samples are kept");
    assertEquals(new TreeSet<>(cliLines), new TreeSet<>(Datasets.rawLines(sp, train)), train);
    List<String> cliRejects = Files.readAllLines(cli.resolve(DatasetFormat.REJECTS));
    assertTrue(
        cliRejects.stream().anyMatch(l -> l.contains(": difficulty ")),
        "some samples are out of range: " + cliRejects);
    assertEquals(
        new TreeSet<>(cliRejects),
        new TreeSet<>(Datasets.rawLines(sp, DatasetFormat.REJECTS)),
        "reject lines");
    assertEquals(imageHashes(cli), imageHashes(sp), "image files and their bytes");
    sameManifests(cli, sp);
  }

  /**
   * Real RGB-only photos: the depth tasks reject every scene, so the reject lines (and the
   * manifest's counts of them) are compared byte for byte where the synthetic scenes give none.
   */
  @Test
  void rejectionsOfRealScenesAreTheSameLines(@TempDir Path dir) throws Exception {
    Path jar = cliJar();
    Path rgb = SharedData.require("data/rgb");
    Path cli = dir.resolve("cli");
    runCli(
        jar,
        "--out",
        cli.toString(),
        "--tasks",
        "depth,position,flip",
        "--seed",
        "3",
        "--threads",
        "1",
        rgb.toString());
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .tasks(List.of("depth", "position", "flip"))
        .seed(3)
        .parquet(false)
        .build()
        .write(LocalSpark.session(), SceneListing.of(rgb.toString()), sp.toString());
    List<String> cliRejects = Files.readAllLines(cli.resolve(DatasetFormat.REJECTS));
    assertTrue(cliRejects.size() >= 10, "RGB-only scenes are rejected by depth: " + cliRejects);
    assertEquals(
        new TreeSet<>(cliRejects),
        new TreeSet<>(Datasets.rawLines(sp, DatasetFormat.REJECTS)),
        "reject lines");
    String train = DatasetFormat.jsonl(DatasetFormat.TRAIN);
    assertEquals(
        new TreeSet<>(Files.readAllLines(cli.resolve(train))),
        new TreeSet<>(Datasets.rawLines(sp, train)),
        train);
    assertEquals(imageHashes(cli), imageHashes(sp), "image files and their bytes");
    sameManifests(cli, sp);
  }

  /**
   * {@code --trl --easyr1 --image-paths absolute}: the same layout files (Spark's as part folders
   * under the same names, without Spark's {@code _SUCCESS} marker), the same columns, and the same
   * rows once each writer's dataset folder is read as one placeholder; image bytes compared by
   * hash.
   */
  @Test
  void trainerLayoutsHoldTheSameRows(@TempDir Path dir) throws Exception {
    Path jar = cliJar();
    Path cli = dir.resolve("cli");
    runCli(
        jar,
        "--out",
        cli.toString(),
        "--builtin-scenes",
        "4",
        "--tasks",
        "crop,flip,shuffle",
        "--seed",
        "5",
        "--val-fraction",
        "0.34",
        "--parquet",
        "--trl",
        "--easyr1",
        "--image-paths",
        "absolute",
        "--threads",
        "1");
    SparkSession spark = LocalSpark.session();
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .tasks(List.of("crop", "flip", "shuffle"))
        .seed(5)
        .valFraction(0.34)
        .layouts("trl", "easyr1")
        .imagePaths(ImagePaths.ABSOLUTE)
        .partitions(2)
        .build()
        .write(spark, SceneListing.synthetic(4), sp.toString());
    String cliRoot = cli.toAbsolutePath().toString();
    String spRoot = sp.toAbsolutePath().toString();
    assertEquals(
        List.of("test.parquet", "train.parquet"),
        new ArrayList<>(new TreeSet<>(Arrays.asList(sp.resolve("easyr1").toFile().list()))));
    for (String split : DatasetFormat.splits(0.34)) {
      String name = DatasetFormat.jsonl(split);
      TreeSet<String> cliLines = new TreeSet<>();
      for (String l : Files.readAllLines(cli.resolve(name))) {
        assertTrue(l.contains("\"" + cliRoot + "/images/"), l);
        cliLines.add(l.replace(cliRoot, "<root>"));
      }
      TreeSet<String> spLines = new TreeSet<>();
      for (String l : Datasets.rawLines(sp, name)) {
        spLines.add(l.replace(spRoot, "<root>"));
      }
      assertEquals(cliLines, spLines, name);
      String generic = DatasetFormat.parquet(split);
      assertEquals(
          canonicalRows(spark.read().parquet(cli.resolve(generic).toString()), cliRoot),
          canonicalRows(spark.read().parquet(sp.resolve(generic).toString()), spRoot),
          generic + " rows, absolute image paths");
      for (TrainerLayout l : List.of(new TrlLayout(), new EasyR1Layout())) {
        String layout = l.file(split);
        assertTrue(
            Files.notExists(sp.resolve(layout).resolve("_SUCCESS")), layout + " has no marker");
        Dataset<Row> a = spark.read().parquet(cli.resolve(layout).toString());
        Dataset<Row> b = spark.read().parquet(sp.resolve(layout).toString());
        List<String> columns = l instanceof TrlLayout ? TrlLayout.COLUMNS : EasyR1Layout.COLUMNS;
        assertEquals(columns, Arrays.asList(a.columns()), layout + " (CLI)");
        assertEquals(columns, Arrays.asList(b.columns()), layout + " (Spark)");
        assertEquals(a.schema(), b.schema(), layout + " schema");
        String features = footerEntry(cli.resolve(layout));
        assertTrue(features.contains("\"Image\""), features);
        for (String part : Datasets.files(sp.resolve(layout))) {
          if (part.startsWith("part-")) {
            assertEquals(features, footerEntry(sp.resolve(layout).resolve(part)), part);
          }
        }
        TreeSet<String> rowsA = canonicalRows(a, cliRoot);
        assertEquals(cliLines.size(), rowsA.size(), layout + " row count");
        assertEquals(rowsA, canonicalRows(b, spRoot), layout + " rows");
      }
    }
    sameManifests(cli, sp);
  }

  /**
   * A layout defined only in a test source file ({@link AnswerKeyLayout}, found through its service
   * entry) is written by {@code ssrl generate --layout answer-key} and by the Spark job's {@code
   * --layout answer-key} with no switch in either: the same files (Spark's as part folders), the
   * same schema, rows and footer entry, and the manifest names it in both.
   */
  @Test
  void aLayoutOnTheClassPathIsWrittenByBoth(@TempDir Path dir) throws Exception {
    Path jar = cliJar();
    Path cli = dir.resolve("cli");
    String[] shared = {
      "--tasks",
      "crop,flip,shuffle",
      "--seed",
      "5",
      "--val-fraction",
      "0.34",
      "--layout",
      AnswerKeyLayout.NAME
    };
    // The CLI's shaded jar plus this module's test classes, where the layout and its service
    // entry are.
    Path testClasses =
        Path.of(AnswerKeyLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> cliArgs =
        new ArrayList<>(
            List.of("--out", cli.toString(), "--builtin-scenes", "4", "--threads", "1"));
    cliArgs.addAll(List.of(shared));
    runCliWith(jar + java.io.File.pathSeparator + testClasses, cliArgs);
    Path sp = dir.resolve("spark");
    List<String> sparkArgs = new ArrayList<>(List.of("--out", sp.toString(), "--no-parquet"));
    sparkArgs.addAll(List.of(shared));
    sparkArgs.add("synthetic:4");
    SparkGenerateMain.Parsed parsed = SparkGenerateMain.parse(sparkArgs.toArray(new String[0]));
    SparkSession spark = LocalSpark.session();
    parsed.builder().build().write(spark, SceneListing.of(parsed.sources()), parsed.out());

    AnswerKeyLayout layout = new AnswerKeyLayout();
    int rows = 0;
    boolean someNull = false;
    boolean someBytes = false;
    for (String split : DatasetFormat.splits(0.34)) {
      String name = layout.file(split);
      assertTrue(Files.isRegularFile(cli.resolve(name)), name + " (CLI)");
      assertTrue(Files.isDirectory(sp.resolve(name)), name + " (Spark)");
      assertTrue(Files.notExists(sp.resolve(name).resolve("_SUCCESS")), name + " has no marker");
      Dataset<Row> a = spark.read().parquet(cli.resolve(name).toString());
      Dataset<Row> b = spark.read().parquet(sp.resolve(name).toString());
      assertEquals(
          List.of("id", "answer", "image_count", "second_image", "tags", "source"),
          Arrays.asList(a.columns()));
      assertEquals(a.schema(), b.schema(), name + " schema");
      TreeSet<String> rowsA = canonicalRows(a, cli.toString());
      assertEquals(
          Files.readAllLines(cli.resolve(DatasetFormat.jsonl(split))).size(),
          rowsA.size(),
          name + " has a row per line");
      assertEquals(rowsA, canonicalRows(b, sp.toString()), name + " rows");
      rows += rowsA.size();
      for (String r : rowsA) {
        someNull |= r.contains(",null,");
        someBytes |= !r.contains(",null,");
      }
      assertEquals(
          AnswerKeyLayout.NAME, footerEntry(cli.resolve(name), AnswerKeyLayout.FOOTER_KEY));
      for (String part : Datasets.files(sp.resolve(name))) {
        if (part.startsWith("part-")) {
          assertEquals(
              AnswerKeyLayout.NAME,
              footerEntry(sp.resolve(name).resolve(part), AnswerKeyLayout.FOOTER_KEY),
              part);
        }
      }
    }
    assertTrue(rows > 0 && someNull && someBytes, "the test proves something: " + rows);
    JsonNode m = sameManifests(cli, sp);
    assertEquals("[\"" + AnswerKeyLayout.NAME + "\"]", m.get("config").get("layouts").toString());
    assertTrue(
        m.get("files").toString().contains(layout.file(DatasetFormat.VAL)), m.get("files") + "");
    assertTrue(
        Datasets.manifest(sp).get("files").toString().contains(layout.file(DatasetFormat.TRAIN)));
  }

  /** The {@code huggingface} footer entry, which Hugging Face datasets reads the features from. */
  static String footerEntry(Path file) throws IOException {
    return footerEntry(file, DatasetFormat.HUGGING_FACE_KEY);
  }

  private static String footerEntry(Path file, String key) throws IOException {
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
      return r.getFooter().getFileMetaData().getKeyValueMetaData().get(key);
    }
  }

  static TreeSet<String> canonicalRows(Dataset<Row> d, String root) {
    TreeSet<String> s = new TreeSet<>();
    for (Row r : d.collectAsList()) {
      s.add(canonical(r, root));
    }
    return s;
  }

  /** A value as text: binaries as their SHA-256, the dataset folder as {@code <root>}. */
  private static String canonical(Object v, String root) {
    if (v instanceof Row r) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < r.size(); i++) {
        // Arrays as Java lists (Row.get gives Scala's sequences, a library this module does not
        // declare).
        Object field =
            r.isNullAt(i)
                ? null
                : r.schema().fields()[i].dataType() instanceof ArrayType ? r.getList(i) : r.get(i);
        b.append(i == 0 ? "" : ",").append(canonical(field, root));
      }
      return b.append("}").toString();
    }
    if (v instanceof List<?> list) {
      StringBuilder b = new StringBuilder("[");
      for (Object e : list) {
        b.append(canonical(e, root)).append(";");
      }
      return b.append("]").toString();
    }
    if (v instanceof byte[] bytes) {
      try {
        return java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return v == null ? "null" : v.toString().replace(root, "<root>");
  }

  /**
   * The sizing options through both front ends: scenes shrunk below the built-in 640 × 480, a
   * budget that rejects the crop samples: the same lines (with {@code sceneResize} and {@code
   * promptTokens}), images, rejections and manifest ({@code promptTokens} max and p99 included).
   */
  @Test
  void sizingOptionsGiveTheSameDatasetInBoth(@TempDir Path dir) throws Exception {
    Path jar = cliJar();
    Path cli = dir.resolve("cli");
    runCli(
        jar,
        "--out",
        cli.toString(),
        "--builtin-scenes",
        "3",
        "--min-pixels",
        "100000",
        "--max-pixels",
        "120000",
        "--max-prompt-tokens",
        "600",
        "--threads",
        "1");
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .minPixels(100_000)
        .maxPixels(120_000)
        .maxPromptTokens(600)
        .parquet(false)
        .build()
        .write(LocalSpark.session(), SceneListing.synthetic(3), sp.toString());
    String train = DatasetFormat.jsonl(DatasetFormat.TRAIN);
    List<String> cliLines = Files.readAllLines(cli.resolve(train));
    assertTrue(!cliLines.isEmpty() && cliLines.get(0).contains("\"sceneResize\""), "scaled");
    assertEquals(new TreeSet<>(cliLines), new TreeSet<>(Datasets.rawLines(sp, train)), train);
    List<String> cliRejects = Files.readAllLines(cli.resolve(DatasetFormat.REJECTS));
    assertTrue(
        cliRejects.stream().anyMatch(l -> l.contains("crop: prompt over --max-prompt-tokens")),
        "the budget rejected crop: " + cliRejects);
    assertEquals(
        new TreeSet<>(cliRejects),
        new TreeSet<>(Datasets.rawLines(sp, DatasetFormat.REJECTS)),
        "reject lines");
    assertEquals(imageHashes(cli), imageHashes(sp), "image files and their bytes");
    JsonNode m = sameManifests(cli, sp);
    assertTrue(m.get("promptTokens").get("max").asInt() <= 600, m.get("promptTokens").toString());
    assertEquals(120_000, m.get("config").get("maxPixels").asInt());
  }

  static Path cliJar() {
    Path jar = Path.of("../ssrl-cli/target/ssrl.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      String why = jar + " is not built (build the whole reactor, not ssrl-spark alone)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    return jar;
  }

  static void runCli(Path jar, String... args) throws Exception {
    runCliWith(jar.toString(), List.of(args));
  }

  /** {@code ssrl generate} with the given class path (the CLI's jar first). */
  private static void runCliWith(String classPath, List<String> args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", classPath, "dev.ssrl.cli.Main", "generate"));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ssrl generate did not finish");
    assertEquals(0, p.exitValue(), log);
  }

  /** Asserts equal manifests (but for writer keys) and config key order; returns the CLI's. */
  static JsonNode sameManifests(Path cli, Path sp) throws IOException {
    JsonNode cliManifest = DatasetJson.MAPPER.readTree(cli.resolve("manifest.json").toFile());
    JsonNode sparkManifest = DatasetJson.MAPPER.readTree(sp.resolve("manifest.json").toFile());
    assertEquals(
        fieldNames(cliManifest.get("config")),
        fieldNames(sparkManifest.get("config")),
        "manifest config keys, in order");
    assertEquals(datasetPart(cliManifest), datasetPart(sparkManifest), "manifest");
    return cliManifest;
  }

  /**
   * The manifest without the keys that name the writer and the place, and without the config's
   * {@code sources} and {@code builtInScenes}, which together name the scenes each front end's way
   * (the CLI's built-in scenes are Spark's {@code synthetic:N}; checked by the caller).
   */
  private static JsonNode datasetPart(JsonNode manifest) {
    ObjectNode m = manifest.deepCopy();
    m.remove(WRITER_KEYS);
    ((ObjectNode) m.get("config")).remove(List.of("sources", "builtInScenes"));
    return m;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static TreeSet<String> rows(Dataset<Row> d) {
    TreeSet<String> s = new TreeSet<>();
    for (Row r : d.collectAsList()) {
      s.add(r.toString());
    }
    return s;
  }

  static Map<String, String> imageHashes(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (String f : Datasets.files(out.resolve("images"))) {
      m.put(f, Datasets.sha256(out.resolve("images").resolve(f)));
    }
    return m;
  }
}
