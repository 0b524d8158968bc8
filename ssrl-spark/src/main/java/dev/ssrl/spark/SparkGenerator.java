package dev.ssrl.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.ssrl.api.Task;
import dev.ssrl.dataset.DatasetConfig;
import dev.ssrl.dataset.GenerateOptions;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.tasks.Sizing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Generates Spatial-SSRL samples on Spark with the {@code ssrl-tasks} generators, which run on the
 * executors. Immutable and thread-safe: build one with {@link #builder()}, use it from the driver.
 *
 * <p>The samples are a function of (listing, settings, seed) only: sample ids are {@code
 * <scene>-<task>-<variant>}, each sample's randomness comes from {@link dev.ssrl.api.Samples#seed},
 * and images are encoded deterministically, so the number of partitions, the executor that runs a
 * scene and task retries change nothing. The work items, the {@code --mix} rule and the validation
 * split are the single-machine CLI's: the same scenes and seed give the same sample ids, answers
 * and image bytes as {@code ssrl generate}.
 */
public final class SparkGenerator {
  private final JobConfig config;

  private SparkGenerator(JobConfig config) {
    this.config = config;
  }

  /** A builder with the CLI's defaults: all tasks, one variant each, seed 0, JPEG quality 95. */
  public static Builder builder() {
    return new Builder(new GenerateOptions());
  }

  /** A builder over parsed options ({@code SparkGenerateMain}); later setters change them. */
  public static Builder builder(GenerateOptions options) {
    return new Builder(Objects.requireNonNull(options, "options"));
  }

  /**
   * The outcome of every work item as a lazy {@code Dataset<Row>}; nothing is written. Columns:
   * {@code id, scene, task, variant (int), split ("train"|"val"), problem, answer, images
   * (array<binary>, JPEG bytes in prompt order), metadata (JSON text), reason, source}. A sample
   * has a null {@code reason}; a rejection has a non-null {@code reason} and null problem, answer,
   * images, metadata and split.
   *
   * <p>The listing is checked eagerly (one pass over it): duplicate scene ids and malformed listing
   * lines are errors.
   *
   * @throws IllegalArgumentException if a source is missing, a listing line is malformed or two
   *     scenes share an id
   */
  public Dataset<Row> outcomes(SparkSession spark, SceneListing listing) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(listing, "listing");
    Dataset<Row> scenes = listing.rows(spark);
    long count = validate(scenes);
    int partitions =
        config.partitions() > 0 ? config.partitions() : defaultPartitions(spark, count);
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    // Hash partitioning on the id: which executor gets a scene is itself a function of the listing.
    return scenes
        .repartition(partitions, col("id"))
        .mapPartitions(new GenerateFunction(config, conf), Encoders.row(Schemas.OUTCOME));
  }

  /**
   * Generates the dataset into {@code out} (SPEC §6 layout, written as shards; see {@code
   * docs/spark.md}) and returns its counts. {@code out} must not exist or be empty.
   *
   * @throws IllegalArgumentException as {@link #outcomes}, or if {@code out} holds files
   * @throws UncheckedIOException if the output cannot be written
   */
  public GenerationSummary write(SparkSession spark, SceneListing listing, String out) {
    return write(spark, listing, out, false);
  }

  /**
   * As {@link #write(SparkSession, SceneListing, String)}; with {@code overwrite}, whatever {@code
   * out} holds is deleted first (e.g. what a failed job left), as {@code ssrl generate --overwrite}
   * does.
   */
  public GenerationSummary write(
      SparkSession spark, SceneListing listing, String out, boolean overwrite) {
    Objects.requireNonNull(out, "out");
    try {
      return new DatasetWriter(spark, config, listing, out, overwrite)
          .write(outcomes(spark, listing));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the dataset to " + out + ": " + e, e);
    }
  }

  JobConfig config() {
    return config;
  }

  /** A copy with a test hook: every task's first attempt fails after writing n images. */
  SparkGenerator withFailFirstAttemptAfter(int n) {
    return new SparkGenerator(config.withFailFirstAttemptAfter(n));
  }

  /**
   * The number of scenes; fails on malformed listing lines and duplicate ids. One Spark job when
   * the listing is sound (a second one only to name the culprits).
   */
  private static long validate(Dataset<Row> scenes) {
    Dataset<Row> perId =
        scenes.groupBy("id").agg(count(lit(1)).as("n"), max(col("error")).as("error"));
    Row stats =
        perId
            .agg(
                sum("n"),
                sum(when(col("n").gt(1), 1).otherwise(0)),
                sum(when(col("error").isNotNull(), 1).otherwise(0)))
            .first();
    long total = stats.isNullAt(0) ? 0 : stats.getLong(0);
    long duplicated = stats.isNullAt(1) ? 0 : stats.getLong(1);
    long malformed = stats.isNullAt(2) ? 0 : stats.getLong(2);
    if (malformed > 0) {
      StringBuilder m = new StringBuilder(malformed + " malformed listing line(s), e.g.:");
      for (Row r : perId.filter(col("error").isNotNull()).limit(3).collectAsList()) {
        m.append("\n  ").append(r.getString(0)).append(": ").append(r.getString(2));
      }
      throw new IllegalArgumentException(m.toString());
    }
    if (duplicated > 0) {
      Row d = perId.filter(col("n").gt(1)).orderBy("id").first();
      throw new IllegalArgumentException(
          "scene ids must be unique (they name samples and seed them); '"
              + d.getString(0)
              + "' appears "
              + d.getLong(1)
              + " times: give explicit ids in the listing's fourth column");
    }
    return total;
  }

  /**
   * Four partitions per core (scene costs vary, and hash partitioning of few scenes is uneven;
   * more, smaller tasks even the load out), and at most 64 scenes per partition for large listings.
   */
  static int defaultPartitions(SparkSession spark, long scenes) {
    int cores = spark.sparkContext().defaultParallelism();
    long byCores = Math.min(4L * cores, Math.max(1, scenes));
    return (int) Math.min(100_000, Math.max(byCores, (scenes + 63) / 64));
  }

  /**
   * Settings of a {@link SparkGenerator}: the {@link GenerateOptions} of {@code ssrl generate} (the
   * same names, defaults and checks), plus the partitions. Unlike the CLI, the job writes the
   * generic Parquet layout unless told otherwise ({@link #parquet}).
   */
  public static final class Builder {
    private final GenerateOptions options;
    private int partitions;

    private Builder(GenerateOptions options) {
      this.options = options;
    }

    /** Task ids in work-item order (default: all tasks found, SPEC order first). */
    public Builder tasks(List<String> ids) {
      options.tasks(ids);
      return this;
    }

    /**
     * Variants per scene for a task as a multiple of {@link #perScene} (default 1); a fraction
     * gives one extra variant on that share of scenes, chosen by seed and scene id.
     */
    public Builder mix(String task, double weight) {
      options.mix(task, weight);
      return this;
    }

    /** Variants per scene and task (default 1). */
    public Builder perScene(int n) {
      options.perScene(n);
      return this;
    }

    /** The run seed (default 0). */
    public Builder seed(long s) {
      options.seed(s);
      return this;
    }

    /** The prompt profile (default {@code spatial-ssrl}). */
    public Builder profile(String p) {
      options.profile(p);
      return this;
    }

    /** The reasoning-format suffix (default Spatial-SSRL's; empty for none). */
    public Builder suffix(String s) {
      options.suffix(s);
      return this;
    }

    /** A task parameter such as {@code shuffle.grids=2x2,1x3}. */
    public Builder parameter(String key, String value) {
      options.parameter(key, value);
      return this;
    }

    /** One {@code --difficulty} entry: {@code MIN:MAX} or {@code TASK=MIN:MAX}. */
    public Builder difficulty(String entry) {
      options.difficulty(entry);
      return this;
    }

    /** JPEG quality 1..100 (default 95). */
    public Builder jpegQuality(int q) {
      options.jpegQuality(q);
      return this;
    }

    /** Share of scenes whose samples form the validation split, 0 ≤ f &lt; 1 (default 0). */
    public Builder valFraction(double f) {
      options.valFraction(f);
      return this;
    }

    /** Whether {@link #write} also writes the generic Parquet parts (default true). */
    public Builder parquet(boolean p) {
      options.parquet(p);
      return this;
    }

    /** Smallest scene area before tasks run (default EasyR1's 262,144; 0: none); {@link Sizing}. */
    public Builder minPixels(long n) {
      options.minPixels(n);
      return this;
    }

    /** Largest scene area before tasks run (default EasyR1's 4,194,304; 0: no limit). */
    public Builder maxPixels(long n) {
      options.maxPixels(n);
      return this;
    }

    /** Prompt-token budget of a sample (default EasyR1's 4,096; 0: none); {@link Sizing}. */
    public Builder maxPromptTokens(int n) {
      options.maxPromptTokens(n);
      return this;
    }

    /**
     * {@code --depth-model}: estimate the depth of scenes without a depth file with this ONNX
     * model, a file that the driver and every executor can read (docs/depth-models.md).
     */
    public Builder depthModel(String file) {
      options.depthModel(file);
      return this;
    }

    /** {@code --gpu}: the depth model on ONNX Runtime's CUDA execution provider where usable. */
    public Builder gpu(boolean g) {
      options.gpu(g);
      return this;
    }

    /** Trainer layouts to write besides the JSONL parts, by name ({@code --layout}). */
    public Builder layouts(String... names) {
      options.layouts(names);
      return this;
    }

    /** How the lines and layouts name the images (default relative; {@code --image-paths}). */
    public Builder imagePaths(ImagePaths mode) {
      options.imagePaths(mode);
      return this;
    }

    /**
     * Partitions of the scene listing, i.e. units of work; 0 (default) chooses four per core, and
     * more for large listings (at most 64 scenes each). Never changes the samples.
     */
    public Builder partitions(int n) {
      this.partitions = n;
      return this;
    }

    /**
     * The generator. Tasks are looked up through the SPI and run once on a small synthetic scene,
     * so that an unknown task or a bad parameter fails here, on the driver.
     *
     * @throws IllegalArgumentException naming the bad setting
     */
    public SparkGenerator build() {
      if (partitions < 0) {
        throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
      }
      // No scene limit, synthetic scenes named in the sources: the neutral values.
      DatasetConfig d = options.toConfig(TaskRegistry.all(), true, 0, 0, List.of());
      for (TrainerLayout l : d.layouts().resolve()) {
        if (l.numbersRows()) {
          throw new IllegalArgumentException(
              "--layout "
                  + l.name()
                  + ": its rows are numbered in file order, which the job's parts (sorted by id)"
                  + " do not have; write this layout with ssrl generate");
        }
      }
      JobConfig c = new JobConfig(d, partitions, -1, options.depthModel(), options.gpu());
      Map<String, Task> resolved = TaskRegistry.resolve(d.tasks());
      TaskRegistry.checkOptions(resolved, d.baseOptions());
      return new SparkGenerator(c);
    }
  }
}
