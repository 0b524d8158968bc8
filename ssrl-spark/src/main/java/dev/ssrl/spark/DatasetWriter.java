package dev.ssrl.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;

import dev.ssrl.dataset.Counts;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.Layouts;
import dev.ssrl.dataset.Manifest;
import dev.ssrl.dataset.RejectLine;
import dev.ssrl.dataset.SampleLine;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.depth.DepthModel;
import dev.ssrl.tasks.Sizing;
import dev.ssrl.tasks.audit.BlindAudit;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the SPEC §6 layout ({@link DatasetFormat}, docs/dataset-format.md) from the outcomes of a
 * job:
 *
 * <pre>
 * OUT/manifest.json                      counts per task, rejects per task and reason, config
 * OUT/images/&lt;task&gt;/&lt;id&gt;.jpg, &lt;id&gt;_1.jpg ...
 * OUT/train.jsonl/part-NNNNN-….jsonl     the CLI's lines, sorted by id across the parts
 * OUT/val.jsonl/                        when valFraction &gt; 0
 * OUT/train.parquet/part-NNNNN-….parquet each trainer layout's file of each split as a folder of
 * OUT/trl/train.parquet/part-…           parts (here the generic and the TRL layouts)
 * OUT/rejects.jsonl/part-NNNNN-….jsonl   scene, task, variant, reason[, source]
 * </pre>
 *
 * <p>Generation runs once: one Spark job generates, writes the images ({@link ImageWriteFunction})
 * and commits the outcome rows (text only) to a staging Parquet folder through Spark's committer;
 * the JSONL and Parquet parts and the manifest's counts are then derived from that staging copy,
 * which is deleted at the end. A failed job leaves no manifest: rerun it into a fresh folder.
 */
final class DatasetWriter {
  static final String STAGING = "_ssrl-staging";

  /** The file that marks a folder as being written by a job (Spark's readers skip {@code _}). */
  static final String LOCK = "_ssrl-job.lock";

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
    Path lock = lock(started);
    try {
      prepare();
      return writeLocked(outcomes, started);
    } finally {
      fs.delete(lock, false);
    }
  }

  private GenerationSummary writeLocked(Dataset<Row> outcomes, String started) throws IOException {
    Path staging = new Path(out, STAGING);
    Path tmp = new Path(staging, "tmp");
    fs.mkdirs(tmp);
    for (String t : config.dataset().tasks()) {
      // HDFS renames need the parent folder; object stores ignore folders.
      fs.mkdirs(new Path(new Path(out, DatasetFormat.IMAGES), t));
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
    Layouts layouts = config.dataset().layouts();
    String root = imageRoot(out);
    for (String split : DatasetFormat.splits(config.dataset().valFraction())) {
      Dataset<Row> samples =
          rows.filter(col("reason").isNull().and(col("split").equalTo(split)))
              .repartitionByRange(shards, col("id"))
              .sortWithinPartitions("id");
      writeJsonl(
          samples.map(new SampleLineOf(layouts.imagePaths(), root), Encoders.STRING()),
          DatasetFormat.jsonl(split),
          files);
      // Every layout the same way, in TrainerLayouts order (the CLI's).
      for (TrainerLayout layout : layouts.resolve()) {
        writeLayout(samples, layout, layout.file(split), root, conf, files);
      }
    }
    Dataset<Row> rejects =
        rows.filter(col("reason").isNotNull())
            .repartitionByRange(shards, col("id"))
            .sortWithinPartitions("id");
    writeJsonl(rejects.map(new RejectLineOf(), Encoders.STRING()), DatasetFormat.REJECTS, files);

    Counts counts = count(rows);
    writeManifest(counts, SparkAudit.of(rows), files, started);
    fs.delete(staging, true);
    return summary(counts);
  }

  /**
   * The dataset folder as absolute image paths name it: a plain path on the local file system (what
   * a trainer's {@code open()} takes), the full URI elsewhere.
   */
  static String imageRoot(Path out) {
    java.net.URI u = out.toUri();
    String r = "file".equals(u.getScheme()) ? u.getPath() : out.toString();
    return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
  }

  /**
   * Writes one trainer layout's parts: the layout's rows ({@link LayoutRowOf}) under its Spark row
   * type. Spark's {@code _SUCCESS} marker is removed: Hugging Face datasets would take it for a
   * data file of the split (it skips only hidden files). Each part then gets the layout's footer
   * entries, as the CLI's file has them ({@link FooterEntries}).
   */
  private void writeLayout(
      Dataset<Row> samples,
      TrainerLayout layout,
      String name,
      String root,
      HadoopConf conf,
      List<String> files)
      throws IOException {
    Path dir = new Path(out, name);
    samples
        .map(
            new LayoutRowOf(
                layout, config.dataset().layouts().imagePaths(), out.toString(), root, conf),
            Encoders.row(LayoutRowOf.schema(layout)))
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(dir.toString());
    fs.delete(new Path(dir, "_SUCCESS"), false);
    fs.delete(new Path(dir, "._SUCCESS.crc"), false);
    Map<String, String> footer = layout.footer();
    if (footer.isEmpty()) {
      files.add(name);
      return;
    }
    for (FileStatus f : fs.listStatus(dir)) {
      String n = f.getPath().getName();
      if (n.startsWith("part-") && n.endsWith(".parquet")) {
        FooterEntries.add(fs, conf.get(), f.getPath(), footer);
      }
    }
    files.add(name);
  }

  /**
   * Refuses (or, with overwrite, empties) a folder with content, so that no stale image or part can
   * mix into the dataset.
   */
  /**
   * Takes the output folder for this job: creates {@value #LOCK} in it, failing if it is there. Two
   * jobs (or a job and a rerun with {@code --overwrite}) into one folder would otherwise interleave
   * their images and parts. The create must be exclusive on the file system itself, since the two
   * drivers may run anywhere: on {@code file:} it is {@link Files#createFile} (O_EXCL, also on NFS
   * v3+), elsewhere Hadoop's {@code create} without overwrite, which HDFS's NameNode, ABFS and GCS
   * perform atomically. Nothing else is needed from the file system (no leases, no locks, no
   * appends), so HDFS's semantics suffice. S3A before Hadoop 3.4.2 checks then writes: two drivers
   * starting within moments of each other can both pass there (docs/spark.md).
   *
   * @return the lock file, which the caller deletes when the job ends, failed or not
   * @throws IllegalStateException if another job holds the folder (exit status 1, as the CLI's)
   */
  private Path lock(String started) throws IOException {
    Path lock = new Path(out, LOCK);
    if (fs.exists(out) && !fs.getFileStatus(out).isDirectory()) {
      throw new IllegalArgumentException("output " + out + " exists and is not a folder");
    }
    fs.mkdirs(out);
    byte[] owner =
        ("{\"app\":\""
                + spark.sparkContext().applicationId()
                + "\",\"driver\":\""
                + spark.sparkContext().getConf().get("spark.driver.host", "?")
                + "\",\"started\":\""
                + started
                + "\"}\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      if ("file".equals(lock.toUri().getScheme())) {
        java.nio.file.Path p = java.nio.file.Path.of(lock.toUri());
        Files.createFile(p);
        Files.write(p, owner);
      } else {
        try (OutputStream o = fs.create(lock, false)) {
          o.write(owner);
        }
      }
    } catch (java.nio.file.FileAlreadyExistsException
        | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new IllegalStateException(
          "output folder "
              + out
              + " is being written by another job ("
              + LOCK
              + ": "
              + readLock(lock)
              + "); wait for it, or delete "
              + lock
              + " if that job is no longer running");
    }
    return lock;
  }

  private String readLock(Path lock) {
    try (var in = fs.open(lock)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** Checks that the folder holds nothing but this job's lock, or empties it with overwrite. */
  private void prepare() throws IOException {
    for (FileStatus f : fs.listStatus(out)) {
      if (f.getPath().getName().equals(LOCK)) {
        continue;
      }
      if (!overwrite) {
        throw new IllegalArgumentException(
            "output folder "
                + out
                + " is not empty; choose a new folder, or use --overwrite to replace it");
      }
      fs.delete(f.getPath(), true);
    }
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

  private Counts count(Dataset<Row> rows) {
    Counts counts = new Counts(config.dataset().tasks(), config.dataset().valFraction());
    for (Row r : rows.groupBy("task", "split", "reason").count().collectAsList()) {
      if (r.isNullAt(2)) {
        counts.samples(r.getString(0), r.getString(1), r.getLong(3));
      } else {
        // Spark's load reasons never name a file: the reason is the manifest's key.
        counts.rejects(r.getString(0), r.getString(2), r.getLong(3));
      }
    }
    // The histogram of the samples' prompt-token estimates, for the manifest's max and p99.
    Column tokens =
        get_json_object(col("metadata"), "$." + Sizing.TOKENS_KEY).cast("int").as("tokens");
    for (Row r :
        rows.filter(col("reason").isNull())
            .select(tokens)
            .filter(col("tokens").isNotNull())
            .groupBy("tokens")
            .count()
            .collectAsList()) {
      counts.promptTokens(r.getInt(0), r.getLong(1));
    }
    if (config.depthModel() != null) {
      // Scenes with samples of a depth task, by depth source: the CLI's depthScenes.
      List<String> depthTasks = new ArrayList<>();
      TaskRegistry.resolve(config.dataset().tasks())
          .forEach(
              (id, t) -> {
                if (t.needsDepth()) {
                  depthTasks.add(id);
                }
              });
      Column source =
          get_json_object(col("metadata"), "$." + DepthModel.SOURCE_KEY).as("depthSource");
      long sensor = 0;
      long estimated = 0;
      for (Row r :
          rows.filter(col("reason").isNull().and(col("task").isin(depthTasks.toArray())))
              .select(col("scene"), source)
              .distinct()
              .groupBy("depthSource")
              .count()
              .collectAsList()) {
        if (DepthModel.ESTIMATED.equals(r.getString(0))) {
          estimated += r.getLong(1);
        } else {
          sensor += r.getLong(1);
        }
      }
      counts.depthScenes(sensor, estimated);
    }
    return counts;
  }

  private GenerationSummary summary(Counts c) {
    return new GenerationSummary(
        out.toString(), c.train(), c.val(), c.rejected(), c.perTask(), c.rejectsByTask());
  }

  private void writeManifest(Counts counts, BlindAudit audit, List<String> files, String started)
      throws IOException {
    Map<String, Integer> shards = new LinkedHashMap<>();
    for (String f : files) {
      shards.put(f, parts(new Path(out, f)));
    }
    // Run facts that differ between identical datasets live under "run" only.
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("engine", "spark");
    run.put("sparkVersion", spark.version());
    run.put("master", spark.sparkContext().master());
    run.put("applicationId", spark.sparkContext().applicationId());
    run.put("started", started);
    run.put("finished", Instant.now().toString());
    List<String> sources = listing.sources();
    Map<String, Object> m =
        Manifest.of(
            version(),
            config.dataset().withSources(sources),
            sources,
            counts,
            audit,
            files,
            shards,
            run);
    byte[] bytes = Manifest.toBytes(m);
    Path tmp = new Path(out, "." + DatasetFormat.MANIFEST + ".tmp");
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(bytes);
    }
    Path target = new Path(out, DatasetFormat.MANIFEST);
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

  /** A sample row as its {@code train.jsonl} line. */
  static final class SampleLineOf implements MapFunction<Row, String> {
    private static final long serialVersionUID = 2L;

    private final ImagePaths imagePaths;
    private final String root;

    SampleLineOf(ImagePaths imagePaths, String root) {
      this.imagePaths = imagePaths;
      this.root = root;
    }

    @Override
    public String call(Row r) {
      List<String> images = new ArrayList<>();
      for (Object p : Schemas.list(r, Schemas.O_IMAGES)) {
        images.add(imagePaths.name(root, (String) p));
      }
      return SampleLine.of(
          r.getString(Schemas.O_ID),
          r.getString(Schemas.O_TASK),
          r.getString(Schemas.O_PROBLEM),
          r.getString(Schemas.O_ANSWER),
          images,
          r.getString(Schemas.O_METADATA));
    }
  }

  /** A rejection row as its {@code rejects.jsonl} line. */
  static final class RejectLineOf implements MapFunction<Row, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(Row r) {
      return new RejectLine(
              r.getString(Schemas.O_SCENE),
              r.getString(Schemas.O_TASK),
              r.getInt(Schemas.O_VARIANT),
              r.getString(Schemas.O_REASON),
              null,
              r.getString(Schemas.O_SOURCE))
          .toJson();
    }
  }
}
