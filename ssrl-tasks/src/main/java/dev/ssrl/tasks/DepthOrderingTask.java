package dev.ssrl.tasks;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.DepthMap;
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
import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowCandidates;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import dev.ssrl.tasks.image.Draw;
import dev.ssrl.tasks.impl.LastScene;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The {@code depth} task, regional depth ordering (SPEC §3.4): three marked regions at clearly
 * different depths, to be sorted from nearest to farthest.
 *
 * <p>Procedure, on the map normalised by {@link DepthNormalizer}:
 *
 * <ol>
 *   <li>For each band [0, 0.30], [0.35, 0.65], [0.70, 1.0] the qualifying windows are the 25×25
 *       windows that are fully valid, whose <em>centre pixel's</em> normalised depth lies in the
 *       band (bounds inclusive, compared in double against the decimal bounds) and whose range
 *       {@code (double) max - (double) min} is below 0.15. A band without any is searched again
 *       with 11×11 windows and range below 0.20 (other bands keep their 25×25 windows).
 *   <li>One window per band is drawn uniformly among its qualifying windows. The draw is accepted
 *       when consecutive regions are separated ({@code min(farther) - max(nearer) > 0.05}, in
 *       double) and no two markers would touch (centres at least {@code 2r + 2} pixels apart);
 *       otherwise all three are drawn again, up to {@value #MAX_DRAWS} times.
 *   <li>Labels 1, 2, 3 are a uniformly random permutation over the regions, drawn as markers of
 *       radius {@code r = max(8, min(W, H) / 40)} (integer division) on a copy of the image.
 * </ol>
 *
 * <p>Because of the separation rule, the nearest-to-farthest order is the band order and also the
 * order of the windows' mean depths. The answer lists the labels from nearest to farthest joined by
 * {@code -}. Rejection reasons: {@code depth: no depth map}, {@code depth: too few valid pixels},
 * {@code depth: no flat window in band [0,0.30]} (or {@code [0.35,0.65]}, {@code [0.70,1.0]}),
 * {@code depth: no separated regions}.
 *
 * <p>Balancing ({@code ssrl.balance=true}, {@code ssrl generate --balance}): a share {@code
 * depth.balance.against} (default {@value Balance#DEPTH_AGAINST_HEIGHT}) of the samples, drawn per
 * sample from the balancing stream ({@link Balance#random}), only accepts draws whose regions
 * contradict the image-height order ({@link #againstHeight}), with up to {@value #BALANCED_DRAWS}
 * draws; when none is found the sample is rejected with {@code depth: balance: no separated regions
 * against height}. The other samples only accept draws that follow the height order, so the height
 * baseline is {@code 1 - against} on any scenes; where no such draw turns up within the same
 * budget, the first valid draw is kept ({@code free}). The answer is still the band order, so it
 * stays right by construction; labels stay a uniform permutation. The metadata then gains {@code
 * balance}: {@code against-height}, {@code with-height} or {@code free}.
 *
 * <p>Difficulty ({@link Difficulty}): {@code depthGap}, the smallest separation between consecutive
 * regions, {@code min(farther) - max(nearer)} in normalised depth (the quantity the separation rule
 * tests; from the regions' {@code minDepth} and {@code maxDepth} in band order), mapped linearly
 * from 1 at the separation threshold {@value #SEPARATION} to 0 at {@value #WIDEST_GAP}, the largest
 * the smaller of two gaps can be on a map normalised to [0, 1]: {@code (0.5 - depthGap) / 0.45},
 * clamped.
 *
 * <p>All randomness comes from {@code new SplittableRandom(seed)} (and, when balancing, {@link
 * Balance#random}), so the task is a pure function of its arguments. The generation parameter
 * {@code ssrl.gpu=true} lets a {@link WindowStatsEngine} (e.g. a GPU) compute the window
 * statistics, with identical samples ({@link WindowStatsEngines}).
 */
public final class DepthOrderingTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "depth";

  static final double[] BAND_LOW = {0.0, 0.35, 0.70};
  static final double[] BAND_HIGH = {0.30, 0.65, 1.0};
  static final String[] BAND_NAMES = {"[0,0.30]", "[0.35,0.65]", "[0.70,1.0]"};
  static final int WINDOW = 25;
  static final double RANGE = 0.15;
  static final int FALLBACK_WINDOW = 11;
  static final double FALLBACK_RANGE = 0.20;
  static final double SEPARATION = 0.05;
  static final int MAX_DRAWS = 1000;

  static final String NO_DEPTH = "depth: no depth map";
  static final String TOO_FEW_VALID = "depth: too few valid pixels";
  static final String NO_FLAT_WINDOW = "depth: no flat window in band ";
  static final String NOT_SEPARATED = "depth: no separated regions";
  static final String NOT_AGAINST_HEIGHT = "depth: balance: no separated regions against height";

  /** Balanced draws of a sample that must contradict image height (they are rarer). */
  static final int BALANCED_DRAWS = 4 * MAX_DRAWS;

  /** The share of balanced samples that must contradict the image-height order. */
  static final String AGAINST_KEY = "depth.balance.against";

  // Null: WindowStatsEngines chooses per call (CPU unless ssrl.gpu=true and a provider is usable).
  private final WindowStatsEngine engine;

  /** Creates the task (stateless; used by {@link java.util.ServiceLoader}). */
  public DepthOrderingTask() {
    this(null);
  }

  /**
   * A task that computes its window statistics with {@code engine} whatever the options: to run on
   * an accelerator chosen by the caller, or to prove that an engine gives identical samples. The
   * engine must give exactly what {@link dev.ssrl.tasks.depth.WindowCandidates#find} gives.
   *
   * @param engine the engine, or null to choose per call with {@link WindowStatsEngines} (what the
   *     no-argument constructor does)
   */
  public DepthOrderingTask(WindowStatsEngine engine) {
    this.engine = engine;
  }

  private WindowStatsEngine engine(GenerationOptions options) {
    return engine != null ? engine : WindowStatsEngines.forOptions(options);
  }

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

  // Capabilities (docs/extending.md): what the rest of the system asks of this task, kept here
  // rather than in a switch on the task id elsewhere.

  /** Fourth in the default task list (the SPEC's order). */
  @Override
  public int defaultRank() {
    return 4;
  }

  /**
   * {@code DepthNormalizer}'s keys int[] (4 B/px) and normalised map float[] (4); {@code
   * WindowStats}' integral long[] (8), window min/max (8) and counts (4); the marked image copy (3)
   * and its JPEG encoding (3).
   */
  @Override
  public int heapBytesPerPixel() {
    return 34;
  }

  /** 20,620 of the 81k samples (paper table 5). */
  @Override
  public double presetShare(String preset) {
    return Preset.SPATIAL_SSRL_81K.equals(preset) ? 20_620 : 0;
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(
          AuditBaseline.answers("mostFrequentAnswer", 1 / 6.0),
          AuditBaseline.prior("labelAtPosition", "labelAtPosition", 1 / 3.0, true, false),
          AuditBaseline.scored("heightOrder", true));

  /**
   * The order, the label at each position, and the height order: the lower region in the image
   * (larger y) taken as the nearer, ties by label.
   */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    tally.answer("", answer);
    String[] labels = answer.split("-", -1);
    for (int i = 0; i < labels.length; i++) {
      tally.count("labelAtPosition", Integer.toString(i), labels[i]);
    }
    String guess = heightOrderGuess(metadata.get("regions"), labels.length);
    if (guess == null) {
      return;
    }
    int chance = labels.length == 3 ? 2 : 0; // 1/3! in twelfths
    tally.score("heightOrder", guess.equals(answer) ? AuditTally.UNIT : 0, chance);
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /**
   * Generates one depth-ordering sample, or a rejection naming why the scene has no three separated
   * flat regions.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the options name an unknown prompt profile
   */
  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(options, "options");
    PromptProfile profile = PromptProfile.named(options.profile());
    WindowStatsEngine windows = engine(options);
    boolean balance = Balance.enabled(options);
    double againstShare =
        balance ? Balance.share(options, AGAINST_KEY, Balance.DEPTH_AGAINST_HEIGHT) : 0;
    if (!scene.hasDepth()) {
      return new Rejection(scene.id(), ID, NO_DEPTH);
    }
    Prepared prepared = prepared(scene.depth(), windows);
    if (prepared.rejection() != null) {
      return new Rejection(scene.id(), ID, prepared.rejection());
    }
    DepthNormalizer.Normalized norm = prepared.norm();
    WindowCandidates candidates = prepared.candidates();
    int w = norm.width();
    int h = norm.height();

    SplittableRandom random = new SplittableRandom(seed);
    int radius = markerRadius(w, h);
    long minCentreGap = 2L * radius + 2;
    // Balancing: this sample must contradict the image-height order (see againstHeight), or,
    // for the other samples, follow it. Requiring the others to follow it, rather than leaving
    // them free, makes the height baseline 1 - against whatever the scenes' natural rate: with
    // free draws it was (1 - against) * p, 19 % on photos (p = 92 %) but 7.8 % on the built-in
    // scenes (p = 35 %), a reverse prior (docs/baselines.md).
    boolean against = balance && Balance.random(seed).nextDouble() < againstShare;
    int maxDraws = balance ? BALANCED_DRAWS : MAX_DRAWS;
    Region[] chosen = null;
    // A with-height sample falls back to the first valid draw when the scene has none that
    // follows the height order (it is then "free"); an against-height one is rejected instead.
    // Only a balanced draw that missed its target is ever kept here.
    Region[] firstValid = null;
    int draws = 0;
    while (chosen == null && draws < maxDraws) {
      draws++;
      Region[] r = new Region[3];
      for (int b = 0; b < 3; b++) {
        r[b] = Region.of(candidates, b, random.nextInt(candidates.size(b)), norm.values());
      }
      if (separated(r) && apart(r, minCentreGap)) {
        if (!balance || againstHeight(r) == against) {
          chosen = r;
        } else if (firstValid == null) {
          firstValid = r;
        }
      }
    }
    String balanceKind = against ? "against-height" : "with-height";
    if (chosen == null && !against && firstValid != null) {
      chosen = firstValid;
      balanceKind = "free";
    }
    if (chosen == null) {
      return new Rejection(scene.id(), ID, against ? NOT_AGAINST_HEIGHT : NOT_SEPARATED);
    }

    int[] labels = {1, 2, 3};
    for (int i = 2; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    byte[] rgb = scene.rgb().data().clone();
    for (int b = 0; b < 3; b++) {
      Draw.marker(rgb, w, h, chosen[b].cx, chosen[b].cy, radius, Integer.toString(labels[b]));
    }
    String answer = labels[0] + "-" + labels[1] + "-" + labels[2];

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("normalization", normalizationMetadata(norm));
    meta.put("markerRadius", radius);
    List<Object> regions = new ArrayList<>();
    for (int label = 1; label <= 3; label++) {
      for (int b = 0; b < 3; b++) {
        if (labels[b] == label) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("label", label);
          m.put("band", BAND_NAMES[b]);
          m.put("bandLow", BAND_LOW[b]);
          m.put("bandHigh", BAND_HIGH[b]);
          chosen[b].describe(m);
          regions.add(m);
        }
      }
    }
    meta.put("regions", regions);
    meta.put("draws", draws);
    if (balance) {
      meta.put("balance", balanceKind);
    }
    double gap = depthGap(chosen);
    meta.put("depthGap", gap);
    meta.put(Difficulty.KEY, difficulty(gap));

    String problem = withSuffix(profile.format("depth.question", Map.of()), options);
    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        List.of(Raster.of(w, h, rgb)),
        answer,
        meta);
  }

  /** The smaller of the two gaps a sample's difficulty is measured at. */
  static final double WIDEST_GAP = 0.5;

  /**
   * The smallest gap {@code min(farther) - max(nearer)} between consecutive regions (band order).
   */
  static double depthGap(Region[] r) {
    return Math.min((double) r[1].min - (double) r[0].max, (double) r[2].min - (double) r[1].max);
  }

  /** The difficulty of a sample whose smallest gap is {@code gap} (class comment). */
  static double difficulty(double gap) {
    return Difficulty.of((WIDEST_GAP - gap) / (WIDEST_GAP - SEPARATION));
  }

  /**
   * The audit's height-order guess from a sample's marked places ({@code regions} of this task,
   * {@code points} of depth-points): their labels joined by {@code -} from the lowest in the image
   * (largest y) to the highest, ties by label; null when the list is not {@code n} maps with a
   * numeric {@code y} and {@code label}.
   */
  static String heightOrderGuess(Object places, int n) {
    if (!(places instanceof List<?> list) || list.size() != n || list.isEmpty()) {
      return null;
    }
    List<double[]> byHeight = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> r)) {
        return null;
      }
      Double y = AuditTally.number(r.get("y"));
      Double label = AuditTally.number(r.get("label"));
      if (y == null || label == null) {
        return null;
      }
      byHeight.add(new double[] {y, label});
    }
    byHeight.sort((p, q) -> p[0] != q[0] ? Double.compare(q[0], p[0]) : Double.compare(p[1], q[1]));
    StringBuilder guess = new StringBuilder();
    for (double[] p : byHeight) {
      if (guess.length() > 0) {
        guess.append('-');
      }
      guess.append((long) p[1]);
    }
    return guess.toString();
  }

  private static boolean separated(Region[] r) {
    for (int b = 0; b < 2; b++) {
      if (!((double) r[b + 1].min - (double) r[b].max > SEPARATION)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What makes a window a candidate: fully valid, range below {@link #RANGE}, centre in a band;
   * bands without a {@link #WINDOW}-pixel one are searched again with {@link #FALLBACK_WINDOW}
   * pixels and range below {@link #FALLBACK_RANGE}.
   */
  static final CandidateQuery QUERY =
      CandidateQuery.of(WINDOW, RANGE, false, 0, BAND_LOW, BAND_HIGH)
          .withFallback(FALLBACK_WINDOW, FALLBACK_RANGE);

  /**
   * What every sample of a scene shares: the normalised depth and each band's candidate windows
   * (with their statistics), or the reason the scene has none. A pure function of the depth map and
   * the engine, so it is computed once per scene and thread (issue 17: for 40 samples of one scene
   * it was 40 passes of normalisation and window statistics, most of a sample's time).
   */
  record Prepared(DepthNormalizer.Normalized norm, WindowCandidates candidates, String rejection) {}

  /** The last scene each thread prepared (see {@link LastScene}). */
  private static final LastScene<Prepared> LAST = new LastScene<>();

  static Prepared prepared(DepthMap depth, WindowStatsEngine windows) {
    return LAST.get(depth, windows, () -> prepare(depth, windows));
  }

  private static Prepared prepare(DepthMap depth, WindowStatsEngine windows) {
    Optional<DepthNormalizer.Normalized> normalized = DepthNormalizer.normalize(depth);
    if (normalized.isEmpty()) {
      return new Prepared(null, null, TOO_FEW_VALID);
    }
    DepthNormalizer.Normalized norm = normalized.get();
    int w = norm.width();
    int h = norm.height();

    WindowCandidates candidates =
        WindowStatsEngines.candidates(windows, norm.values(), w, h, QUERY);
    for (int b = 0; b < 3; b++) {
      if (candidates.size(b) == 0) {
        return new Prepared(null, null, NO_FLAT_WINDOW + BAND_NAMES[b]);
      }
    }
    return new Prepared(norm, candidates, null);
  }

  /**
   * Whether the regions (nearest first) contradict "lower in the image is nearer" strictly: some
   * nearer region lies higher in the image (smaller y) than the next farther one. Ties do not
   * count, so a height guess, however it breaks ties, gets the order wrong.
   */
  static boolean againstHeight(Region[] r) {
    return r[0].cy < r[1].cy || r[1].cy < r[2].cy;
  }

  private static boolean apart(Region[] r, long gap) {
    for (int a = 0; a < 3; a++) {
      for (int b = a + 1; b < 3; b++) {
        long dx = r[a].cx - r[b].cx;
        long dy = r[a].cy - r[b].cy;
        if (dx * dx + dy * dy < gap * gap) {
          return false;
        }
      }
    }
    return true;
  }

  /** The marker radius for an image: {@code max(8, min(width, height) / 40)}. */
  static int markerRadius(int width, int height) {
    return Math.max(8, Math.min(width, height) / 40);
  }

  /** The question followed by one space and the suffix (no space when the suffix is empty). */
  static String withSuffix(String question, GenerationOptions options) {
    return options.suffix().isEmpty() ? question : question + " " + options.suffix();
  }

  static Map<String, Object> normalizationMetadata(DepthNormalizer.Normalized norm) {
    return normalizationMetadata(
        norm, DepthNormalizer.LOW_PERCENTILE, DepthNormalizer.HIGH_PERCENTILE);
  }

  /** The same, for a map normalised with the given clipping percentiles. */
  static Map<String, Object> normalizationMetadata(
      DepthNormalizer.Normalized norm, double lowPercentile, double highPercentile) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lowPercentile", lowPercentile);
    m.put("highPercentile", highPercentile);
    m.put("low", norm.low());
    m.put("high", norm.high());
    m.put("validPixels", norm.sourceValid());
    m.put("keptPixels", norm.kept());
    return m;
  }

  /** One chosen window: its position and statistics. */
  static final class Region {
    final int k;
    final int left;
    final int top;
    final int cx;
    final int cy;
    final float min;
    final float max;
    final double mean;
    final float centre;

    private Region(int k, int left, int top, float min, float max, double mean, float centre) {
      this.k = k;
      this.left = left;
      this.top = top;
      this.cx = left + k / 2;
      this.cy = top + k / 2;
      this.min = min;
      this.max = max;
      this.mean = mean;
      this.centre = centre;
    }

    static Region of(WindowCandidates c, int band, int j, float[] map) {
      int x = c.left(band, j);
      int y = c.top(band, j);
      int k = c.k(band);
      return new Region(
          k,
          x,
          y,
          c.min(band, j),
          c.max(band, j),
          c.mean(band, j),
          map[(y + k / 2) * c.width() + x + k / 2]);
    }

    /** Adds the region's position and statistics to a metadata map. */
    void describe(Map<String, Object> m) {
      m.put("x", cx);
      m.put("y", cy);
      m.put("window", k);
      m.put("left", left);
      m.put("top", top);
      m.put("centreDepth", (double) centre);
      m.put("minDepth", (double) min);
      m.put("maxDepth", (double) max);
      m.put("meanDepth", mean);
    }
  }
}
