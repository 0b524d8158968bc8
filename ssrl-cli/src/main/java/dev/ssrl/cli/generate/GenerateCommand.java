package dev.ssrl.cli.generate;

import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.DatasetConfig;
import dev.ssrl.dataset.GenerateOptions;
import dev.ssrl.depth.DepthEstimator;
import dev.ssrl.depth.DepthModelException;
import dev.ssrl.depth.OnnxDepthEstimator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssrl generate}: writes a dataset (SPEC §6) from image folders or built-in scenes. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates a training dataset: images/<task>/<id>.jpg, train.jsonl (+ val.jsonl),"
          + " rejects.jsonl, manifest.json, and optionally trainer layouts (--layout).",
      "Interrupted runs resume: start the same command again.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl generate --out out/demo                      (24 built-in scenes, all tasks)",
      "  ssrl generate --out out/rgb --tasks shuffle,flip,crop --per-scene 2 photos/",
      "  ssrl generate --out out/mix --mix shuffle=2,flip=1,crop=0.5 --seed 7 photos/",
      "  ssrl generate --out out/verl --val-fraction 0.05 --layout parquet,verl rgbd/",
      "  ssrl generate --out out/rgbd --tasks depth,position --depth-model"
          + " depth_anything_v2_small.onnx photos/",
      "",
      "Exit status: 0 ok, 2 unusable arguments (or a resume with other arguments), 1 failure."
    })
public final class GenerateCommand implements Callable<Integer> {
  private final CliContext context;

  public GenerateCommand(CliContext context) {
    this.context = context;
  }

  /** The options ssrl generate shares with the Spark job: one model, one parser, one check. */
  @Mixin GenerateOptions options = new GenerateOptions();

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads (default: the number of processors); never changes output.")
  Integer threads;

  @Option(
      names = "--limit-scenes",
      defaultValue = "0",
      paramLabel = "N",
      description = "Use only the first N scenes (0: all).")
  int limitScenes;

  @Option(
      names = "--builtin-scenes",
      defaultValue = "24",
      paramLabel = "N",
      description = "Number of built-in scenes when no SOURCE_DIR is given (default: 24).")
  int builtInScenes;

  @Parameters(
      paramLabel = "SOURCE_DIR",
      arity = "0..*",
      description = "Scene folders (X.png / X.jpg); none: the built-in synthetic scenes.")
  List<Path> sources = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    Map<String, Task> known = Tasks.all();
    DatasetConfig config = config(known);
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new UsageError("--threads must be >= 1, got " + t);
    }
    List<Path> folders = new ArrayList<>();
    for (String s : config.sources()) {
      folders.add(Path.of(s));
    }
    Map<String, Task> selected = new LinkedHashMap<>();
    for (String id : config.tasks()) {
      selected.put(id, known.get(id));
    }
    Path out = Path.of(options.out()).toAbsolutePath().normalize();
    // Before the depth model loads and anything is written: --gpu without a GPU stops here.
    WindowStatsChoice windowStats = WindowStatsChoice.of(config, selected.values(), options.gpu());
    try (DepthEstimator estimator = estimator(selected, t)) {
      List<SceneSource> scenes = SceneSources.list(folders, builtInScenes, estimator);
      new Generator(config, selected, out, t, context.err())
          .windowStats(windowStats)
          .run(scenes, options.overwrite());
    }
    return 0;
  }

  /**
   * The {@code --depth-model} estimator, shared by all worker threads; null without the option or
   * when no selected task uses depth. As many inferences at once as workers (each on one ONNX
   * Runtime thread: docs/depth-models.md, "Determinism").
   */
  private DepthEstimator estimator(Map<String, Task> selected, int threads) {
    if (options.depthModel() == null) {
      return null;
    }
    if (selected.values().stream().noneMatch(Task::needsDepth)) {
      context.err().println("ssrl: note: --depth-model is not used: none of the tasks needs depth");
      return null;
    }
    Path file = Path.of(options.depthModel());
    OnnxDepthEstimator e;
    try {
      e =
          OnnxDepthEstimator.open(
              file, OnnxDepthEstimator.Settings.cpu(threads).withGpu(options.gpu()));
    } catch (DepthModelException ex) {
      throw new UsageError(ex.getMessage());
    } catch (LinkageError ex) {
      // ssrl.jar finds ONNX Runtime beside itself (its manifest's Class-Path); a copied jar may
      // not.
      throw new UsageError(
          "--depth-model needs ONNX Runtime's jar beside ssrl.jar (the onnxruntime-*.jar that"
              + " ./mvnw package puts in ssrl-cli/target; docs/depth-models.md): "
              + ex);
    }
    if (e.providerNote() != null) {
      context.err().println("ssrl: note: " + e.providerNote());
    }
    context
        .err()
        .println(
            "ssrl: estimating depth of scenes without a depth file with "
                + e.model()
                + " on "
                + e.provider());
    return e;
  }

  /** The dataset config of these options ({@link GenerateOptions#toConfig}). */
  public DatasetConfig config(Map<String, Task> known) {
    List<String> folders = new ArrayList<>();
    for (Path p : sources) {
      folders.add(p.toAbsolutePath().normalize().toString());
    }
    try {
      return options.toConfig(known, false, limitScenes, builtInScenes, folders);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }
}
