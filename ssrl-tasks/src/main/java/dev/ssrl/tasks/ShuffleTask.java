package dev.ssrl.tasks;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Samples;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.audit.AuditBaseline;
import dev.ssrl.tasks.audit.AuditTally;
import dev.ssrl.tasks.audit.Audited;
import dev.ssrl.tasks.image.Draw;
import dev.ssrl.tasks.image.RasterOps;
import dev.ssrl.tasks.image.Tiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shuffled patch reordering (SPEC §3.1): the image is cut into a grid of tiles, the tiles are
 * permuted, labelled 0…K−1 in raster order of the shuffled layout, and the model must say which
 * label belongs at each original position.
 *
 * <p>Parameters ({@link GenerationOptions#parameter}):
 *
 * <ul>
 *   <li>{@code shuffle.grids} — comma-separated grids {@code CxR} (columns × rows, see {@link
 *       Tiles}), one chosen per sample, uniformly or by the integer weights given as {@code CxR:W}
 *       ({@code 2x2:8028,3x1:2496,...}); default {@code 2x2,1x3,1x4,3x1,4x1}. Larger jigsaws such
 *       as {@code 2x3}, {@code 3x3} or {@code 4x4} are allowed (up to 8 per side); one grid alone
 *       ({@code shuffle.grids=4x4}) makes every sample that size.
 *   <li>{@code shuffle.curriculum} — how a sample's grid is chosen from {@code shuffle.grids}:
 *       {@code draw} (default) draws it from the weights; {@code ladder} takes it from the sample's
 *       variant (its index among a scene's {@code --per-scene} samples): the grids in the order
 *       listed, each repeated as often as its weight, variant v taking entry v modulo their number,
 *       so that {@code --per-scene 4 --param shuffle.grids=2x2,2x3,3x3,4x4 --param
 *       shuffle.curriculum=ladder} makes one puzzle of each size from every image. Staged training
 *       picks its stages from the generated data by {@code grid} or {@code difficulty}.
 *   <li>{@code shuffle.maskedGrids} — the grids that may be masked, comma-separated (default: all);
 *       the 81k data masks only {@code 2x2}.
 *   <li>{@code shuffle.masked} — probability in [0, 1] that one tile, chosen uniformly, is painted
 *       white (it keeps its border and label); default {@code 0.5}, so both variants are equally
 *       common.
 *   <li>{@code shuffle.allowIdentity} — {@code true} lets the identity permutation through; default
 *       {@code false} (an identity draw is re-drawn).
 * </ul>
 *
 * <p>Answer: for each original position in raster order, the label of the tile that belongs there,
 * joined by {@code -}. The prompt names the positions row-major: {@code
 * TopLeft-TopRight-BottomLeft-BottomRight} for 2×2, {@code Top-Middle-Bottom} for three stacked
 * strips, {@code Left-Middle1-Middle2-Right} for four side-by-side strips, and for larger grids row
 * name + column name ({@code TopLeft, TopMiddle, TopRight, MiddleLeft, Center, …}).
 *
 * <p>Labels run from 0 to K − 1 in decimal, joined by {@code -}, so that answers stay unambiguous
 * beyond ten pieces ({@code 3-12-9-...} for 4×4).
 *
 * <p>Difficulty ({@link ShuffleDifficulty}): metadata {@code seamAmbiguity}, the mean over true
 * neighbour pairs of how well the best wrong seam fits compared with the true one (0 clear, 0.5 as
 * good), and {@code difficulty} = (ln K / ln 64 + seamAmbiguity) / 2, both rounded to 3 decimals.
 *
 * <p>Rejections: {@code shuffle: image smaller than 64x64}; {@code shuffle: image too small for
 * grid CxR} when a tile would be narrower or shorter than {@value #MIN_TILE} pixels.
 */
public final class ShuffleTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "shuffle";

  static final String DEFAULT_GRIDS = "2x2,1x3,1x4,3x1,4x1";
  static final double DEFAULT_MASKED = 0.5;
  static final int MIN_TILE = 32;

  /** Creates the task (stateless; one instance may serve every thread). */
  public ShuffleTask() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public AnswerFormat answerFormat() {
    return AnswerFormat.PERMUTATION;
  }

  @Override
  public boolean needsDepth() {
    return false;
  }

  // Capabilities (docs/extending.md): what the rest of the system asks of this task, kept here
  // rather than in a switch on the task id elsewhere.

  /** First in the default task list (the SPEC's order). */
  @Override
  public int defaultRank() {
    return 1;
  }

  /** The shuffled image (3 B/px) and its JPEG encoding (strip buffers and output, 3). */
  @Override
  public int heapBytesPerPixel() {
    return 6;
  }

  /** 16,028 of the 81k samples (paper table 5). */
  @Override
  public double presetShare(String preset) {
    return Preset.SPATIAL_SSRL_81K.equals(preset) ? 16_028 : 0;
  }

  /**
   * In the 81k preset: grids 2×2 8,028 (4,028 of them masked), one row of 3 or 4 pieces 4,991, one
   * column of 3 or 4 pieces 3,009, only 2×2 masked (the paper does not split rows and columns
   * between 3 and 4 pieces: we split them evenly).
   */
  @Override
  public Map<String, String> presetParameters(String preset) {
    if (!Preset.SPATIAL_SSRL_81K.equals(preset)) {
      return Map.of();
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("shuffle.grids", "2x2:8028,3x1:2496,4x1:2495,1x3:1505,1x4:1504");
    p.put("shuffle.maskedGrids", "2x2");
    p.put("shuffle.masked", "0.50174");
    return Collections.unmodifiableMap(p);
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(AuditBaseline.permutationAnswers("mostFrequentAnswer"));

  /**
   * The grid is visible in the image, so a blind model's best answer is per grid; chance is 1/K!
   * for K pieces (counting the identity).
   */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    tally.answer(AuditTally.text(metadata.get("grid"), "?"), answer);
    tally.permutationOf(answer.split("-", -1).length);
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /**
   * Generates one shuffle sample; depth, if any, is ignored.
   *
   * @throws IllegalArgumentException naming the parameter when {@code shuffle.grids}, {@code
   *     shuffle.masked} or {@code shuffle.allowIdentity} is malformed
   */
  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    GridList gridList =
        parseGrids("shuffle.grids", options.parameter("shuffle.grids", DEFAULT_GRIDS), true);
    List<Tiles.Grid> grids = gridList.grids();
    int[] gridWeights = gridList.weights();
    String maskable = options.parameter("shuffle.maskedGrids", null);
    List<Tiles.Grid> maskedGrids =
        maskable == null ? grids : parseGrids("shuffle.maskedGrids", maskable, false).grids();
    double maskedP =
        TaskParameters.number(
            options, "shuffle.masked", DEFAULT_MASKED, 0, 1, "a probability in [0, 1]");
    boolean allowIdentity = TaskParameters.bool(options, "shuffle.allowIdentity", false);
    boolean ladder =
        TaskParameters.choice(options, "shuffle.curriculum", "draw", "draw", "ladder")
            .equals("ladder");
    Raster img = scene.rgb();
    int width = img.width();
    int height = img.height();
    if (width < 64 || height < 64) {
      return new Rejection(scene.id(), ID, ID + ": image smaller than 64x64");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    // With unit weights this is the same draw as nextInt(grids.size()).
    // The draw is made under a ladder too, so that the later draws are the same either way.
    int drawn = Balance.pick(rng, gridWeights);
    Tiles.Grid grid = grids.get(ladder ? ladderStep(gridWeights, options.variant()) : drawn);
    int tw = width / grid.cols();
    int th = height / grid.rows();
    if (tw < MIN_TILE || th < MIN_TILE) {
      return new Rejection(scene.id(), ID, ID + ": image too small for grid " + grid.name());
    }
    int k = grid.count();
    // source[j] = the original tile shown at shuffled position j (which carries label j).
    int[] source = new int[k];
    do {
      for (int i = 0; i < k; i++) {
        source[i] = i;
      }
      for (int i = k - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = source[i];
        source[i] = source[j];
        source[j] = t;
      }
    } while (!allowIdentity && isIdentity(source));
    // Always consume the draws, so that the masking option does not shift other choices.
    boolean masked = rng.nextDouble() < maskedP && maskedGrids.contains(grid);
    int maskedDraw = rng.nextInt(k);
    int maskedLabel = masked ? maskedDraw : -1;

    int outW = tw * grid.cols();
    int outH = th * grid.rows();
    byte[] out = new byte[outW * outH * 3];
    for (int j = 0; j < k; j++) {
      int s = source[j];
      RasterOps.copyRegion(
          img.data(),
          width,
          (s % grid.cols()) * tw,
          (s / grid.cols()) * th,
          out,
          outW,
          (j % grid.cols()) * tw,
          (j / grid.cols()) * th,
          tw,
          th);
    }
    if (masked) {
      int mx = (maskedLabel % grid.cols()) * tw;
      int my = (maskedLabel / grid.cols()) * th;
      Draw.fillRect(out, outW, outH, mx, my, mx + tw, my + th, Draw.WHITE);
    }
    List<List<Integer>> labelBoxes = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      int x = (j % grid.cols()) * tw;
      int y = (j / grid.cols()) * th;
      Tiles.decorate(out, outW, outH, x, y, tw, th, j);
      int[] b = Tiles.labelBox(j, tw, th);
      labelBoxes.add(List.of(x + b[0], y + b[1], x + b[2], y + b[3]));
    }

    int[] labelOf = new int[k];
    for (int j = 0; j < k; j++) {
      labelOf[source[j]] = j;
    }
    StringBuilder answer = new StringBuilder();
    List<Integer> answerList = new ArrayList<>(k);
    List<Integer> sourceList = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      if (i > 0) {
        answer.append('-');
      }
      answer.append(labelOf[i]);
      answerList.add(labelOf[i]);
      sourceList.add(source[i]);
    }

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("grid", grid.name());
    meta.put("cols", grid.cols());
    meta.put("rows", grid.rows());
    meta.put("tileWidth", tw);
    meta.put("tileHeight", th);
    meta.put("imageWidth", outW);
    meta.put("imageHeight", outH);
    meta.put("tiles", Tiles.rects(grid, tw, th));
    meta.put("sourceOfLabel", sourceList);
    meta.put("labelOfPosition", answerList);
    meta.put("masked", masked);
    meta.put("maskedLabel", masked ? maskedLabel : null);
    meta.put("borderWidth", Tiles.borderWidth(tw, th));
    meta.put("labelBoxes", labelBoxes);
    meta.put("positionNames", grid.positionNames());
    double ambiguity =
        ShuffleDifficulty.seamAmbiguity(
            img, grid, tw, th, Tiles.borderWidth(tw, th), masked ? source[maskedLabel] : -1);
    meta.put("seamAmbiguity", ambiguity);
    meta.put(Difficulty.KEY, ShuffleDifficulty.difficulty(k, ambiguity));

    String problem = question(options, grid, masked);
    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        List.of(Raster.of(outW, outH, out)),
        answer.toString(),
        meta);
  }

  private static String question(GenerationOptions options, Tiles.Grid grid, boolean masked) {
    PromptProfile profile = PromptProfile.named(options.profile());
    String text =
        profile.has("shuffle.question.grid")
            ? shapedQuestion(profile, grid, masked)
            : legacyQuestion(profile, grid, masked);
    return options.suffix().isEmpty() ? text : text + " " + options.suffix();
  }

  /**
   * The question from the per-shape templates {@code shuffle.question.grid|row|column} and their
   * {@code .masked} variants (a row is one row of pieces, answered Left-…-Right; a column one
   * column, Top-…-Bottom).
   */
  private static String shapedQuestion(PromptProfile profile, Tiles.Grid grid, boolean masked) {
    String shape = grid.rows() == 1 ? "row" : grid.cols() == 1 ? "column" : "grid";
    int n = grid.count();
    String labelsKey = "shuffle.labels." + n;
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("count", Integer.toString(n));
    vars.put("countWord", countWord(n));
    vars.put("rows", Integer.toString(grid.rows()));
    vars.put("cols", Integer.toString(grid.cols()));
    vars.put("labels", profile.has(labelsKey) ? profile.format(labelsKey, Map.of()) : labels(n));
    vars.put("format", String.join("-", grid.positionNames()));
    return profile.format("shuffle.question." + shape + (masked ? ".masked" : ""), vars);
  }

  /** "0, 1, 2, and 3": the labels joined with a serial "and" ("0 and 1" for two). */
  static String labels(int n) {
    if (n == 2) {
      return "0 and 1";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n - 1; i++) {
      sb.append(i).append(", ");
    }
    return sb.append("and ").append(n - 1).toString();
  }

  private static final String[] WORDS = {
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen"
  };

  static String countWord(int n) {
    return n < WORDS.length ? WORDS[n] : Integer.toString(n);
  }

  /**
   * The question of a profile written before the per-shape templates ({@code shuffle.question},
   * {@code shuffle.layout.*}, {@code shuffle.masked}); kept so that users' own profile files go on
   * working.
   */
  private static String legacyQuestion(PromptProfile profile, Tiles.Grid grid, boolean masked) {
    String count = Integer.toString(grid.count());
    String layout;
    if (grid.cols() == 1) {
      layout = profile.format("shuffle.layout.rows", Map.of("count", count));
    } else if (grid.rows() == 1) {
      layout = profile.format("shuffle.layout.cols", Map.of("count", count));
    } else {
      layout =
          profile.format(
              "shuffle.layout.grid",
              Map.of("rows", Integer.toString(grid.rows()), "cols", Integer.toString(grid.cols())));
    }
    String text =
        profile.format(
            "shuffle.question",
            Map.of(
                "layout",
                layout,
                "count",
                count,
                "format",
                String.join("-", grid.positionNames()),
                "example",
                example(grid.count())));
    if (masked) {
      text = text + " " + profile.format("shuffle.masked", Map.of());
    }
    return text;
  }

  /** A fixed, non-identity example answer for K labels: {@code 0-2-3-1} for four. */
  static String example(int k) {
    if (k == 2) {
      return "1-0";
    }
    StringBuilder sb = new StringBuilder("0");
    for (int i = 2; i < k; i++) {
      sb.append('-').append(i);
    }
    return sb.append("-1").toString();
  }

  /**
   * The grid index of {@code variant} on the ladder: the grids repeated by their weights, entry
   * {@code variant} modulo the weights' sum.
   */
  static int ladderStep(int[] weights, int variant) {
    long total = 0;
    for (int w : weights) {
      total += w;
    }
    long r = Math.floorMod((long) variant, total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    throw new IllegalStateException("weights sum to " + total);
  }

  private static boolean isIdentity(int[] p) {
    for (int i = 0; i < p.length; i++) {
      if (p[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Grids with their draw weights (all 1 where no weight is given). */
  record GridList(List<Tiles.Grid> grids, int[] weights) {}

  /**
   * A comma-separated grid list {@code CxR}; with {@code weighted}, each entry may carry an integer
   * weight ({@code 2x2:8028,3x1:2496}) and the weights must have a positive sum. Every error names
   * {@code key}. Grids are checked before weights.
   */
  static GridList parseGrids(String key, String value, boolean weighted) {
    String[] parts = value.split(",", -1);
    List<Tiles.Grid> grids = new ArrayList<>(parts.length);
    for (String part : parts) {
      int colon = weighted ? part.indexOf(':') : -1;
      try {
        grids.add(Tiles.Grid.parse(colon < 0 ? part : part.substring(0, colon)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }
    int[] w = new int[parts.length];
    long sum = 0;
    for (int i = 0; i < parts.length; i++) {
      int colon = weighted ? parts[i].indexOf(':') : -1;
      w[i] = 1;
      if (colon >= 0) {
        String t = parts[i].substring(colon + 1).trim();
        try {
          w[i] = Integer.parseInt(t);
        } catch (NumberFormatException e) {
          w[i] = -1;
        }
        if (w[i] < 0) {
          throw new IllegalArgumentException(
              key + ": weight '" + t + "' of " + parts[i].trim() + " is not an integer >= 0");
        }
      }
      sum += w[i];
    }
    if (sum == 0 || sum > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          key + ": the weights must sum to between 1 and 2^31 - 1, got '" + value + "'");
    }
    return new GridList(List.copyOf(grids), w);
  }
}
