package dev.ssrl.spark;

import dev.ssrl.dataset.GenerateOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code spark-submit} entry point: {@code ssrl generate} on a cluster. The options are the
 * CLI's ({@link GenerateOptions}, parsed by the same picocli model), plus {@code --partitions}; a
 * SOURCE is a listing file, a folder or {@code synthetic:N} (see {@link SceneListing}); paths are
 * Hadoop paths or URIs. Unlike the CLI, the job writes the generic Parquet layout unless {@code
 * --no-parquet}. Exit status: 0 done, 2 unusable arguments, 1 other failures; messages go to
 * standard error.
 */
public final class SparkGenerateMain {
  private SparkGenerateMain() {}

  /** The job's command line: the shared generate options and what only the job has. */
  @Command(
      name = "spark-submit --class dev.ssrl.spark.SparkGenerateMain ssrl-spark.jar",
      description = "Generates a training dataset on Spark (docs/spark.md).",
      sortOptions = true)
  static final class Args {
    @Mixin GenerateOptions options = new GenerateOptions();

    @Option(
        names = "--partitions",
        defaultValue = "0",
        paramLabel = "N",
        description =
            "Scene partitions, i.e. units of work (default 0: four per core, at most 64 scenes"
                + " each); never changes the samples.")
    int partitions;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;

    @Parameters(
        paramLabel = "SOURCE",
        arity = "0..*",
        description =
            "A listing file (rgb[,depth[,mask[,id]]] per line), a folder of scenes, or synthetic:N"
                + " (the built-in synthetic scenes); any Hadoop path or URI.")
    List<String> sources = new ArrayList<>();
  }

  /** The usage text ({@code --help}). */
  static String usage() {
    return new CommandLine(new Args()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

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
      err.print(usage());
      return 2;
    }
    if (p == null) {
      err.print(usage());
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

  /**
   * The arguments, or null for {@code --help}.
   *
   * @throws IllegalArgumentException naming the option and the cause
   */
  static Parsed parse(String[] args) {
    Args a = new Args();
    CommandLine cl = new CommandLine(a);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (cl.isUsageHelpRequested()) {
      return null;
    }
    if (a.sources.isEmpty()) {
      throw new IllegalArgumentException("give at least one SOURCE (e.g. synthetic:24)");
    }
    SparkGenerator.Builder b = SparkGenerator.builder(a.options).partitions(a.partitions);
    return new Parsed(b, a.options.out(), a.options.overwrite(), a.sources);
  }
}
