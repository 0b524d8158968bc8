package dev.ssrl.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the SPEC §6 layout from the outcomes of a job:
 *
 * <pre>
 * OUT/manifest.json                      counts per task, rejects per task and reason, config
 * OUT/images/&lt;task&gt;/&lt;id&gt;.jpg, &lt;id&gt;_1.jpg ...
 * OUT/train.jsonl/part-NNNNN-….jsonl     the CLI's lines, sorted by id across the parts
 * OUT/train.parquet/part-NNNNN-….parquet id, task, problem, answer, images, metadata (JSON)
 * OUT/val.jsonl/, OUT/val.parquet/       when valFraction &gt; 0
 * OUT/rejects.jsonl/part-NNNNN-….jsonl   scene, task, variant, reason, source
 * </pre>
 *
 * <p>Generation runs once: one Spark job generates, writes the images ({@link ImageWriteFunction})
 * and commits the outcome rows (text only) to a staging Parquet folder through Spark's committer;
 * the JSONL and Parquet parts and the manifest's counts are then derived from that staging copy,
 * which is deleted at the end. A failed job leaves no manifest: rerun it into a fresh folder.
 */
final class DatasetWriter {
  static final String FORMAT = "ssrl-dataset/1";
  static final String STAGING = "_ssrl-staging";
  static final String MANIFEST = "manifest.json";

  private final SparkSession spark;
  private final JobConfig config;
  private final SceneListing listing;
  private final Path out;
  private final FileSystem fs;
  private final boolean overwrite;

  DatasetWriter(
      SparkSession spark, JobConfig config, SceneListing listing, String out, boolean overwrite)
      throws IOException {
    this.overwrite = overwrite;
    this.spark = spark;
    this.config = config;
    this.listing = listing;
    Path p = new Path(out);
    this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    this.out = fs.makeQualified(p);
  }

  GenerationSummary write(Dataset<Row> outcomes) throws IOException {
    String started = Instant.now().toString();
    prepare();
    Path staging = new Path(out, STAGING);
    Path tmp = new Path(staging, "tmp");
    fs.mkdirs(tmp);
    for (String t : config.tasks()) {
      // HDFS renames need the parent folder; object stores ignore folders.
      fs.mkdirs(new Path(out, "images/" + t));
    }
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    Path staged = new Path(staging, "outcomes");
    outcomes
        .mapPartitions(
            new ImageWriteFunction(
                out.toString(), tmp.toString(), conf, config.failFirstAttemptAfter()),
            Encoders.row(Schemas.STAGED))
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(staged.toString());

    Dataset<Row> rows = spark.read().schema(Schemas.STAGED).parquet(staged.toString());
    int shards = Math.max(1, rows.rdd().getNumPartitions());
    List<String> files = new ArrayList<>();
    boolean hasVal = config.valFraction() > 0;
    for (String split : hasVal ? List.of("train", "val") : List.of("train")) {
      Dataset<Row> samples =
          rows.filter(col("reason").isNull().and(col("split").equalTo(split)))
              .repartitionByRange(shards, col("id"))
              .sortWithinPartitions("id");
      writeJsonl(samples.map(new SampleLine(), Encoders.STRING()), split + ".jsonl", files);
      if (config.parquet()) {
        samples
            .select("id", "task", "problem", "answer", "images", "metadata")
            .write()
            .mode(SaveMode.ErrorIfExists)
            .parquet(new Path(out, split + ".parquet").toString());
        files.add(split + ".parquet");
      }
    }
    Dataset<Row> rejects =
        rows.filter(col("reason").isNotNull())
            .repartitionByRange(shards, col("id"))
            .sortWithinPartitions("id");
    writeJsonl(rejects.map(new RejectLine(), Encoders.STRING()), "rejects.jsonl", files);

    Counts counts = count(rows);
    writeManifest(counts, SparkAudit.of(rows).toMap(), files, started);
    fs.delete(staging, true);
    return counts.summary();
  }

  /**
   * Refuses (or, with overwrite, empties) a folder with content, so that no stale image or part can
   * mix into the dataset.
   */
  private void prepare() throws IOException {
    if (fs.exists(out)) {
      FileStatus st = fs.getFileStatus(out);
      if (!st.isDirectory()) {
        throw new IllegalArgumentException("output " + out + " exists and is not a folder");
      }
      if (fs.listStatus(out).length > 0) {
        if (!overwrite) {
          throw new IllegalArgumentException(
              "output folder "
                  + out
                  + " is not empty; choose a new folder, or use --overwrite to replace it");
        }
        fs.delete(out, true);
      }
    }
    fs.mkdirs(out);
  }

  private void writeJsonl(Dataset<String> lines, String name, List<String> files)
      throws IOException {
    Path dir = new Path(out, name);
    lines.write().mode(SaveMode.ErrorIfExists).text(dir.toString());
    // Spark's text source names its parts *.txt; the dataset's parts are JSON lines.
    for (FileStatus f : fs.listStatus(dir)) {
      String n = f.getPath().getName();
      if (n.startsWith("part-") && n.endsWith(".txt")) {
        Path target = new Path(dir, n.substring(0, n.length() - 4) + ".jsonl");
        if (!fs.rename(f.getPath(), target)) {
          throw new IOException("cannot rename " + f.getPath() + " to " + target);
        }
      }
    }
    files.add(name);
  }

  /** The summary, and train/val counts per task for the manifest. */
  private record Counts(GenerationSummary summary, Map<String, long[]> splits) {}

  private Counts count(Dataset<Row> rows) {
    Map<String, Long> perTask = new LinkedHashMap<>();
    Map<String, long[]> splits = new LinkedHashMap<>();
    for (String t : config.tasks()) {
      perTask.put(t, 0L);
      splits.put(t, new long[2]);
    }
    Map<String, Map<String, Long>> rejects = new TreeMap<>();
    long train = 0;
    long val = 0;
    long rejected = 0;
    for (Row r : rows.groupBy("task", "split", "reason").count().collectAsList()) {
      String task = r.getString(0);
      long n = r.getLong(3);
      if (r.isNullAt(2)) {
        perTask.merge(task, n, Long::sum);
        boolean isVal = "val".equals(r.getString(1));
        splits.computeIfAbsent(task, k -> new long[2])[isVal ? 1 : 0] += n;
        if (isVal) {
          val += n;
        } else {
          train += n;
        }
      } else {
        rejects.computeIfAbsent(task, k -> new TreeMap<>()).merge(r.getString(2), n, Long::sum);
        rejected += n;
      }
    }
    return new Counts(
        new GenerationSummary(out.toString(), train, val, rejected, perTask, rejects), splits);
  }

  private void writeManifest(
      Counts counts, Map<String, Object> audit, List<String> files, String started)
      throws IOException {
    GenerationSummary s = counts.summary();
    boolean hasVal = config.valFraction() > 0;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", version());
    m.put("config", config.toMap(listing.sources()));
    m.put("seed", config.seed());
    m.put("sources", listing.sources());
    Map<String, Object> perTask = new LinkedHashMap<>();
    for (String t : s.perTask().keySet()) {
      long[] c = counts.splits().getOrDefault(t, new long[2]);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("train", c[0]);
      if (hasVal) {
        e.put("val", c[1]);
      }
      perTask.put(t, e);
    }
    m.put("counts", perTask);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("train", s.train());
    if (hasVal) {
      totals.put("val", s.val());
    }
    totals.put("rejected", s.rejected());
    m.put("totals", totals);
    m.put("rejects", s.rejects());
    m.put("audit", audit);
    m.put("files", files);
    Map<String, Object> shards = new LinkedHashMap<>();
    for (String f : files) {
      shards.put(f, parts(new Path(out, f)));
    }
    m.put("shards", shards);
    // Run facts that differ between identical datasets live under "run" only.
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("engine", "spark");
    run.put("sparkVersion", spark.version());
    run.put("master", spark.sparkContext().master());
    run.put("applicationId", spark.sparkContext().applicationId());
    run.put("started", started);
    run.put("finished", Instant.now().toString());
    m.put("run", run);
    byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    Path tmp = new Path(out, "." + MANIFEST + ".tmp");
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(bytes);
    }
    Path target = new Path(out, MANIFEST);
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  private int parts(Path dir) throws IOException {
    int n = 0;
    for (FileStatus f : fs.listStatus(dir)) {
      if (f.getPath().getName().startsWith("part-")) {
        n++;
      }
    }
    return n;
  }

  static String version() {
    String v = DatasetWriter.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** A sample row as the CLI's {@code train.jsonl} line. */
  static final class SampleLine implements MapFunction<Row, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(Row r) {
      return Json.sampleLine(
          r.getString(Schemas.O_ID),
          r.getString(Schemas.O_TASK),
          r.getString(Schemas.O_PROBLEM),
          r.getString(Schemas.O_ANSWER),
          Schemas.list(r, Schemas.O_IMAGES),
          r.getString(Schemas.O_METADATA));
    }
  }

  /** A rejection row as a {@code rejects.jsonl} line. */
  static final class RejectLine implements MapFunction<Row, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(Row r) {
      return Json.rejectLine(
          r.getString(Schemas.O_SCENE),
          r.getString(Schemas.O_TASK),
          r.getInt(Schemas.O_VARIANT),
          r.getString(Schemas.O_REASON),
          r.getString(Schemas.O_SOURCE));
    }
  }
}
