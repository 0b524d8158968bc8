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
 * The {@code position} task, relative 3D position prediction (SPEC §3.5): standing at one marked
 * block and facing a stated direction, where is the other?
 *
 * <p>Procedure, on the map normalised by {@link DepthNormalizer}:
 *
 * <ol>
 *   <li>Candidate blocks are the 15×15 windows that are fully valid, have range {@code (double) max
 *       - (double) min <= 0.15} and whose centre pixel {@code (left + 7, top + 7)} satisfies {@code
 *       0.05 W <= cx <= 0.95 W} and {@code 0.05 H <= cy <= 0.95 H}.
 *   <li>A pair (camera, target) of candidates qualifies when the Euclidean distance between the
 *       centres is at least {@code max(floor(min(H, W) / 8), 2r + 2)} (r the marker radius; the
 *       second term only matters below 160 px and keeps the markers from touching) and at least one
 *       component is present: {@code |Δx| >= δx} or {@code |Δz| >= δz}, with {@code Δx} the
 *       difference of centre x (pixels) and {@code Δz} of window means ({@link
 *       WindowCandidates#mean}).
 *   <li>Pairs are drawn uniformly (camera and target independently among the candidates) up to
 *       {@code position.attempts} times; the first qualifying pair is used, which makes the choice
 *       uniform over qualifying ordered pairs. If none qualifies, up to {@value #FALLBACK_CAMERAS}
 *       random cameras are each tested against every candidate and the first camera with a partner
 *       takes one uniformly among its partners. This bounded search replaces the reference's
 *       quadratic scan.
 *   <li>Markers {@code 1}/{@code 2} go to camera/target at random; the facing is drawn with weights
 *       left of image / right of image / towards viewer / away from viewer (default 30/30/30/10);
 *       the answer direction follows {@link #direction}; the four single or compound options are
 *       shuffled and lettered A–D.
 * </ol>
 *
 * <p>Parameters: {@code position.dx} the horizontal threshold in pixels for a 1600-px-wide image,
 * scaled by {@code W / 1600} (default 150); {@code position.dz} the depth threshold in normalised
 * units (default 0.25); {@code position.facing.weights} four non-negative integers, comma
 * separated, in the order left, right, towards, away (default {@code 30,30,30,10}); {@code
 * position.attempts} random pair draws (default 256); {@code ssrl.gpu=true} lets a {@link
 * WindowStatsEngine} (e.g. a GPU) compute the window statistics, with identical samples ({@link
 * WindowStatsEngines}). Rejection reasons: {@code position: no depth map}, {@code position: too few
 * valid pixels}, {@code position: too few flat blocks}, {@code position: no pair with a clear
 * direction}.
 *
 * <p>Rules ({@code position.rules}): {@code current} (default) is the above. {@code original}
 * follows the original {@code Position.py} (reference/spatial-ssrl-81k.md) on the same candidate
 * blocks: a <em>far</em> pair has a gap of at least 0.25 between the two windows' depth
 * <em>ranges</em> and is answered from Δz, compound with Δx when |Δx| &gt; 150 px (absolute, as in
 * the script); a <em>near</em> pair has ranges within 0.25 of each other (|max₁ − min₂| ≤ 0.25 and
 * |max₂ − min₁| ≤ 0.25), |Δy| below 30 px at a 1,200-px-high image (scaled by H / 1200, so the
 * bound keeps its share of the image), |Δx| ≥ ⌊min(W, H) / 8⌋, and is answered from Δx alone. Both
 * keep the marker distance above. The metadata gains {@code rules} and {@code pair} ({@code near}
 * or {@code far}), and {@code thresholdX}/{@code thresholdZ} are those that give the answer by
 * {@link #direction} (near: 1 and 1; far: 150.5 and 0.25), so every answer re-derives from the
 * metadata. Far pairs' questions carry the profile's {@code position.height.far} clause. Not
 * combinable with balancing; pairs are drawn at random, not centre first as in the script. No pair:
 * {@code position: no near or far pair (original rules)}.
 *
 * <p>Normalisation ({@code position.normalization}): {@code percentile} (default) clips at the
 * 0.5th and 99.5th percentiles as for the other tasks (SPEC §1); {@code minmax} maps the valid
 * depth's minimum to 0 and maximum to 1 with nothing clipped, as the original {@code Position.py}
 * did. It combines with either rule set; the metadata's {@code normalization} then records
 * percentiles 0 and 100 with the minimum and maximum as {@code low} and {@code high}, so the answer
 * re-derives the same way.
 *
 * <p>Text balancing ({@code position.textBalance}, default true; {@link PositionAnswers}): with our
 * rules the kind of answer (x-only, z-only, compound, equal weights) is drawn and required of the
 * pair (any qualifying pair when the scene has none; metadata {@code textBalance}), camera and
 * target swap roles on a coin, and the height clause is a coin of its own (metadata {@code
 * heightClause}), so that the question text does not predict the answer direction. {@code false}
 * gives the samples of earlier versions, where the clause marked pairs with a depth component.
 *
 * <p>Difficulty ({@link Difficulty}): per axis, how close the component comes to the threshold that
 * decides whether it is in the answer ({@code thresholdX}/{@code thresholdZ}), the larger of the
 * two ({@link PositionAnswers#difficulty}).
 *
 * <p>Balancing ({@code ssrl.balance=true}): each sample first draws the kind of pair it needs
 * ({@link Want}); the pair search then only accepts such pairs, and finding none rejects the sample
 * with {@code position: balance: no pair <kind>} (e.g. {@code z-only, against height}). The answer
 * follows from the chosen pair by the same table, so it stays right by construction; markers,
 * facing and option order are drawn as without balancing. The metadata gains {@code balance}, the
 * kind.
 */
public final class RelativePositionTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "position";

  static final int WINDOW = 15;
  static final double RANGE = 0.15;
  static final double MARGIN = 0.05;
  static final int FALLBACK_CAMERAS = 32;

  static final String NO_DEPTH = "position: no depth map";
  static final String TOO_FEW_VALID = "position: too few valid pixels";
  static final String TOO_FEW_BLOCKS = "position: too few flat blocks";
  static final String NO_PAIR = "position: no pair with a clear direction";
  static final String NO_BALANCED_PAIR = "position: balance: no pair ";
  static final String NO_ORIGINAL_PAIR = "position: no near or far pair (original rules)";

  /** {@code position.normalization}: {@code percentile} (default, SPEC §1) or {@code minmax}. */
  static final String NORMALIZATION_KEY = "position.normalization";

  /** {@code position.rules}: ours (default) or those of the original Position.py. */
  static final String RULES_KEY = "position.rules";

  /** Original rules: |Δy| of a near pair below this many pixels at a 1,200-px-high image. */
  static final double ORIGINAL_NEAR_DY_AT_1200 = 30;

  /** Original rules: the depth-range gap (far) and overlap (near) bound, normalised units. */
  static final double ORIGINAL_RANGE_GAP = 0.25;

  /** Original rules: a far pair's answer is compound when |Δx| exceeds this many pixels. */
  static final double ORIGINAL_COMPOUND_DX = 150;

  static final List<String> SINGLE = List.of("Left", "Right", "Front", "Back");
  static final List<String> COMPOUND =
      List.of("Left-Front", "Right-Front", "Right-Back", "Left-Back");

  /**
   * The camera's facing and the direction table of SPEC §3.5 (viewer frame: +x right in the image,
   * +z farther away): the word for positive Δx, negative Δx, positive Δz and negative Δz.
   */
  enum Facing {
    LEFT("left", "Back", "Front", "Right", "Left"),
    RIGHT("right", "Front", "Back", "Left", "Right"),
    TOWARDS("towards", "Left", "Right", "Back", "Front"),
    AWAY("away", "Right", "Left", "Front", "Back");

    final String key;
    final String xPositive;
    final String xNegative;
    final String zPositive;
    final String zNegative;

    Facing(String key, String xPositive, String xNegative, String zPositive, String zNegative) {
      this.key = key;
      this.xPositive = xPositive;
      this.xNegative = xNegative;
      this.zPositive = zPositive;
      this.zNegative = zNegative;
    }
  }

  // Null: WindowStatsEngines chooses per call (CPU unless ssrl.gpu=true and a provider is usable).
  private final WindowStatsEngine engine;

  /** Creates the task (stateless; used by {@link java.util.ServiceLoader}). */
  public RelativePositionTask() {
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
  public RelativePositionTask(WindowStatsEngine engine) {
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
    return AnswerFormat.OPTION_LETTER;
  }

  @Override
  public boolean needsDepth() {
    return true;
  }

  // Capabilities (docs/extending.md): what the rest of the system asks of this task, kept here
  // rather than in a switch on the task id elsewhere.

  /** Fifth in the default task list (the SPEC's order). */
  @Override
  public int defaultRank() {
    return 5;
  }

  /**
   * As the depth task: normalised depth (8 B/px), window statistics (20), the marked image copy (3)
   * and its JPEG encoding (3).
   */
  @Override
  public int heapBytesPerPixel() {
    return 34;
  }

  /** 20,200 of the 81k samples (paper table 5). */
  @Override
  public double presetShare(String preset) {
    return Preset.SPATIAL_SSRL_81K.equals(preset) ? 20_200 : 0;
  }

  /**
   * In the 81k preset: the original rules ({@code position.rules=original}, facings 30/30/30/10).
   */
  @Override
  public Map<String, String> presetParameters(String preset) {
    return Preset.SPATIAL_SSRL_81K.equals(preset) ? Map.of("position.rules", "original") : Map.of();
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(
          AuditBaseline.answers("optionLetter", 0.25),
          AuditBaseline.heldOutPrior("textPrior", "direction", 0.25, true),
          AuditBaseline.scored("dxOnly", false),
          AuditBaseline.scored("heightRule", true),
          AuditBaseline.scored("imageRule", false));

  /** The audit's note on samples made with the original rules (the 81k preset). */
  static final String ORIGINAL_TEXT_PRIOR =
      "textPrior is inherited from the spatial-ssrl-81k data: with the original rules the height"
          + " clause marks depth answers and the answer kinds follow the scenes (not balanced)";

  /**
   * Facing -> {x positive, x negative, z positive, z negative} (SPEC §3.5), written out again for
   * the audit on purpose: it checks the generator's own table rather than calling it.
   */
  private static String[] auditTable(String facing) {
    return switch (facing) {
      case "left" -> new String[] {"Back", "Front", "Right", "Left"};
      case "right" -> new String[] {"Front", "Back", "Left", "Right"};
      case "towards" -> new String[] {"Left", "Right", "Back", "Front"};
      case "away" -> new String[] {"Right", "Left", "Front", "Back"};
      default -> null;
    };
  }

  /**
   * The letter; the direction per facing and kind of options (both in the question text); and three
   * image rules: Δx alone, the height rule (the target higher in the image is the farther) and both
   * together (docs/baselines.md).
   */
  @Override
  public void audit(String letter, Map<String, ?> meta, AuditTally tally) {
    final int u = AuditTally.UNIT;
    tally.answer("", letter);
    List<?> options = meta.get("options") instanceof List<?> l ? l : null;
    String facing = AuditTally.text(meta.get("facing"), null);
    String[] words = facing == null ? null : auditTable(facing);
    int index = letter.length() == 1 ? letter.charAt(0) - 'A' : -1;
    if (options == null || options.size() != 4 || words == null || index < 0 || index >= 4) {
      return;
    }
    String truth = String.valueOf(options.get(index));
    boolean compound = truth.contains("-");
    // The facing, the kind of options and the height clause are in the question text: a model that
    // reads only the text can learn the most frequent direction for them.
    String clause = Boolean.TRUE.equals(meta.get("heightClause")) ? "|clause" : "";
    tally.count("direction", facing + (compound ? "|compound" : "|single") + clause, truth);
    if ("original".equals(meta.get("rules"))) {
      tally.note(ORIGINAL_TEXT_PRIOR);
    }
    String zWord = null;
    for (String w : truth.split("-", -1)) {
      if (w.equals(words[2]) || w.equals(words[3])) {
        zWord = w;
      }
    }
    tally.share(compound ? "compound" : zWord != null ? "zOnly" : "xOnly");

    Map<?, ?> camera = meta.get("camera") instanceof Map<?, ?> m ? m : null;
    Map<?, ?> target = meta.get("target") instanceof Map<?, ?> m ? m : null;
    Double thresholdX = AuditTally.number(meta.get("thresholdX"));
    if (camera == null || target == null || thresholdX == null) {
      return;
    }
    Double cx = AuditTally.number(camera.get("x"));
    Double cy = AuditTally.number(camera.get("y"));
    Double tx = AuditTally.number(target.get("x"));
    Double ty = AuditTally.number(target.get("y"));
    if (cx == null || cy == null || tx == null || ty == null) {
      return;
    }
    double dx = tx - cx;
    boolean xPresent = Math.abs(dx) >= thresholdX;
    String xWord = dx > 0 ? words[0] : words[1];
    // Height rule: the target higher in the image (smaller y) is the farther; no guess on a tie.
    String zGuess = ty < cy ? words[2] : ty > cy ? words[3] : null;

    // Depth-blind: Δx decides a single-direction answer when it is over the threshold; otherwise
    // one of two depth words (or, for compound options, two options with the right x word) remain.
    int dxCredit = !compound && xPresent ? (xWord.equals(truth) ? u : 0) : u / 2;
    tally.score("dxOnly", dxCredit, u / 4);

    boolean depthPresent = compound || !xPresent;
    if (depthPresent && zWord != null) {
      tally.score("heightRule", zGuess == null ? u / 2 : zGuess.equals(zWord) ? u : 0, u / 2);
    }
    int imageCredit;
    if (!compound && xPresent) {
      imageCredit = xWord.equals(truth) ? u : 0;
    } else if (zGuess == null) {
      imageCredit = compound && !truth.contains(xWord) ? 0 : u / 2;
    } else {
      String guess;
      if (compound) {
        boolean xIsSide = xWord.equals("Left") || xWord.equals("Right");
        guess = xIsSide ? xWord + "-" + zGuess : zGuess + "-" + xWord;
      } else {
        guess = zGuess;
      }
      imageCredit = guess.equals(truth) ? u : 0;
    }
    tally.score("imageRule", imageCredit, u / 4);
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /**
   * Generates one relative-position sample, or a rejection naming why the scene has no suitable
   * pair of blocks.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a {@code position.*} parameter is malformed (naming it) or
   *     the prompt profile is unknown
   */
  /**
   * What every sample of a scene shares: the normalised depth, its window statistics and the
   * candidate blocks, or the reason there are none. A pure function of the depth map, the
   * normalisation and the engine, computed once per scene and thread (issue 17), as in {@link
   * DepthOrderingTask}.
   */
  private record Prepared(
      DepthNormalizer.Normalized norm, WindowCandidates candidates, String rejection) {}

  /**
   * The candidate blocks: fully valid {@link #WINDOW}-pixel windows with range at most {@link
   * #RANGE} whose centre keeps {@link #MARGIN} of each side off the border (one band holding every
   * valid value, as a fully valid window's centre always is).
   */
  static final CandidateQuery QUERY =
      CandidateQuery.of(WINDOW, RANGE, true, MARGIN, new double[] {0}, new double[] {1});

  /** The last scene each thread prepared (see {@link LastScene}). */
  private static final LastScene<Prepared> LAST = new LastScene<>();

  private static Prepared prepared(DepthMap depth, boolean minMax, WindowStatsEngine windows) {
    return LAST.get(depth, List.of(minMax, windows), () -> prepare(depth, minMax, windows));
  }

  private static Prepared prepare(DepthMap depth, boolean minMax, WindowStatsEngine windows) {
    // Min-max (position.normalization=minmax) is percentiles 0 and 100: nothing clipped.
    double lowPct = minMax ? 0 : DepthNormalizer.LOW_PERCENTILE;
    double highPct = minMax ? 100 : DepthNormalizer.HIGH_PERCENTILE;
    Optional<DepthNormalizer.Normalized> normalized =
        DepthNormalizer.normalize(depth, lowPct, highPct);
    if (normalized.isEmpty()) {
      return new Prepared(null, null, TOO_FEW_VALID);
    }
    DepthNormalizer.Normalized norm = normalized.get();
    WindowCandidates candidates =
        WindowStatsEngines.candidates(windows, norm.values(), norm.width(), norm.height(), QUERY);
    if (candidates.size(0) < 2) {
      return new Prepared(null, null, TOO_FEW_BLOCKS);
    }
    return new Prepared(norm, candidates, null);
  }

  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(options, "options");
    PromptProfile profile = PromptProfile.named(options.profile());
    WindowStatsEngine windows = engine(options);
    double dxAt1600 = TaskParameters.positive(options, "position.dx", "150");
    double dz = TaskParameters.positive(options, "position.dz", "0.25");
    int attempts = TaskParameters.positiveInt(options, "position.attempts", "256");
    int[] weights = facingWeights(options);
    Want want = Want.of(options, seed);
    boolean original = originalRules(options);
    if (original && want != null) {
      throw new IllegalArgumentException(
          RULES_KEY
              + "=original does not combine with ssrl.balance=true (balancing targets our rules)");
    }
    if (!scene.hasDepth()) {
      return new Rejection(scene.id(), ID, NO_DEPTH);
    }
    boolean minMax = minMaxNormalization(options);
    Prepared prepared = prepared(scene.depth(), minMax, windows);
    if (prepared.rejection() != null) {
      return new Rejection(scene.id(), ID, prepared.rejection());
    }
    DepthNormalizer.Normalized norm = prepared.norm();
    int w = norm.width();
    int h = norm.height();
    double dx = dxAt1600 * w / 1600.0;
    int radius = DepthOrderingTask.markerRadius(w, h);
    long minDistance = Math.max(Math.min(w, h) / 8, 2L * radius + 2);

    WindowCandidates candidates = prepared.candidates();

    SplittableRandom random = new SplittableRandom(seed);
    // Text balancing (PositionAnswers): our rules only; --balance's own kinds win over its kind.
    PositionAnswers.Draw text =
        !original && PositionAnswers.enabled(options) ? PositionAnswers.draw(seed) : null;
    Want kindWanted = want == null && text != null ? text.want() : null;
    Pairing pairing =
        original
            ? Pairing.original(candidates, minDistance, ORIGINAL_NEAR_DY_AT_1200 * h / 1200.0)
            : new Pairing(candidates, minDistance, dx, dz, want != null ? want : kindWanted);
    int[] pair = pairing.draw(random, attempts);
    boolean kindFound = pair != null;
    if (pair == null && kindWanted != null) {
      // No pair of the wanted kind in this scene: any qualifying pair, as without balancing.
      pairing = new Pairing(candidates, minDistance, dx, dz, null);
      pair = pairing.draw(random, attempts);
    }
    if (pair != null && text != null && text.swap()) {
      pair = new int[] {pair[1], pair[0]};
    }
    if (pair == null) {
      return new Rejection(
          scene.id(),
          ID,
          original ? NO_ORIGINAL_PAIR : want == null ? NO_PAIR : NO_BALANCED_PAIR + want);
    }
    Block camera = pairing.block(pair[0]);
    Block target = pairing.block(pair[1]);
    int deltaX = target.cx - camera.cx;
    double deltaZ = target.mean - camera.mean;
    // Original rules: a near pair answers from Δx alone, a far pair from Δz (compound beyond 150 px
    // of Δx). Expressed as the thresholds of direction() so that the metadata re-derives it.
    boolean far = original ? pairing.isFar(pair[0], pair[1]) : Math.abs(deltaZ) >= dz;
    if (original) {
      dx = far ? ORIGINAL_COMPOUND_DX + 0.5 : 1;
      dz = far ? ORIGINAL_RANGE_GAP : 1;
    }

    String cameraLabel = random.nextBoolean() ? "1" : "2";
    String targetLabel = cameraLabel.equals("1") ? "2" : "1";
    Facing facing = drawFacing(random, weights);
    String answerDirection = direction(facing, deltaX, deltaZ, dx, dz);
    List<String> options4 = new ArrayList<>(answerDirection.contains("-") ? COMPOUND : SINGLE);
    for (int i = options4.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = options4.get(i);
      options4.set(i, options4.get(j));
      options4.set(j, t);
    }
    String answer = String.valueOf((char) ('A' + options4.indexOf(answerDirection)));

    byte[] rgb = scene.rgb().data().clone();
    Draw.marker(rgb, w, h, camera.cx, camera.cy, radius, cameraLabel);
    Draw.marker(rgb, w, h, target.cx, target.cy, radius, targetLabel);

    StringBuilder optionText = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        optionText.append(' ');
      }
      optionText.append((char) ('A' + i)).append(". ").append(options4.get(i));
    }
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("camera", cameraLabel);
    vars.put("target", targetLabel);
    vars.put("facing", profile.format("position.facing." + facing.key, Map.of()));
    vars.put("options", optionText.toString());
    // Position.py's "far" pairs (the answer rests on depth) tell the model to ignore height; with
    // text balancing the clause is a coin of its own, so that it does not tell the axis.
    boolean clause = text != null ? text.heightClause() : far;
    String heightKey = clause ? "position.height.far" : "position.height.near";
    vars.put("height", profile.has(heightKey) ? profile.format(heightKey, Map.of()) : "");
    String problem =
        DepthOrderingTask.withSuffix(profile.format("position.question", vars), options);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put(
        "normalization",
        DepthOrderingTask.normalizationMetadata(
            norm,
            minMax ? 0 : DepthNormalizer.LOW_PERCENTILE,
            minMax ? 100 : DepthNormalizer.HIGH_PERCENTILE));
    meta.put("markerRadius", radius);
    meta.put("camera", camera.describe(cameraLabel));
    meta.put("target", target.describe(targetLabel));
    meta.put("facing", facing.key);
    meta.put("deltaX", deltaX);
    meta.put("deltaZ", deltaZ);
    meta.put("thresholdX", dx);
    meta.put("thresholdZ", dz);
    meta.put("minDistance", minDistance);
    meta.put("options", List.copyOf(options4));
    meta.put("answerDirection", answerDirection);
    meta.put("candidateBlocks", candidates.size(0));
    if (original) {
      meta.put("rules", "original");
      meta.put("pair", far ? "far" : "near");
    }
    if (want != null) {
      meta.put("balance", want.toString());
    }
    meta.put("heightClause", clause);
    if (kindWanted != null) {
      meta.put("textBalance", kindWanted + (kindFound ? "" : ", none found"));
    }
    meta.put(Difficulty.KEY, PositionAnswers.difficulty(deltaX, deltaZ, dx, dz));

    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        List.of(Raster.of(w, h, rgb)),
        answer,
        meta);
  }

  /**
   * The answer direction for a camera with this facing and a target at (Δx, Δz) from it, by the
   * table of SPEC §3.5; null when neither {@code |Δx| >= thresholdX} nor {@code |Δz| >= thresholdZ}
   * (thresholds are positive). With both components the compound answer is {@code
   * <Left|Right>-<Front|Back>}, the Left/Right word coming from whichever axis gives it.
   */
  static String direction(
      Facing facing, double deltaX, double deltaZ, double thresholdX, double thresholdZ) {
    String wx =
        Math.abs(deltaX) >= thresholdX ? (deltaX > 0 ? facing.xPositive : facing.xNegative) : null;
    String wz =
        Math.abs(deltaZ) >= thresholdZ ? (deltaZ > 0 ? facing.zPositive : facing.zNegative) : null;
    if (wx == null) {
      return wz;
    }
    if (wz == null) {
      return wx;
    }
    boolean xIsSide = wx.equals("Left") || wx.equals("Right");
    return xIsSide ? wx + "-" + wz : wz + "-" + wx;
  }

  private static Facing drawFacing(SplittableRandom random, int[] weights) {
    int total = 0;
    for (int wgt : weights) {
      total += wgt;
    }
    int r = random.nextInt(total);
    Facing[] all = Facing.values(); // declared in the weights' order: left, right, towards, away
    for (int i = 0; i < all.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return all[i];
      }
    }
    throw new AssertionError("weights sum to " + total);
  }

  /** Whether {@code position.rules} asks for the original Position.py rules. */
  /** Whether {@code position.normalization} asks for min–max instead of percentile clipping. */
  static boolean minMaxNormalization(GenerationOptions options) {
    return TaskParameters.choice(options, NORMALIZATION_KEY, "percentile", "percentile", "minmax")
        .equals("minmax");
  }

  static boolean originalRules(GenerationOptions options) {
    return TaskParameters.choice(options, RULES_KEY, "current", "current", "original")
        .equals("original");
  }

  private static int[] facingWeights(GenerationOptions options) {
    return TaskParameters.weights(
        options,
        "position.facing.weights",
        "30,30,30,10",
        4,
        "four non-negative integers (left,right,towards,away)");
  }

  /** A candidate block: centre and statistics. */
  record Block(int k, int left, int top, int cx, int cy, float min, float max, double mean) {
    Map<String, Object> describe(String label) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("label", label);
      m.put("x", cx);
      m.put("y", cy);
      m.put("window", k);
      m.put("left", left);
      m.put("top", top);
      m.put("minDepth", (double) min);
      m.put("maxDepth", (double) max);
      m.put("meanDepth", mean);
      return m;
    }
  }

  /**
   * The kind of pair a balanced sample needs ({@code ssrl.balance=true}): which components the
   * answer has ({@code X_ONLY}, {@code Z_ONLY}, {@code COMPOUND}, drawn with the weights {@code
   * position.balance.kinds}, default {@value Balance#POSITION_KINDS}) and, with a depth component,
   * whether its sign follows image height ("the target higher in the image is farther") or
   * contradicts it, the former with probability {@code position.balance.withHeight} (default
   * {@value Balance#POSITION_WITH_HEIGHT}). A pair whose centres are at the same height does
   * neither.
   */
  record Want(int kind, Boolean withHeight) {
    static final String[] KINDS = {"x-only", "z-only", "compound"};

    /** The target of this sample, or null when balancing is off. */
    static Want of(GenerationOptions options, long seed) {
      if (!Balance.enabled(options)) {
        return null;
      }
      int[] kinds =
          TaskParameters.weights(
              options,
              "position.balance.kinds",
              Balance.POSITION_KINDS,
              3,
              "three non-negative integers with a positive sum");
      double with =
          Balance.share(options, "position.balance.withHeight", Balance.POSITION_WITH_HEIGHT);
      SplittableRandom r = Balance.random(seed);
      int kind = Balance.pick(r, kinds);
      return new Want(kind, r.nextDouble() < with);
    }

    /**
     * Whether a pair with these components, depth difference {@code ddz} (target minus camera) and
     * image-row difference {@code ddy} (target minus camera, down positive) is what is wanted.
     */
    boolean accepts(boolean xPresent, boolean zPresent, double ddz, long ddy) {
      int k = xPresent && zPresent ? 2 : xPresent ? 0 : zPresent ? 1 : -1;
      if (k != kind) {
        return false;
      }
      if (kind == 0 || withHeight == null) {
        return true;
      }
      boolean follows = ddy < 0 && ddz > 0 || ddy > 0 && ddz < 0;
      boolean contradicts = ddy > 0 && ddz > 0 || ddy < 0 && ddz < 0;
      return withHeight ? follows : contradicts;
    }

    @Override
    public String toString() {
      if (kind == 0 || withHeight == null) {
        return KINDS[kind];
      }
      return KINDS[kind] + (withHeight ? ", with height" : ", against height");
    }
  }

  /** The pair search over the candidate blocks. */
  static final class Pairing {
    // Band 0 of the position query: the blocks, by position j in raster order.
    private final WindowCandidates blocks;
    private final long minDistance2;
    private final double dx;
    private final double dz;
    private final int half;
    private final Want want; // null: any qualifying pair
    // Original rules: near pairs need |Δy| below nearDy; NaN for ours.
    private final double nearDy;
    private final long minSide8;
    // Per-candidate centre and mean, built only for the exhaustive fallback.
    private int[] cxs;
    private int[] cys;
    private double[] means;

    Pairing(WindowCandidates blocks, long minDistance, double dx, double dz, Want want) {
      this(blocks, minDistance, dx, dz, want, Double.NaN);
    }

    /**
     * The original Position.py rules: a far pair has a gap of at least 0.25 between the two
     * windows' depth ranges; a near pair has ranges within 0.25 of each other, |Δy| below {@code
     * nearDy} and |Δx| at least ⌊min(W, H) / 8⌋; both keep {@code minDistance} between centres.
     */
    static Pairing original(WindowCandidates blocks, long minDistance, double nearDy) {
      return new Pairing(blocks, minDistance, 0, 0, null, nearDy);
    }

    private Pairing(
        WindowCandidates blocks, long minDistance, double dx, double dz, Want want, double nearDy) {
      this.nearDy = nearDy;
      this.minSide8 = Math.max(1, Math.min(blocks.width(), blocks.height()) / 8);
      this.want = want;
      this.blocks = blocks;
      this.minDistance2 = minDistance * minDistance;
      this.dx = dx;
      this.dz = dz;
      this.half = blocks.k(0) / 2;
    }

    Block block(int candidate) {
      int x = blocks.left(0, candidate);
      int y = blocks.top(0, candidate);
      return new Block(
          blocks.k(0),
          x,
          y,
          x + half,
          y + half,
          blocks.min(0, candidate),
          blocks.max(0, candidate),
          blocks.mean(0, candidate));
    }

    /** Candidate positions {camera, target}, or null when no qualifying pair was found. */
    int[] draw(SplittableRandom random, int attempts) {
      int n = blocks.size(0);
      for (int a = 0; a < attempts; a++) {
        int c = random.nextInt(n);
        int t = random.nextInt(n);
        if (qualifies(c, t)) {
          return new int[] {c, t};
        }
      }
      prepareArrays();
      int[] partners = new int[n];
      for (int a = 0; a < FALLBACK_CAMERAS; a++) {
        int c = random.nextInt(n);
        int found = 0;
        for (int t = 0; t < n; t++) {
          if (qualifiesFast(c, t)) {
            partners[found++] = t;
          }
        }
        if (found > 0) {
          return new int[] {c, partners[random.nextInt(found)]};
        }
      }
      return null;
    }

    private boolean qualifies(int c, int t) {
      long ddx = blocks.left(0, t) - blocks.left(0, c);
      long ddy = blocks.top(0, t) - blocks.top(0, c);
      if (ddx * ddx + ddy * ddy < minDistance2) {
        return false;
      }
      if (!Double.isNaN(nearDy)) {
        return isFar(c, t) || isNear(c, t, ddx, ddy);
      }
      if (want != null) {
        double ddz = blocks.mean(0, t) - blocks.mean(0, c);
        return want.accepts(Math.abs(ddx) >= dx, Math.abs(ddz) >= dz, ddz, ddy);
      }
      if (Math.abs(ddx) >= dx) {
        return true;
      }
      double zc = blocks.mean(0, c);
      double zt = blocks.mean(0, t);
      return Math.abs(zt - zc) >= dz;
    }

    private float min(int c) {
      return blocks.min(0, c);
    }

    private float max(int c) {
      return blocks.max(0, c);
    }

    /** Original rules: the two windows' depth ranges are at least 0.25 apart. */
    boolean isFar(int c, int t) {
      return Math.max(min(c), min(t)) - Math.min(max(c), max(t)) >= ORIGINAL_RANGE_GAP;
    }

    private boolean isNear(int c, int t, long ddx, long ddy) {
      return Math.abs(ddy) < nearDy
          && Math.abs(ddx) >= minSide8
          && Math.abs(max(c) - min(t)) <= ORIGINAL_RANGE_GAP
          && Math.abs(max(t) - min(c)) <= ORIGINAL_RANGE_GAP;
    }

    private void prepareArrays() {
      int n = blocks.size(0);
      cxs = new int[n];
      cys = new int[n];
      means = new double[n];
      for (int j = 0; j < n; j++) {
        cxs[j] = blocks.left(0, j);
        cys[j] = blocks.top(0, j);
        means[j] = blocks.mean(0, j);
      }
    }

    /** The same test as {@link #qualifies} on the precomputed arrays. */
    private boolean qualifiesFast(int c, int t) {
      long ddx = cxs[t] - cxs[c];
      long ddy = cys[t] - cys[c];
      if (ddx * ddx + ddy * ddy < minDistance2) {
        return false;
      }
      if (!Double.isNaN(nearDy)) {
        return isFar(c, t) || isNear(c, t, ddx, ddy);
      }
      if (want != null) {
        double ddz = means[t] - means[c];
        return want.accepts(Math.abs(ddx) >= dx, Math.abs(ddz) >= dz, ddz, ddy);
      }
      return Math.abs(ddx) >= dx || Math.abs(means[t] - means[c]) >= dz;
    }
  }
}
