package dev.ssrl.spark;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.dataset.DatasetConfig;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.DatasetJson;
import dev.ssrl.dataset.WorkItem;
import dev.ssrl.depth.DepthEstimator;
import dev.ssrl.depth.DepthModel;
import dev.ssrl.depth.DepthModelException;
import dev.ssrl.tasks.Sizing;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * the per-sample seed comes from {@link WorkItem#seed}, images are encoded deterministically by
 * {@link DatasetFormat#jpegs}. That is what makes the dataset independent of partitioning and
 * retries.
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
    Map<String, Task> tasks = TaskRegistry.resolve(config.dataset().tasks());
    Configuration hadoop = conf.get();
    GenerationOptions base = config.dataset().baseOptions();
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
    DatasetConfig dataset = config.dataset();
    List<WorkItem> items = dataset.itemsOf(entry.id());
    String split = dataset.splitOf(entry.id());
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
    // --depth-model: a scene without depth gets the model's (sensor depth always wins), on the
    // executor's one shared session; its depth-task samples say so (the CLI's provenance).
    DepthModel estimatedBy = null;
    if (config.depthModel() != null
        && !scene.hasDepth()
        && tasks.values().stream().anyMatch(Task::needsDepth)) {
      DepthEstimator estimator = SharedEstimators.get(config.depthModel(), config.gpu());
      try {
        scene = estimator.complete(scene);
      } catch (DepthModelException e) {
        rejectAll(entry, items, "load: " + e.getMessage(), out);
        return;
      }
      estimatedBy = estimator.model();
    }
    // Scaled into the trainer's pixel range once, as the CLI does (Sizing).
    Sizing.Fitted fitted = dataset.sizing().fit(scene);
    for (WorkItem item : items) {
      Task task = tasks.get(item.task());
      long seed = item.seed(dataset.seed(), entry.id());
      String id = item.sampleId(entry.id());
      Outcome outcome;
      try {
        outcome = fitted.generate(task, seed, base.withVariant(item.variant()));
      } catch (IllegalArgumentException e) {
        // Options were checked on the driver; an option error here is a bug worth failing for.
        throw new IllegalArgumentException("task " + item.task() + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        out.add(
            reject(
                entry.id(),
                item,
                item.task() + ": generator error " + e.getClass().getSimpleName(),
                null));
        continue;
      }
      if (outcome instanceof Rejection r) {
        out.add(reject(entry.id(), item, r.reason(), null));
      } else if (outcome instanceof Sample sample) {
        Sample s = sample;
        if (estimatedBy != null && task.needsDepth()) {
          Map<String, Object> m = new LinkedHashMap<>(s.metadata());
          m.putAll(estimatedBy.metadata());
          s = new Sample(s.id(), s.sceneId(), s.taskId(), s.problem(), s.images(), s.answer(), m);
        }
        byte[][] jpegs = DatasetFormat.jpegs(s.images(), dataset.jpegQuality());
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
                DatasetJson.write(s.metadata()),
                null,
                entry.rgb()));
      }
    }
  }

  /** A scene that could not be loaded: every item rejected, naming the scene's file. */
  private static void rejectAll(
      SceneEntry entry, List<WorkItem> items, String reason, ArrayDeque<Row> out) {
    for (WorkItem item : items) {
      out.add(reject(entry.id(), item, reason, entry.rgb()));
    }
  }

  /** A rejection row; {@code source} only for load failures (docs/dataset-format.md). */
  private static Row reject(String scene, WorkItem item, String reason, String source) {
    return RowFactory.create(
        item.sampleId(scene),
        scene,
        item.task(),
        item.variant(),
        null,
        null,
        null,
        null,
        null,
        reason,
        source);
  }
}
