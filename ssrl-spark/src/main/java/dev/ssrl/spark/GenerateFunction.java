package dev.ssrl.spark;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Samples;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Executor side of generation: listing rows in, one {@link Schemas#OUTCOME} row per work item out.
 *
 * <p>Every value of an output row is a function of the scene entry and the {@link JobConfig} only:
 * the per-sample seed comes from {@link Samples#seed}, images are encoded deterministically by
 * {@link ImageCodec}. That is what makes the dataset independent of partitioning and retries.
 *
 * <p>Scenes are processed one at a time as the output iterator is consumed, so an executor holds
 * the decoded pixels of one scene per running task, whatever the partition size.
 */
final class GenerateFunction implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final JobConfig config;
  private final HadoopConf conf;

  GenerateFunction(JobConfig config, HadoopConf conf) {
    this.config = config;
    this.conf = conf;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> scenes) {
    Map<String, Task> tasks = TaskRegistry.resolve(config.tasks());
    Configuration hadoop = conf.get();
    GenerationOptions base = config.baseOptions();
    return new Iterator<>() {
      private final ArrayDeque<Row> pending = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (pending.isEmpty() && scenes.hasNext()) {
          generateScene(scenes.next(), tasks, hadoop, base, pending);
        }
        return !pending.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.removeFirst();
      }
    };
  }

  private void generateScene(
      Row row,
      Map<String, Task> tasks,
      Configuration hadoop,
      GenerationOptions base,
      ArrayDeque<Row> out) {
    SceneEntry entry =
        new SceneEntry(
            row.getString(Schemas.S_ID),
            row.getString(Schemas.S_RGB),
            row.getString(Schemas.S_DEPTH),
            row.getString(Schemas.S_MASK));
    List<JobConfig.Item> items = config.itemsOf(entry.id());
    String split = config.isValidation(entry.id()) ? "val" : "train";
    Scene scene;
    try {
      scene = SceneReader.load(entry, hadoop, SceneLoader.defaults());
    } catch (SceneLoadException e) {
      rejectAll(entry, items, "load: " + e.reason(), out);
      return;
    } catch (Exception | OutOfMemoryError e) {
      // One unreadable scene is a counted rejection, never the end of the job.
      rejectAll(entry, items, "load: " + SceneReader.describe(e), out);
      return;
    }
    for (JobConfig.Item item : items) {
      Task task = tasks.get(item.task());
      long seed = Samples.seed(config.seed(), entry.id(), item.task(), item.variant());
      String id = Samples.id(entry.id(), item.task(), item.variant());
      Outcome outcome;
      try {
        outcome = task.generate(scene, seed, base.withVariant(item.variant()));
      } catch (IllegalArgumentException e) {
        // Options were checked on the driver; an option error here is a bug worth failing for.
        throw new IllegalArgumentException("task " + item.task() + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        out.add(
            reject(
                entry,
                item,
                item.task() + ": generator error " + e.getClass().getSimpleName(),
                id));
        continue;
      }
      if (outcome instanceof Rejection r) {
        out.add(reject(entry, item, r.reason(), id));
      } else if (outcome instanceof Sample s) {
        List<Raster> images = s.images();
        byte[][] jpegs = new byte[images.size()][];
        for (int k = 0; k < jpegs.length; k++) {
          jpegs[k] = ImageCodec.encodeJpeg(images.get(k), config.jpegQuality());
        }
        out.add(
            RowFactory.create(
                s.id(),
                entry.id(),
                item.task(),
                item.variant(),
                split,
                s.problem(),
                s.answer(),
                jpegs,
                Json.write(s.metadata()),
                null,
                entry.rgb()));
      }
    }
  }

  private static void rejectAll(
      SceneEntry entry, List<JobConfig.Item> items, String reason, ArrayDeque<Row> out) {
    for (JobConfig.Item item : items) {
      out.add(reject(entry, item, reason, Samples.id(entry.id(), item.task(), item.variant())));
    }
  }

  private static Row reject(SceneEntry entry, JobConfig.Item item, String reason, String id) {
    return RowFactory.create(
        id,
        entry.id(),
        item.task(),
        item.variant(),
        null,
        null,
        null,
        null,
        null,
        reason,
        entry.rgb());
  }
}
