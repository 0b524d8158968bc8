package dev.ssrl.dataset;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.tasks.Balance;
import dev.ssrl.tasks.Preset;
import dev.ssrl.tasks.Sizing;
import dev.ssrl.tasks.image.ImageCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * The options of a generate run that both front ends share, in one model: {@code ssrl generate} and
 * the Spark job's {@code SparkGenerateMain} mix it into their picocli commands (so both parse the
 * same flags with the same parser and print the same help for them), and the Spark job's
 * programmatic builder sets it through the fluent setters. {@link #toConfig} is the one place that
 * validates the options and builds the {@link DatasetConfig}; each error names the option and the
 * cause.
 *
 * <p>What only one front end has stays in its command: the CLI's {@code --threads}, {@code
 * --limit-scenes} and {@code --builtin-scenes}, the Spark job's {@code --partitions}, and the
 * sources (local folders for the CLI, Hadoop paths and listings for Spark). A parse target: mutable
 * and not thread-safe.
 */
public final class GenerateOptions {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output folder (created; must be empty, or a run of the same command).")
  private String out;

  @Option(
      names = "--tasks",
      split = ",",
      splitSynopsisLabel = ",",
      paramLabel = "TASK",
      description = "Tasks, comma-separated (default: all: shuffle,flip,crop,depth,position).")
  private List<String> tasks;

  private String mix;

  @Option(
      names = "--per-scene",
      defaultValue = "1",
      paramLabel = "N",
      description = "Variants per scene and task (default: ${DEFAULT-VALUE}).")
  private int perScene = 1;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Run seed (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Prompt profile: spatial-ssrl (the Spatial-SSRL-81k wording, default) or ssrl-plain.")
  private String profile;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description =
          "Generation preset: spatial-ssrl-81k (the 81k data's task shares, shuffle grids, original"
              + " position rules and wording). --mix, --param and --profile override its parts.")
  private String preset;

  private String suffix = GenerationOptions.DEFAULT_SUFFIX;

  @Option(
      names = "--param",
      paramLabel = "KEY=VALUE",
      description = "Task parameter, repeatable, e.g. --param shuffle.grids=2x2,1x3.")
  private Map<String, String> parameters = new TreeMap<>();

  @Option(
      names = "--balance",
      description =
          "Balance depth and position against image-position priors (same as --param "
              + Balance.PARAMETER
              + "=true; targets: depth.balance.against, position.balance.kinds,"
              + " position.balance.withHeight; see docs/baselines.md).")
  private boolean balance;

  @Option(
      names = "--difficulty",
      paramLabel = "[TASK=]MIN:MAX",
      description =
          "Keep only samples whose metadata difficulty lies in [MIN, MAX] (0..1); others are"
              + " rejected and counted. TASK=MIN:MAX sets one task's range; repeatable"
              + " (docs/difficulty.md).")
  private List<String> difficulty = new ArrayList<>();

  @Option(
      names = "--jpeg-quality",
      defaultValue = "" + ImageCodec.DEFAULT_JPEG_QUALITY,
      paramLabel = "Q",
      description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
  private int jpegQuality = ImageCodec.DEFAULT_JPEG_QUALITY;

  @Option(
      names = "--val-fraction",
      defaultValue = "0",
      paramLabel = "F",
      description =
          "Share of scenes (not samples) whose samples go to val.jsonl, 0 <= F < 1 (default:"
              + " ${DEFAULT-VALUE}).")
  private double valFraction;

  @Option(
      names = "--layout",
      split = ",",
      splitSynopsisLabel = ",",
      paramLabel = "NAME",
      description =
          "Trainer layouts to write besides the JSONL files, comma-separated, repeatable:"
              + " parquet (train.parquet), verl (verl/), trl (trl/), easyr1 (easyr1/), or one a"
              + " jar on the class path adds (docs/extending.md).")
  private List<String> layoutNames = new ArrayList<>();

  @Option(names = "--parquet", description = "Alias of --layout parquet.")
  private boolean parquet;

  @Option(
      names = "--no-parquet",
      description = "Do not write train.parquet (where the front end writes it by default).")
  private boolean noParquet;

  @Option(names = "--verl", description = "Alias of --layout verl.")
  private boolean verl;

  @Option(names = "--trl", description = "Alias of --layout trl.")
  private boolean trl;

  @Option(names = "--easyr1", description = "Alias of --layout easyr1.")
  private boolean easyR1;

  @Option(
      names = "--image-paths",
      defaultValue = "relative",
      paramLabel = "MODE",
      description =
          "How JSONL and Parquet files name the images: relative (to the dataset folder) or"
              + " absolute (default: ${DEFAULT-VALUE}).")
  private String imagePaths = ImagePaths.RELATIVE.flagValue();

  @Option(
      names = {"--overwrite", "--force"},
      description = "Replace a dataset already in --out instead of resuming or refusing.")
  private boolean overwrite;

  // Trainer-aware sizing (dev.ssrl.tasks.Sizing; docs/cli.md "Image size and prompt budget").
  @Option(
      names = "--max-pixels",
      defaultValue = "" + Sizing.DEFAULT_MAX_PIXELS,
      paramLabel = "N",
      description =
          "Largest scene area: larger scenes are shrunk before any task runs, so no image needs"
              + " shrinking by the trainer (default: ${DEFAULT-VALUE}, EasyR1's max_pixels; 0: no"
              + " limit).")
  private long maxPixels = Sizing.DEFAULT_MAX_PIXELS;

  @Option(
      names = "--min-pixels",
      defaultValue = "" + Sizing.DEFAULT_MIN_PIXELS,
      paramLabel = "N",
      description =
          "Smallest scene area: smaller scenes are enlarged before any task runs (default:"
              + " ${DEFAULT-VALUE}, EasyR1's min_pixels; 0: none).")
  private long minPixels = Sizing.DEFAULT_MIN_PIXELS;

  @Option(
      names = "--max-prompt-tokens",
      defaultValue = "" + Sizing.DEFAULT_MAX_PROMPT_TOKENS,
      paramLabel = "N",
      description =
          "Prompt budget (estimate for Qwen2.5-VL after the trainer's resizing, recorded per"
              + " sample): a sample over it is made again from a smaller scene, else rejected"
              + " (default: ${DEFAULT-VALUE}, EasyR1's max_prompt_length; 0: no budget).")
  private int maxPromptTokens = Sizing.DEFAULT_MAX_PROMPT_TOKENS;

  // Monocular depth for scenes without a depth file (ssrl-depth; docs/depth-models.md).
  @Option(
      names = "--depth-model",
      paramLabel = "FILE.onnx",
      description =
          "Estimate depth with this ONNX model (Depth Anything V2 or compatible) for scenes that"
              + " have no depth file, so depth and position tasks run on plain photos; sensor"
              + " depth always wins. The model's name and SHA-256 go into the config and into"
              + " each such sample's metadata.")
  private String depthModel;

  @Option(
      names = "--gpu",
      description =
          "Use the NVIDIA GPU. ssrl generate computes the depth and position tasks' window"
              + " statistics there (same samples; an error naming the reason when no GPU is"
              + " usable). The depth model runs on ONNX Runtime's CUDA execution provider when"
              + " it is usable (else on the CPU, saying why); the Spark job uses --gpu for the"
              + " depth model only.")
  private boolean gpu;

  /** The task parameter that records {@code --depth-model} (name and SHA-256) in the config. */
  public static final String DEPTH_MODEL_PARAMETER = "ssrl.depth-model";

  /** The defaults of {@code ssrl generate}: all tasks, one variant each, seed 0, JPEG 95. */
  public GenerateOptions() {}

  @Option(
      names = "--mix",
      paramLabel = "TASK=W,...",
      description =
          "Variants per scene for each task as a multiple of --per-scene, e.g. shuffle=2,flip=1"
              + " or crop=0.5 (a fraction gives one extra variant on that share of scenes)."
              + " Without --tasks the mix names the tasks.")
  private void mixFlag(String value) {
    mix = value;
  }

  @Option(
      names = "--suffix",
      paramLabel = "TEXT",
      description =
          "Reasoning-format suffix appended to every problem (default: Spatial-SSRL's); none:"
              + " no suffix, for trainers that add their own format prompt (EasyR1).")
  private void suffixFlag(String value) {
    suffix = GenerationOptions.suffixFromFlag(value);
  }

  /** {@code --out}: the output folder as the front end names it; null if not given. */
  public String out() {
    return out;
  }

  /** {@code --overwrite} / {@code --force}. */
  public boolean overwrite() {
    return overwrite;
  }

  /** {@code --depth-model}: the model file as the front end names it; null if not given. */
  public String depthModel() {
    return depthModel;
  }

  /** {@code --depth-model}. */
  public GenerateOptions depthModel(String file) {
    this.depthModel = file;
    return this;
  }

  /** {@code --gpu}. */
  public boolean gpu() {
    return gpu;
  }

  /** {@code --gpu}. */
  public GenerateOptions gpu(boolean g) {
    this.gpu = g;
    return this;
  }

  /** {@code --tasks}: task ids in work-item order. */
  public GenerateOptions tasks(List<String> ids) {
    this.tasks = new ArrayList<>(ids);
    return this;
  }

  /** One {@code --mix} entry: variants of a task per scene as a multiple of {@code perScene}. */
  public GenerateOptions mix(String task, double weight) {
    String entry = Objects.requireNonNull(task, "task") + "=" + weight;
    mix = mix == null ? entry : mix + "," + entry;
    return this;
  }

  /** {@code --per-scene}. */
  public GenerateOptions perScene(int n) {
    this.perScene = n;
    return this;
  }

  /** {@code --seed}. */
  public GenerateOptions seed(long s) {
    this.seed = s;
    return this;
  }

  /** {@code --profile}. */
  public GenerateOptions profile(String p) {
    this.profile = Objects.requireNonNull(p, "profile");
    return this;
  }

  /** {@code --preset}. */
  public GenerateOptions preset(String name) {
    this.preset = Objects.requireNonNull(name, "preset");
    return this;
  }

  /** The suffix itself (empty: none); {@code --suffix} takes {@code none} for empty. */
  public GenerateOptions suffix(String s) {
    this.suffix = Objects.requireNonNull(s, "suffix");
    return this;
  }

  /** One {@code --param KEY=VALUE}. */
  public GenerateOptions parameter(String key, String value) {
    parameters.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** {@code --balance}. */
  public GenerateOptions balance(boolean b) {
    this.balance = b;
    return this;
  }

  /** One {@code --difficulty} entry: {@code MIN:MAX} or {@code TASK=MIN:MAX}. */
  public GenerateOptions difficulty(String entry) {
    difficulty.add(Objects.requireNonNull(entry, "entry"));
    return this;
  }

  /** {@code --jpeg-quality}. */
  public GenerateOptions jpegQuality(int q) {
    this.jpegQuality = q;
    return this;
  }

  /** {@code --val-fraction}. */
  public GenerateOptions valFraction(double f) {
    this.valFraction = f;
    return this;
  }

  /** {@code --layout NAME,...}: adds layouts. */
  public GenerateOptions layouts(String... names) {
    layoutNames.addAll(List.of(names));
    return this;
  }

  /** Whether the generic Parquet files are written; false is {@code --no-parquet}. */
  public GenerateOptions parquet(boolean p) {
    this.parquet = p;
    this.noParquet = !p;
    return this;
  }

  /** {@code --image-paths}. */
  public GenerateOptions imagePaths(ImagePaths mode) {
    this.imagePaths = mode.flagValue();
    return this;
  }

  /** {@code --min-pixels}. */
  public GenerateOptions minPixels(long n) {
    this.minPixels = n;
    return this;
  }

  /** {@code --max-pixels}. */
  public GenerateOptions maxPixels(long n) {
    this.maxPixels = n;
    return this;
  }

  /** {@code --max-prompt-tokens}. */
  public GenerateOptions maxPromptTokens(int n) {
    this.maxPromptTokens = n;
    return this;
  }

  /**
   * Validates the options and builds the dataset config: the one construction of a {@link
   * DatasetConfig} from options.
   *
   * @param known the tasks on the class path, by id
   * @param parquetByDefault whether the generic Parquet layout is written unless {@code
   *     --no-parquet} (the Spark job's default; the CLI writes it on request)
   * @param limitScenes the CLI's {@code --limit-scenes}; 0 for all
   * @param builtInScenes the CLI's {@code --builtin-scenes}; 0 where sources name the scenes
   * @param sources the scene sources as the manifest names them
   * @throws IllegalArgumentException naming the option and the cause
   * @throws IllegalStateException if no task is on the class path (an installation problem)
   */
  public DatasetConfig toConfig(
      Map<String, Task> known,
      boolean parquetByDefault,
      int limitScenes,
      int builtInScenes,
      List<String> sources) {
    Preset chosenPreset;
    try {
      chosenPreset = preset == null ? null : Preset.named(preset);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--preset: " + e.getMessage(), e);
    }
    Map<String, Double> weights =
        mix == null && chosenPreset != null ? chosenPreset.mix() : parseMix(mix);
    Map<String, String> params = new TreeMap<>();
    if (chosenPreset != null) {
      params.putAll(chosenPreset.parameters());
      // Recorded in the manifest's config (tasks ignore keys they do not know).
      params.put(Preset.PARAMETER, chosenPreset.name());
    }
    params.putAll(parameters);
    if (depthModel != null) {
      // In the config (so in its hash): a resume with another model, or a changed file under the
      // same name, is refused rather than mixing two models' depth in one dataset.
      params.put(DEPTH_MODEL_PARAMETER, modelIdentity(depthModel));
    }
    if (balance) {
      String v = params.get(Balance.PARAMETER);
      if (v != null && !v.trim().equals("true")) {
        throw new IllegalArgumentException(
            "--balance contradicts --param " + Balance.PARAMETER + "=" + v);
      }
      params.put(Balance.PARAMETER, "true");
    }
    String chosenProfile =
        profile != null
            ? profile
            : chosenPreset != null ? chosenPreset.profile() : GenerationOptions.DEFAULT_PROFILE;
    List<String> chosen = chosenTasks(known, weights);
    for (String id : weights.keySet()) {
      if (!chosen.contains(id)) {
        throw new IllegalArgumentException(
            "--mix names task '" + id + "', which --tasks does not include");
      }
    }
    DifficultyOptions.addTo(difficulty, chosen, params);
    Map<String, Double> allWeights = new LinkedHashMap<>();
    for (String id : chosen) {
      allWeights.put(id, weights.getOrDefault(id, 1.0));
    }
    Sizing sizing;
    try {
      sizing = new Sizing(minPixels, maxPixels, maxPromptTokens);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    // DatasetConfig checks the ranges and names each option in its message.
    return new DatasetConfig(
        chosen,
        allWeights,
        perScene,
        seed,
        chosenProfile,
        suffix,
        params,
        jpegQuality,
        valFraction,
        layouts(parquetByDefault),
        limitScenes,
        builtInScenes,
        sources,
        sizing);
  }

  /** {@code name sha256:hex} of a model file (the form dev.ssrl.depth.DepthModel prints). */
  static String modelIdentity(String file) {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("--depth-model " + file + ": no such file");
    }
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return p.getFileName() + " sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new IllegalArgumentException("--depth-model " + file + ": cannot be read (" + e + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private List<String> chosenTasks(Map<String, Task> known, Map<String, Double> weights) {
    List<String> chosen;
    if (tasks != null && !tasks.isEmpty()) {
      chosen = new ArrayList<>();
      for (String s : tasks) {
        String id = s.trim();
        if (id.isEmpty() || chosen.contains(id)) {
          throw new IllegalArgumentException(
              id.isEmpty() ? "--tasks has an empty entry" : "--tasks names " + id + " twice");
        }
        chosen.add(id);
      }
    } else if (!weights.isEmpty()) {
      chosen = new ArrayList<>(weights.keySet());
    } else {
      chosen = Tasks.defaultOrder(known);
      if (chosen.isEmpty()) {
        throw new IllegalStateException(
            "no tasks found on the class path (META-INF/services/dev.ssrl.api.Task)");
      }
    }
    for (String id : chosen) {
      if (!known.containsKey(id)) {
        throw new IllegalArgumentException(
            "unknown task '" + id + "'; known tasks: " + known.keySet());
      }
    }
    return chosen;
  }

  private Layouts layouts(boolean parquetByDefault) {
    if (parquet && noParquet) {
      throw new IllegalArgumentException("--parquet contradicts --no-parquet");
    }
    Set<String> names = new LinkedHashSet<>();
    if (parquetByDefault || parquet) {
      names.add(GenericParquetLayout.NAME);
    }
    for (String n : layoutNames) {
      String name = n.trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("--layout has an empty entry");
      }
      names.add(name);
    }
    if (verl) {
      names.add(VerlLayout.NAME);
    }
    if (trl) {
      names.add(TrlLayout.NAME);
    }
    if (easyR1) {
      names.add(EasyR1Layout.NAME);
    }
    if (noParquet) {
      if (layoutNames.contains(GenericParquetLayout.NAME)) {
        throw new IllegalArgumentException("--no-parquet contradicts --layout parquet");
      }
      names.remove(GenericParquetLayout.NAME);
    }
    ImagePaths mode = ImagePaths.parse(imagePaths);
    try {
      return new Layouts(new ArrayList<>(names), mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--layout: " + e.getMessage(), e);
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
        throw new IllegalArgumentException("--mix entry '" + part + "' is not TASK=WEIGHT");
      }
      String id = part.substring(0, eq).trim();
      double w;
      try {
        w = Double.parseDouble(part.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--mix weight of '" + id + "' is not a number: " + part, e);
      }
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException(
            "--mix weight of '" + id + "' must be a finite number >= 0: " + part);
      }
      if (weights.put(id, w) != null) {
        throw new IllegalArgumentException("--mix names task '" + id + "' twice");
      }
    }
    return weights;
  }
}
