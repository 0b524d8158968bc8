package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Argument handling of the spark-submit main; unusable arguments exit 2 before Spark starts. */
class SparkGenerateMainTest {

  private static String[] run(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = SparkGenerateMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String err = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(expectedStatus, status, err);
    return new String[] {err};
  }

  @Test
  void unusableArgumentsExitWithStatusTwoAndSayWhy() {
    // The parse errors are picocli's, as for ssrl generate; the checks are GenerateOptions'.
    assertTrue(run(2, "synthetic:2")[0].contains("Missing required option: '--out=DIR'"));
    assertTrue(run(2, "--out", "x")[0].contains("at least one SOURCE"));
    assertTrue(run(2, "--out", "x", "--bogus", "synthetic:1")[0].contains("Unknown option"));
    assertTrue(
        run(2, "--out", "x", "--per-scene", "two", "s")[0].contains(
            "Invalid value for option '--per-scene': 'two' is not an int"));
    assertTrue(run(2, "--out", "x", "--tasks", "nope", "synthetic:1")[0].contains("unknown task"));
    assertTrue(
        run(2, "--out", "x", "--mix", "shuffle", "synthetic:1")[0].contains(
            "--mix entry 'shuffle' is not TASK=WEIGHT"));
    assertTrue(run(2, "--out", "x", "synthetic:zero")[0].contains("synthetic:N"));
    assertTrue(run(2, "--out")[0].contains("Missing required parameter for option '--out'"));
    assertTrue(
        run(2, "--out", "x", "--balance", "--param", "ssrl.balance=false", "synthetic:1")[0]
            .contains("--balance contradicts --param ssrl.balance=false"));
    assertTrue(
        run(2, "--out", "x", "--layout", "verl", "synthetic:1")[0].contains(
            "--layout verl: its rows are numbered in file order"));
    String unknown = run(2, "--out", "x", "--layout", "nope", "synthetic:1")[0];
    assertTrue(unknown.contains("--layout: unknown layout 'nope'; known layouts: "), unknown);
    assertTrue(unknown.contains("parquet, trl, easyr1, verl"), unknown);
  }

  @Test
  void helpPrintsUsage() {
    String help = run(0, "--help")[0];
    assertTrue(help.contains("Usage: spark-submit --class dev.ssrl.spark.SparkGenerateMain"), help);
    // The shared options, with the CLI's help text, and the job's own.
    for (String option :
        new String[] {"--layout=NAME", "--no-parquet", "--partitions=N", "--preset"}) {
      assertTrue(help.contains(option), option + " in " + help);
    }
  }

  @Test
  void optionsReachTheBuilder() {
    SparkGenerateMain.Parsed p =
        SparkGenerateMain.parse(
            new String[] {
              "--out",
              "hdfs:///o",
              "--tasks",
              "shuffle,crop",
              "--mix",
              "crop=0.5",
              "--per-scene",
              "2",
              "--seed",
              "9",
              "--param",
              "shuffle.grids=2x2",
              "--jpeg-quality",
              "90",
              "--val-fraction",
              "0.1",
              "--no-parquet",
              "--partitions",
              "16",
              "--overwrite",
              "a.csv",
              "synthetic:4"
            });
    JobConfig c = p.builder().build().config();
    assertEquals("hdfs:///o", p.out());
    assertTrue(p.overwrite());
    assertEquals(java.util.List.of("a.csv", "synthetic:4"), p.sources());
    assertEquals(java.util.List.of("shuffle", "crop"), c.dataset().tasks());
    assertEquals(0.5, c.dataset().weights().get("crop"));
    assertEquals(2, c.dataset().perScene());
    assertEquals(9, c.dataset().seed());
    assertEquals("2x2", c.dataset().parameters().get("shuffle.grids"));
    assertEquals(90, c.dataset().jpegQuality());
    assertEquals(0.1, c.dataset().valFraction());
    assertEquals(java.util.List.of(), c.dataset().layouts().names(), "--no-parquet");
    assertEquals(16, c.partitions());
    assertEquals(dev.ssrl.tasks.Sizing.EASYR1, c.dataset().sizing(), "defaults: EasyR1's");
    assertEquals(dev.ssrl.dataset.ImagePaths.RELATIVE, c.dataset().layouts().imagePaths());
  }

  @Test
  void sizingOptionsReachTheConfig() {
    SparkGenerateMain.Parsed p =
        SparkGenerateMain.parse(
            new String[] {
              "--out",
              "o",
              "--min-pixels",
              "1000",
              "--max-pixels",
              "90000",
              "--max-prompt-tokens",
              "2048",
              "synthetic:1"
            });
    assertEquals(
        new dev.ssrl.tasks.Sizing(1000, 90_000, 2048),
        p.builder().build().config().dataset().sizing());
    String[] bad = run(2, "--out", "o", "--min-pixels", "9", "--max-pixels", "8", "synthetic:1");
    assertTrue(bad[0].contains("--min-pixels (9) must not exceed --max-pixels (8)"), bad[0]);
    assertTrue(
        run(2, "--out", "o", "--max-prompt-tokens", "9999999999", "synthetic:1")[0].contains(
            "Invalid value for option '--max-prompt-tokens': '9999999999' is not an int"));
  }

  @Test
  void layoutFlagsReachTheConfig() {
    JobConfig c =
        SparkGenerateMain.parse(
                new String[] {
                  "--out", "o", "--trl", "--easyr1", "--image-paths", "absolute", "synthetic:1"
                })
            .builder()
            .build()
            .config();
    assertEquals(
        new dev.ssrl.dataset.Layouts(
            java.util.List.of("parquet", "trl", "easyr1"), dev.ssrl.dataset.ImagePaths.ABSOLUTE),
        c.dataset().layouts(),
        "the job writes the generic Parquet by default; the aliases add");
    assertEquals(
        c.dataset().layouts(),
        SparkGenerateMain.parse(
                new String[] {
                  "--out", "o", "--layout", "easyr1,trl", "--image-paths", "absolute", "synthetic:1"
                })
            .builder()
            .build()
            .config()
            .dataset()
            .layouts(),
        "--layout easyr1,trl is --trl --easyr1");
    assertTrue(
        run(2, "--out", "x", "--image-paths", "abs", "synthetic:1")[0].contains(
            "--image-paths must be relative or absolute, got 'abs'"));
  }
}
