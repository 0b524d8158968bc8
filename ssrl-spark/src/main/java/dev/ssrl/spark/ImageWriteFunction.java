package dev.ssrl.spark;

import dev.ssrl.dataset.DatasetFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Writes the images of {@link Schemas#OUTCOME} rows to {@code images/<task>/<id>.jpg}, {@code
 * <id>_1.jpg}, ... and passes the rows on as {@link Schemas#STAGED}, with relative paths instead of
 * bytes.
 *
 * <p>Writes are idempotent, so that retried and speculative task attempts can neither duplicate nor
 * corrupt an image: the name is a function of the sample id; the bytes go to a temporary file
 * unique to the task attempt (under the job's staging folder, never among the images) and are
 * renamed into place; an image already in place is complete (only renames put files there) and
 * identical (same id, same bytes), so it is kept and the temporary file dropped. Only one attempt's
 * JSONL and Parquet parts are committed, by Spark's output committer.
 */
final class ImageWriteFunction implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final String out;
  private final String tmp;
  private final HadoopConf conf;
  private final int failFirstAttemptAfter;

  /**
   * @param out the dataset folder (qualified)
   * @param tmp the folder for temporary files, on the same file system
   * @param failFirstAttemptAfter test hook: the first attempt of every task throws after writing
   *     this many images; -1 never
   */
  ImageWriteFunction(String out, String tmp, HadoopConf conf, int failFirstAttemptAfter) {
    this.out = out;
    this.tmp = tmp;
    this.conf = conf;
    this.failFirstAttemptAfter = failFirstAttemptAfter;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws IOException {
    Path root = new Path(out);
    FileSystem fs = root.getFileSystem(conf.get());
    // Checksum side files (.crc) are Hadoop-internal; a dataset's image folders should hold images.
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    TaskContext ctx = TaskContext.get();
    String attempt =
        ctx == null ? java.util.UUID.randomUUID().toString() : Long.toString(ctx.taskAttemptId());
    boolean injectFailure = failFirstAttemptAfter >= 0 && ctx != null && ctx.attemptNumber() == 0;
    long delay = slowFirstAttempt(ctx);
    return new Iterator<>() {
      private int written;
      private int counter;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = rows.next();
        if (delay > 0) {
          sleep(delay);
        }
        if (r.isNullAt(Schemas.O_IMAGES)) {
          return copy(r, null);
        }
        List<byte[]> images = Schemas.list(r, Schemas.O_IMAGES);
        String[] paths = new String[images.size()];
        String task = r.getString(Schemas.O_TASK);
        String id = r.getString(Schemas.O_ID);
        for (int k = 0; k < paths.length; k++) {
          paths[k] = DatasetFormat.imagePath(task, id, k);
          try {
            write(raw, new Path(root, paths[k]), images.get(k));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + paths[k] + " in " + out, e);
          }
          if (injectFailure && ++written > failFirstAttemptAfter) {
            throw new IllegalStateException("injected failure of a first task attempt (test hook)");
          }
        }
        return copy(r, paths);
      }

      private void write(FileSystem fs, Path target, byte[] bytes) throws IOException {
        if (fs.exists(target)) {
          return;
        }
        Path t = new Path(tmp, attempt + "-" + (counter++) + ".jpg");
        try (OutputStream o = fs.create(t, true)) {
          o.write(bytes);
        }
        if (!fs.rename(t, target)) {
          // A twin attempt got there first: its file has the same bytes.
          fs.delete(t, false);
          if (!fs.exists(target)) {
            throw new IOException("rename of " + t + " to " + target + " failed");
          }
        }
      }
    };
  }

  /**
   * Spark settings of the fault runs of ssrl-spark/scripts/cluster-check.sh; never set otherwise.
   */
  static final String SLOW_TASKS = "spark.ssrl.test.slowFirstAttempts";

  static final String SLOW_PARTITION = "spark.ssrl.test.slowPartition";

  /**
   * Milliseconds this task attempt waits before each row: test hooks that make a stage last long
   * enough to lose an executor in its middle ({@value #SLOW_TASKS}=MS: every first attempt) or make
   * one task a straggler for speculation ({@value #SLOW_PARTITION}=P:MS: the first attempt of
   * partition P). Retries and speculative copies run at full speed, as they would on a healthy
   * executor. They change the timing only, never a byte of the output.
   */
  static long slowFirstAttempt(TaskContext ctx) {
    SparkEnv env = SparkEnv.get();
    if (ctx == null || env == null || ctx.attemptNumber() != 0) {
      return 0;
    }
    long all = Long.parseLong(env.conf().get(SLOW_TASKS, "0"));
    String one = env.conf().get(SLOW_PARTITION, "");
    if (!one.isEmpty()) {
      String[] f = one.split(":", 2);
      if (f.length == 2 && Integer.parseInt(f[0]) == ctx.partitionId()) {
        return Math.max(all, Long.parseLong(f[1]));
      }
    }
    return all;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // Spark interrupts a task it kills (e.g. the losing twin of a speculative pair).
      Thread.currentThread().interrupt();
      throw new IllegalStateException("task interrupted", e);
    }
  }

  private static Row copy(Row r, String[] paths) {
    return RowFactory.create(
        r.get(Schemas.O_ID),
        r.get(Schemas.O_SCENE),
        r.get(Schemas.O_TASK),
        r.get(Schemas.O_VARIANT),
        r.get(Schemas.O_SPLIT),
        r.get(Schemas.O_PROBLEM),
        r.get(Schemas.O_ANSWER),
        paths,
        r.get(Schemas.O_METADATA),
        r.get(Schemas.O_REASON),
        r.get(Schemas.O_SOURCE));
  }
}
