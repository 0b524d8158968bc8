package dev.ssrl.cli;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.dataset.DatasetConfig;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.Layouts;
import dev.ssrl.tasks.Preset;
import dev.ssrl.tasks.Sizing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssrl generate}: writes a dataset (SPEC §6) from image folders or built-in scenes. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates a training dataset: images/<task>/<id>.jpg, train.jsonl (+ val.jsonl),"
          + " rejects.jsonl, manifest.json, and optionally Parquet copies.",
      "Interrupted runs resume: start the same command again.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl generate --out out/demo                      (24 built-in scenes, all tasks)",
      "  ssrl generate --out out/rgb --tasks shuffle,flip,crop --per-scene 2 photos/",
      "  ssrl generate --out out/mix --mix shuffle=2,flip=1,crop=0.5 --seed 7 photos/",
      "  ssrl generate --out out/verl --val-fraction 0.05 --parquet --verl rgbd/",
      "",
      "Exit status: 0 ok, 2 unusable arguments (or a resume with other arguments), 1 failure."
    })
final class GenerateCommand implements Callable<Integer> {
  /** The tasks of SPEC §3 in their documented order; other tasks follow sorted by id. */
  private final Main.Context context;

  GenerateCommand(Main.Context context) {
    this.context = context;
  }

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output folder (created; must be empty, or a run of the same command).")
  Path out;

  @Option(
      names = "--tasks",
      split = ",",
      paramLabel = "TASK",
      description = "Tasks, comma-separated (default: all: shuffle,flip,crop,depth,position).")
  List<String> tasks;

  @Option(
      names = "--mix",
      paramLabel = "TASK=W,...",
      description =
          "Variants per scene for each task as a multiple of --per-scene, e.g. shuffle=2,flip=1"
              + " or crop=0.5 (a fraction gives one extra variant on that share of scenes)."
              + " Without --tasks the mix names the tasks.")
  String mix;

  @Option(
      names = "--per-scene",
      defaultValue = "1",
      paramLabel = "N",
      description = "Variants per scene and task (default: ${DEFAULT-VALUE}).")
  int perScene;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads (default: the number of processors); never changes output.")
  Integer threads;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Prompt profile: spatial-ssrl (the Spatial-SSRL-81k wording, default) or ssrl-plain.")
  String profile;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description =
          "Generation preset: spatial-ssrl-81k (the 81k data's task shares, shuffle grids, original"
              + " position rules and wording). --mix, --param and --profile override its parts.")
  String preset;

  @Option(
      names = "--suffix",
      paramLabel = "TEXT",
      description =
          "Reasoning-format suffix appended to every problem (default: Spatial-SSRL's); none:"
              + " no suffix, for trainers that add their own format prompt (EasyR1).")
  String suffix;

  @Option(
      names = "--param",
      paramLabel = "KEY=VALUE",
      description = "Task parameter, repeatable, e.g. --param shuffle.grids=2x2,1x3.")
  Map<String, String> parameters = new TreeMap<>();

  @Option(
      names = "--balance",
      description =
          "Balance depth and position against image-position priors (same as --param"
              + " ssrl.balance=true; targets: depth.balance.against, position.balance.kinds,"
              + " position.balance.withHeight; see docs/baselines.md).")
  boolean balance;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "95",
      paramLabel = "Q",
      description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Option(
      names = "--val-fraction",
      defaultValue = "0",
      paramLabel = "F",
      description =
          "Share of scenes (not samples) whose samples go to val.jsonl, 0 <= F < 1 (default:"
              + " ${DEFAULT-VALUE}).")
  double valFraction;

  @Option(names = "--parquet", description = "Also write train.parquet (and val.parquet).")
  boolean parquet;

  @Option(
      names = "--verl",
      description = "Also write verl/train.parquet (and verl/val.parquet) in verl's layout.")
  boolean verl;

  @Option(
      names = "--trl",
      description =
          "Also write trl/train.parquet (and trl/val.parquet): TRL's conversational layout, images"
              + " inlined, each image block where its <image> was.")
  boolean trl;

  @Option(
      names = "--easyr1",
      description =
          "Also write easyr1/train.parquet (and easyr1/test.parquet), images inlined: load it"
              + " in EasyR1 as DIR@train and DIR@test.")
  boolean easyR1;

  @Option(
      names = "--image-paths",
      defaultValue = "relative",
      paramLabel = "MODE",
      description =
          "How JSONL and Parquet files name the images: relative (to the dataset folder) or"
              + " absolute (default: ${DEFAULT-VALUE}).")
  String imagePaths;

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

  @Option(
      names = {"--overwrite", "--force"},
      description = "Replace a dataset already in --out instead of resuming or refusing.")
  boolean overwrite;

  // Trainer-aware sizing (dev.ssrl.tasks.Sizing; docs/cli.md "Image size and prompt budget").
  @Option(
      names = "--max-pixels",
      defaultValue = "4194304",
      paramLabel = "N",
      description =
          "Largest scene area: larger scenes are shrunk before any task runs, so no image needs"
              + " shrinking by the trainer (default: ${DEFAULT-VALUE}, EasyR1's max_pixels; 0: no"
              + " limit).")
  long maxPixels;

  @Option(
      names = "--min-pixels",
      defaultValue = "262144",
      paramLabel = "N",
      description =
          "Smallest scene area: smaller scenes are enlarged before any task runs (default:"
              + " ${DEFAULT-VALUE}, EasyR1's min_pixels; 0: none).")
  long minPixels;

  @Option(
      names = "--max-prompt-tokens",
      defaultValue = "4096",
      paramLabel = "N",
      description =
          "Prompt budget (estimate for Qwen2.5-VL after the trainer's resizing, recorded per"
              + " sample): a sample over it is made again from a smaller scene, else rejected"
              + " (default: ${DEFAULT-VALUE}, EasyR1's max_prompt_length; 0: no budget).")
  int maxPromptTokens;

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
    List<SceneSource> scenes = SceneSources.list(folders, builtInScenes);
    Map<String, Task> selected = new LinkedHashMap<>();
    for (String id : config.tasks()) {
      selected.put(id, known.get(id));
    }
    new Generator(config, selected, out.toAbsolutePath().normalize(), t, context.err())
        .run(scenes, overwrite);
    return 0;
  }

  DatasetConfig config(Map<String, Task> known) {
    Preset chosenPreset;
    try {
      chosenPreset = preset == null ? null : Preset.named(preset);
    } catch (IllegalArgumentException e) {
      throw new UsageError("--preset: " + e.getMessage());
    }
    Map<String, Double> weights =
        mix == null && chosenPreset != null ? chosenPreset.mix() : parseMix(mix);
    Map<String, String> params = new TreeMap<>();
    if (chosenPreset != null) {
      params.putAll(chosenPreset.parameters());
    }
    if (chosenPreset != null) {
      // Recorded in the manifest's config (tasks ignore keys they do not know).
      params.put(Preset.PARAMETER, chosenPreset.name());
    }
    params.putAll(parameters);
    String chosenProfile =
        profile != null
            ? profile
            : chosenPreset != null ? chosenPreset.profile() : GenerationOptions.DEFAULT_PROFILE;
    List<String> chosen;
    if (tasks != null && !tasks.isEmpty()) {
      chosen = new ArrayList<>();
      for (String s : tasks) {
        String id = s.trim();
        if (id.isEmpty() || chosen.contains(id)) {
          throw new UsageError(
              id.isEmpty() ? "--tasks has an empty entry" : "--tasks names " + id + " twice");
        }
        chosen.add(id);
      }
    } else if (!weights.isEmpty()) {
      chosen = new ArrayList<>(weights.keySet());
    } else {
      chosen = Tasks.defaultOrder(known);
      if (chosen.isEmpty()) {
        // An installation problem, not an argument problem: exit status 1.
        throw new IllegalStateException(
            "no tasks found on the class path (META-INF/services/dev.ssrl.api.Task)");
      }
    }
    for (String id : chosen) {
      if (!known.containsKey(id)) {
        throw new UsageError("unknown task '" + id + "'; known tasks: " + known.keySet());
      }
    }
    for (String id : weights.keySet()) {
      if (!chosen.contains(id)) {
        throw new UsageError("--mix names task '" + id + "', which --tasks does not include");
      }
    }
    Map<String, Double> allWeights = new LinkedHashMap<>();
    for (String id : chosen) {
      allWeights.put(id, weights.getOrDefault(id, 1.0));
    }
    List<String> folders = new ArrayList<>();
    for (Path p : sources) {
      folders.add(p.toAbsolutePath().normalize().toString());
    }
    Map<String, String> taskParameters = Balancing.parameters(params, balance);
    try {
      Sizing sizing = new Sizing(minPixels, maxPixels, maxPromptTokens);
      return new DatasetConfig(
          chosen,
          allWeights,
          perScene,
          seed,
          chosenProfile,
          GenerationOptions.suffixFromFlag(suffix),
          taskParameters,
          jpegQuality,
          valFraction,
          parquet,
          verl,
          layouts(),
          limitScenes,
          builtInScenes,
          folders,
          sizing);
    } catch (IllegalArgumentException e) {
      // DatasetConfig checks the ranges, for the Spark job's builder as well.
      throw new UsageError(e.getMessage());
    }
  }

  private Layouts layouts() {
    try {
      return new Layouts(trl, easyR1, ImagePaths.parse(imagePaths));
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /** Parses {@code task=weight,...}; weights are finite and >= 0. */
  static Map<String, Double> parseMix(String mix) {
    Map<String, Double> weights = new LinkedHashMap<>();
    if (mix == null || mix.isBlank()) {
      return weights;
    }
    for (String part : mix.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new UsageError("--mix entry '" + part + "' is not TASK=WEIGHT");
      }
      String id = part.substring(0, eq).trim();
      double w;
      try {
        w = Double.parseDouble(part.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new UsageError("--mix weight of '" + id + "' is not a number: " + part);
      }
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new UsageError("--mix weight of '" + id + "' must be a finite number >= 0: " + part);
      }
      if (weights.put(id, w) != null) {
        throw new UsageError("--mix names task '" + id + "' twice");
      }
    }
    return weights;
  }
}
