package dev.ssrl.spark;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.Layouts;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: {@code ssrl generate} on a cluster.
 *
 * <pre>
 * spark-submit --class dev.ssrl.spark.SparkGenerateMain ssrl-spark.jar \
 *     --out OUT [--tasks shuffle,flip,...] [--mix TASK=W,...] [--per-scene N] [--seed S]
 *     [--profile NAME] [--suffix TEXT] [--param KEY=VALUE ...] [--jpeg-quality Q]
 *     [--val-fraction F] [--no-parquet] [--trl] [--easyr1] [--image-paths relative|absolute]
 *     [--balance] [--partitions N] [--overwrite]
 *     [--min-pixels N] [--max-pixels N] [--max-prompt-tokens N] SOURCE ...
 * </pre>
 *
 * A SOURCE is a listing file, a folder or {@code synthetic:N} (see {@link SceneListing}); paths are
 * Hadoop paths or URIs. Exit status: 0 done, 2 unusable arguments, 1 other failures; messages go to
 * standard error.
 */
public final class SparkGenerateMain {
  private SparkGenerateMain() {}

  static final String USAGE =
      "usage: spark-submit --class dev.ssrl.spark.SparkGenerateMain ssrl-spark.jar --out OUT\n"
          + "         [--tasks T1,T2,...] [--mix TASK=W,...] [--per-scene N] [--seed S]\n"
          + "         [--profile NAME] [--suffix TEXT] [--param KEY=VALUE]... [--jpeg-quality Q]\n"
          + "         [--val-fraction F] [--no-parquet] [--trl] [--easyr1]\n"
          + "         [--image-paths relative|absolute] [--balance] [--partitions N] [--overwrite]\n"
          + "         [--min-pixels N] [--max-pixels N] [--max-prompt-tokens N]\n"
          + "         SOURCE...\n"
          + "  SOURCE: a listing file (rgb[,depth[,mask[,id]]] per line), a folder of scenes,\n"
          + "          or synthetic:N (the built-in synthetic scenes); any Hadoop path or URI.";

  /** Runs the job and exits with its status. */
  public static void main(String[] args) {
    int status = run(args, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Parses, runs and reports; returns the exit status. */
  static int run(String[] args, PrintStream err) {
    Parsed p;
    try {
      p = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("ssrl-spark: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (p == null) {
      err.println(USAGE);
      return 0;
    }
    SparkGenerator generator;
    SceneListing listing;
    try {
      generator = p.builder.build();
      listing = SceneListing.of(p.sources);
    } catch (IllegalArgumentException e) {
      err.println("ssrl-spark: " + e.getMessage());
      return 2;
    }
    SparkSession spark = SparkSession.builder().appName("ssrl-generate").getOrCreate();
    try {
      GenerationSummary s = generator.write(spark, listing, p.out, p.overwrite);
      err.println(
          "ssrl-spark: wrote "
              + s.train()
              + " train"
              + (s.val() > 0 ? " + " + s.val() + " val" : "")
              + " samples, "
              + s.rejected()
              + " rejections to "
              + s.out());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("ssrl-spark: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("ssrl-spark: failed: " + e);
      return 1;
    } finally {
      spark.stop();
    }
  }

  /** Parsed arguments. */
  record Parsed(
      SparkGenerator.Builder builder, String out, boolean overwrite, List<String> sources) {}

  /** The arguments, or null for {@code --help}. */
  static Parsed parse(String[] args) {
    SparkGenerator.Builder b = SparkGenerator.builder();
    String out = null;
    boolean overwrite = false;
    boolean trl = false;
    boolean easyR1 = false;
    ImagePaths imagePaths = ImagePaths.RELATIVE;
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--out" -> out = value(args, ++i, a);
        case "--tasks" -> b.tasks(Arrays.asList(value(args, ++i, a).split(",", -1)));
        case "--mix" -> {
          for (String part : value(args, ++i, a).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--mix entry '" + part + "' is not TASK=WEIGHT");
            }
            b.mix(part.substring(0, eq).trim(), number(part.substring(eq + 1), "--mix"));
          }
        }
        case "--per-scene" -> b.perScene((int) integer(value(args, ++i, a), a));
        case "--seed" -> b.seed(integer(value(args, ++i, a), a));
        case "--profile" -> b.profile(value(args, ++i, a));
        case "--suffix" -> b.suffix(GenerationOptions.suffixFromFlag(value(args, ++i, a)));
        case "--param" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--param '" + kv + "' is not KEY=VALUE");
          }
          b.parameter(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--jpeg-quality" -> b.jpegQuality((int) integer(value(args, ++i, a), a));
        case "--val-fraction" -> b.valFraction(number(value(args, ++i, a), a));
        case "--no-parquet" -> b.parquet(false);
        case "--trl" -> trl = true;
        case "--easyr1" -> easyR1 = true;
        case "--image-paths" -> imagePaths = ImagePaths.parse(value(args, ++i, a));
        case "--balance" -> b.parameter("ssrl.balance", "true"); // as ssrl generate --balance
        case "--overwrite", "--force" -> overwrite = true;
        case "--partitions" -> b.partitions((int) integer(value(args, ++i, a), a));
        case "--min-pixels" -> b.minPixels(integer(value(args, ++i, a), a));
        case "--max-pixels" -> b.maxPixels(integer(value(args, ++i, a), a));
        case "--max-prompt-tokens" -> b.maxPromptTokens(intValue(value(args, ++i, a), a));
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          sources.add(a);
        }
      }
    }
    b.layouts(new Layouts(trl, easyR1, imagePaths));
    if (out == null) {
      throw new IllegalArgumentException("--out is required");
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("give at least one SOURCE (e.g. synthetic:24)");
    }
    return new Parsed(b, out, overwrite, sources);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long integer(String s, String option) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs an integer, got '" + s + "'", e);
    }
  }

  private static int intValue(String s, String option) {
    long v = integer(s, option);
    if (v != (int) v) {
      throw new IllegalArgumentException(option + " is out of range: " + s);
    }
    return (int) v;
  }

  private static double number(String s, String option) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + s + "'", e);
    }
  }
}
