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
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import dev.ssrl.tasks.image.Draw;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The {@code depth-points} task, beyond the paper (issue 30, after Visual Jigsaw's multi-point
 * depth ordering): K marked points at clearly different depths, to be sorted from nearest to
 * farthest. K is the parameter {@code depth-points.k}, 3 to 8 (default {@value #DEFAULT_K}).
 * Opt-in: it runs only when a task list names it ({@link #inDefaultRun()}).
 *
 * <p>Procedure, on the map normalised by {@link DepthNormalizer}, with the {@code depth} task's
 * building blocks ({@link DepthOrderingTask}: flat windows, separation rule, markers):
 *
 * <ol>
 *   <li>The candidates are the depth task's flat windows, regardless of depth: fully valid 25×25
 *       windows with range below 0.15, or, when the scene has none, 11×11 windows with range below
 *       0.20 ({@link DepthPointWindows}, which says why there are no depth bands here).
 *   <li>A draw picks K windows one after another, each uniformly among the candidates, retrying a
 *       pick (up to {@value #PICK_TRIES} times) until its window is separated in depth from every
 *       window picked before ({@code min(farther) - max(nearer) > 0.05} in double, the depth task's
 *       rule) and its marker does not touch theirs (centres at least {@code 2r + 2} pixels apart);
 *       a point without such a pick fails the draw. A complete draw is accepted when it meets the
 *       sample's height target (below); up to {@value #MAX_DRAWS} draws.
 *   <li>Labels 1…K are a uniformly random permutation over the points, drawn as the depth task's
 *       markers (radius {@code max(8, min(W, H) / 40)}) on a copy of the image.
 * </ol>
 *
 * <p>The answer lists the labels from nearest to farthest joined by {@code -}, e.g. {@code
 * 3-1-4-2}: by the separation rule that is the order of the windows' depth intervals, of their mean
 * depths, and of the raw depth at the marker centres.
 *
 * <p><b>Height balancing, always on.</b> In photos the lower of two points is usually the nearer
 * (92 % of the depth task's triples on the shared scenes), so "sort by height" would be a shortcut
 * that grows with K. Each sample therefore draws, from the balancing stream ({@link
 * Balance#random}), whether its points must contradict the image-height order (some nearer point
 * strictly higher in the image than the next farther one) or follow it, with the share {@code
 * depth-points.against} (default {@code 1 - 1/K!}) contradicting it: the height guess is then right
 * for about 1/K! of the samples, the chance rate. A sample that must follow the height order and
 * finds no such draw keeps its first valid draw ({@code free}); one that must contradict it and
 * finds none is rejected. Metadata {@code balance}: {@code against-height}, {@code with-height} or
 * {@code free}.
 *
 * <p><b>Difficulty</b> ({@code difficulty} in the metadata, in [0, 1], higher is harder): {@code
 * 0.5 * (K - 3) / 5 + 0.5 * max(0, 1 - minDepthGap / 0.35)}, rounded to 3 decimals, where {@code
 * minDepthGap} (also in the metadata) is the smallest difference of the window mean depths of two
 * consecutive points in depth order, rounded to 4 decimals; 0.35 is the depth task's band pitch.
 * More points and closer depths make it harder.
 *
 * <p>Rejection reasons: {@code depth-points: no depth map}, {@code depth-points: too few valid
 * pixels}, {@code depth-points: no flat window}, {@code depth-points: no separated points}, {@code
 * depth-points: no separated points against height}. All randomness comes from {@code new
 * SplittableRandom(seed)} and {@link Balance#random}, so the task is a pure function of its
 * arguments; {@code ssrl.gpu=true} lets a window-statistics engine run as in the depth task.
 */
public final class DepthPointsTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "depth-points";

  static final String K_KEY = "depth-points.k";
  static final String AGAINST_KEY = "depth-points.against";
  static final int DEFAULT_K = 4;
  static final int MIN_K = 3;
  static final int MAX_K = 8;
  static final int MAX_DRAWS = 4000;
  static final int PICK_TRIES = 64;

  /** The depth task's band pitch, the gap that counts as easy in {@code difficulty}. */
  static final double EASY_GAP = 0.35;

  static final String NO_DEPTH = ID + ": no depth map";
  static final String NOT_SEPARATED = ID + ": no separated points";
  static final String NOT_AGAINST_HEIGHT = ID + ": no separated points against height";

  private static final String[] COUNT_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight"
  };
  private static final String[] ORDINALS = {"", "", "2nd", "3rd", "4th", "5th", "6th", "7th"};

  /** Creates the task (stateless; one instance may serve every thread). */
  public DepthPointsTask() {}

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
    return true;
  }

  // Capabilities (docs/extending.md).

  /** Opt-in: a run without a task list stays the paper's five tasks. */
  @Override
  public boolean inDefaultRun() {
    return false;
  }

  /** After the five (and after {@code depth}'s neighbours) when a task list is sorted by rank. */
  @Override
  public int defaultRank() {
    return 6;
  }

  /**
   * {@code DepthNormalizer}'s keys and map (8 B/px); two window statistics at once when the scene
   * needs the 11×11 fallback (2 × 20); the marked copy and its JPEG encoding (6).
   */
  @Override
  public int heapBytesPerPixel() {
    return 54;
  }

  /** The marked image: its order from nearest to farthest and K. */
  @Override
  public List<String> previewCaptions(String answer, Map<String, ?> metadata, int images) {
    Double k = AuditTally.number(metadata.get("k"));
    return List.of(
        "nearest to farthest: " + answer + (k == null ? "" : " (K=" + k.intValue() + ")"));
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(
          AuditBaseline.permutationAnswers("mostFrequentAnswer"),
          AuditBaseline.scored("heightOrder", true));

  /**
   * The answer (grouped by K, which the question states), and the height order: the lower point in
   * the image (larger y) taken as the nearer, ties by label. Its chance level, 1/K!, is counted in
   * twelfths of a sample (2 for K = 3) and is 0 for K ≥ 4, where 1/K! is below 1/12: the reported
   * chance is then under the true one by at most 4.2 points, which makes the warning stricter.
   */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    String[] labels = answer.split("-", -1);
    tally.answer("K=" + labels.length, answer);
    tally.permutationOf(labels.length);
    String guess = DepthOrderingTask.heightOrderGuess(metadata.get("points"), labels.length);
    if (guess == null) {
      return;
    }
    int chance = labels.length == 3 ? AuditTally.UNIT / 6 : 0;
    tally.score("heightOrder", guess.equals(answer) ? AuditTally.UNIT : 0, chance);
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /** K from {@code depth-points.k}. */
  static int k(GenerationOptions options) {
    return (int)
        TaskParameters.number(
            options, K_KEY, DEFAULT_K, MIN_K, MAX_K, "an integer from " + MIN_K + " to " + MAX_K);
  }

  /**
   * Generates one sample, or a rejection naming why the scene has no K separated flat points.
   *
   * @throws IllegalArgumentException if {@code depth-points.k} is not an integer from 3 to 8,
   *     {@code depth-points.against} not a number in [0, 1], or the prompt profile unknown
   */
  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(options, "options");
    String kText = options.parameter(K_KEY, null);
    int k = k(options);
    if (kText != null && !kText.trim().matches("[0-9]+")) {
      throw new IllegalArgumentException(
          K_KEY + " must be an integer from " + MIN_K + " to " + MAX_K + ", got '" + kText + "'");
    }
    double againstShare =
        TaskParameters.number(
            options, AGAINST_KEY, 1 - 1 / factorial(k), 0, 1, "a number in [0, 1]");
    PromptProfile profile = PromptProfile.named(options.profile());
    if (!scene.hasDepth()) {
      return new Rejection(scene.id(), ID, NO_DEPTH);
    }
    DepthPointWindows.Prepared prepared =
        DepthPointWindows.prepared(scene.depth(), WindowStatsEngines.forOptions(options));
    if (prepared.rejection() != null) {
      return new Rejection(scene.id(), ID, ID + ": " + prepared.rejection());
    }
    DepthNormalizer.Normalized norm = prepared.norm();
    int w = norm.width();
    int h = norm.height();

    SplittableRandom random = new SplittableRandom(seed);
    boolean against = Balance.random(seed).nextDouble() < againstShare;
    int radius = DepthOrderingTask.markerRadius(w, h);
    long minCentreGap = 2L * radius + 2;
    DepthOrderingTask.Region[] chosen = null;
    DepthOrderingTask.Region[] firstValid = null;
    int draws = 0;
    while (chosen == null && draws < MAX_DRAWS) {
      draws++;
      DepthOrderingTask.Region[] r = draw(random, k, prepared, minCentreGap);
      if (r != null) {
        if (againstHeight(r) == against) {
          chosen = r;
        } else if (firstValid == null) {
          firstValid = r;
        }
      }
    }
    String balance = against ? "against-height" : "with-height";
    if (chosen == null && !against && firstValid != null) {
      chosen = firstValid;
      balance = "free";
    }
    if (chosen == null) {
      return new Rejection(
          scene.id(), ID, against && firstValid != null ? NOT_AGAINST_HEIGHT : NOT_SEPARATED);
    }

    int[] labels = new int[k];
    for (int i = 0; i < k; i++) {
      labels[i] = i + 1;
    }
    for (int i = k - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    byte[] rgb = scene.rgb().data().clone();
    StringBuilder answer = new StringBuilder();
    for (int b = 0; b < k; b++) {
      Draw.marker(rgb, w, h, chosen[b].cx, chosen[b].cy, radius, Integer.toString(labels[b]));
      answer.append(b == 0 ? "" : "-").append(labels[b]);
    }
    double minGap = Double.POSITIVE_INFINITY;
    for (int b = 0; b + 1 < k; b++) {
      minGap = Math.min(minGap, chosen[b + 1].mean - chosen[b].mean);
    }
    minGap = Math.round(minGap * 10_000) / 10_000.0;

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("k", k);
    meta.put("normalization", DepthOrderingTask.normalizationMetadata(norm));
    meta.put("windowRule", prepared.rule());
    meta.put("markerRadius", radius);
    meta.put("points", points(chosen, labels, scene));
    meta.put("draws", draws);
    meta.put("balance", balance);
    meta.put("againstShare", againstShare);
    meta.put("minDepthGap", minGap);
    meta.put(Difficulty.KEY, difficulty(k, minGap));

    Map<String, String> vars = new HashMap<>();
    vars.put("count", Integer.toString(k));
    vars.put("countWord", COUNT_WORDS[k]);
    vars.put("format", format(k));
    String problem =
        DepthOrderingTask.withSuffix(profile.format("depth-points.question", vars), options);
    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        List.of(Raster.of(w, h, rgb)),
        answer.toString(),
        meta);
  }

  /**
   * One draw: K windows picked one after another, each separated in depth from and apart on the
   * image from those before it, sorted from nearest to farthest; null when a point finds no pick.
   */
  private static DepthOrderingTask.Region[] draw(
      SplittableRandom random, int k, DepthPointWindows.Prepared prepared, long minCentreGap) {
    int size = prepared.size();
    DepthOrderingTask.Region[] r = new DepthOrderingTask.Region[k];
    for (int n = 0; n < k; n++) {
      for (int t = 0; t < PICK_TRIES && r[n] == null; t++) {
        DepthOrderingTask.Region c = prepared.region(random.nextInt(size));
        if (fits(c, r, n, minCentreGap)) {
          r[n] = c;
        }
      }
      if (r[n] == null) {
        return null;
      }
    }
    Arrays.sort(r, Comparator.comparingDouble(p -> p.min));
    return r;
  }

  /** Whether {@code c} is separated in depth from, and apart from, the first n of {@code r}. */
  private static boolean fits(
      DepthOrderingTask.Region c, DepthOrderingTask.Region[] r, int n, long gap) {
    for (int j = 0; j < n; j++) {
      DepthOrderingTask.Region o = r[j];
      boolean separated =
          (double) c.min - (double) o.max > DepthOrderingTask.SEPARATION
              || (double) o.min - (double) c.max > DepthOrderingTask.SEPARATION;
      long dx = c.cx - o.cx;
      long dy = c.cy - o.cy;
      if (!separated || dx * dx + dy * dy < gap * gap) {
        return false;
      }
    }
    return true;
  }

  /** The points in label order, each with its window statistics and raw centre depth. */
  private static List<Object> points(DepthOrderingTask.Region[] chosen, int[] labels, Scene scene) {
    List<Object> points = new ArrayList<>();
    for (int label = 1; label <= labels.length; label++) {
      for (int b = 0; b < labels.length; b++) {
        if (labels[b] == label) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("label", label);
          chosen[b].describe(m);
          m.put("rawCentreDepth", (double) scene.depth().at(chosen[b].cx, chosen[b].cy));
          points.add(m);
        }
      }
    }
    return points;
  }

  /** The task's difficulty for K points whose closest consecutive mean depths differ by gap. */
  static double difficulty(int k, double minGap) {
    double d = 0.5 * (k - MIN_K) / (MAX_K - MIN_K) + 0.5 * Math.max(0, 1 - minGap / EASY_GAP);
    return Difficulty.of(d);
  }

  /** The answer format named in the question: {@code Smallest-Middle-Largest} for K = 3. */
  static String format(int k) {
    if (k == 3) {
      return "Smallest-Middle-Largest";
    }
    StringBuilder f = new StringBuilder("Smallest");
    for (int i = 2; i < k; i++) {
      f.append('-').append(ORDINALS[i]);
    }
    return f.append("-Largest").toString();
  }

  private static double factorial(int k) {
    double f = 1;
    for (int i = 2; i <= k; i++) {
      f *= i;
    }
    return f;
  }

  /**
   * Whether the points (nearest first) contradict "lower in the image is nearer" strictly: some
   * nearer point lies higher in the image (smaller y) than the next farther one.
   */
  static boolean againstHeight(DepthOrderingTask.Region[] r) {
    for (int b = 0; b + 1 < r.length; b++) {
      if (r[b].cy < r[b + 1].cy) {
        return true;
      }
    }
    return false;
  }
}
