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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cropped patch inpainting (SPEC §3.3): a square of side s = ⌊min(H, W)/2⌋ at a uniform position is
 * painted black in the context image; four s×s candidates follow, the true crop and three
 * distractors of distinct kinds; the model names the letter of the true crop.
 *
 * <p>Distractor kinds: {@code rotate-cw}, {@code rotate-ccw} (the crop turned 90°), {@code zoom-in}
 * (the central s/2 × s/2 enlarged to s × s), {@code zoom-out-quarter} and {@code zoom-out-half}
 * (the crop with a margin of s/4 or s/2 on every side, clipped at the image border, shrunk to s ×
 * s). Resampling is {@link RasterOps#resize}: area averaging when shrinking, bilinear when
 * enlarging.
 *
 * <p>The kinds are tried in a seeded random order; a candidate is skipped when, against the true
 * crop or an already chosen distractor, its mean absolute difference (8-bit units, all samples) is
 * below {@code crop.threshold} (default {@value #DEFAULT_THRESHOLD}) or its {@link CropSimilarity}
 * score (the smallest local SSIM at 64×64, contrast-aware) is at least {@code crop.similarity}
 * (default {@value #DEFAULT_SIMILARITY}): two options that look the same would make the question
 * ambiguous or give the answer away. The mean difference alone let plain sky turned by 90° through
 * at 9–15 levels; the similarity threshold comes from a study on the shared photos
 * (docs/baselines.md). A skipped kind is replaced by the next kind in the order; fewer than three
 * usable kinds rejects the scene. The true crop's slot is uniform over A–D; distractors fill the
 * other slots in the order they were chosen.
 *
 * <p>Rejections: {@code crop: image smaller than 64x64}; {@value #LOOK_ALIKE} when some kind was
 * skipped for its similarity alone; {@value #INDISTINGUISHABLE} otherwise.
 *
 * <p>Difficulty ({@link Difficulty}): how close the closest distractor comes to being skipped, by
 * either rule: the largest, over the three distractor slots, of {@code threshold / difference} (its
 * mean difference from the true crop against {@code crop.threshold}) and {@code max(0, similarity)
 * / similarityThreshold} (its {@link CropSimilarity} score against {@code crop.similarity}; 0 when
 * that is 0), all read from the metadata's {@code slotDifferences}, {@code slotSimilarities},
 * {@code answerSlot}, {@code threshold} and {@code similarityThreshold}.
 */
public final class CropTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "crop";

  static final double DEFAULT_THRESHOLD = 8.0;

  /** Default of {@code crop.similarity}: between 0.04 and 0.50, the gap the study found. */
  static final double DEFAULT_SIMILARITY = 0.30;

  static final String INDISTINGUISHABLE = "crop: distractors indistinguishable from the crop";
  static final String LOOK_ALIKE = "crop: distractors look the same as the crop";

  /** The distractor kinds in their canonical order. */
  static final List<String> KINDS =
      List.of("rotate-cw", "rotate-ccw", "zoom-in", "zoom-out-quarter", "zoom-out-half");

  /** The kind name of the true crop in the metadata's slot list. */
  static final String TRUE_KIND = "crop";

  /** Creates the task (stateless; one instance may serve every thread). */
  public CropTask() {}

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
    return false;
  }

  // Capabilities (docs/extending.md): what the rest of the system asks of this task, kept here
  // rather than in a switch on the task id elsewhere.

  /** Third in the default task list (the SPEC's order). */
  @Override
  public int defaultRank() {
    return 3;
  }

  /** The context copy (3 B/px), a crop ({@code RasterOps}, 3) and JPEG encoding (3). */
  @Override
  public int heapBytesPerPixel() {
    return 9;
  }

  /** 20,200 of the 81k samples (paper table 5); distractor kinds by this task's own rule. */
  @Override
  public double presetShare(String preset) {
    return Preset.SPATIAL_SSRL_81K.equals(preset) ? 20_200 : 0;
  }

  /** {@code context}, then the candidates {@code A} to {@code D}, the answer's marked. */
  @Override
  public List<String> previewCaptions(String answer, Map<String, ?> metadata, int images) {
    List<String> captions = new ArrayList<>();
    captions.add("context");
    for (int i = 1; i < images; i++) {
      String letter = String.valueOf((char) ('A' + i - 1));
      captions.add(letter.equals(answer) ? letter + " (answer)" : letter);
    }
    return captions;
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(
          AuditBaseline.answers("optionLetter", 0.25),
          AuditBaseline.scored("candidateConsistency", true));

  /**
   * The letter, and candidate consistency: the true crop is a slot from which each other candidate
   * is one of the five distractor transforms. A model that compares the candidates with each other,
   * and never looks at the context image, answers a consistent slot (uniformly among several). The
   * transforms are written out again from the SPEC on purpose: the audit checks the generator.
   */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    tally.answer("", answer);
    List<?> kinds = metadata.get("slotKinds") instanceof List<?> l ? l : null;
    if (kinds == null || kinds.size() != 4 || answer.length() != 1) {
      return;
    }
    int truth = answer.charAt(0) - 'A';
    if (truth < 0 || truth >= 4) {
      return;
    }
    int[][] g = new int[4][];
    for (int i = 0; i < 4; i++) {
      g[i] = auditTransform(String.valueOf(kinds.get(i)));
      if (g[i] == null) {
        return;
      }
    }
    int consistent = 0;
    boolean truthConsistent = false;
    for (int i = 0; i < 4; i++) {
      boolean ok = true;
      for (int j = 0; j < 4 && ok; j++) {
        ok = j == i || isDistractorOf(g[j], g[i]);
      }
      if (ok) {
        consistent++;
        truthConsistent |= i == truth;
      }
    }
    int credit = truthConsistent ? AuditTally.UNIT / consistent : 0;
    tally.score("candidateConsistency", credit, AuditTally.UNIT / 4);
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /**
   * A candidate kind as {rotation quarter-turns clockwise, log2 scale, log3 scale} relative to the
   * true crop: the zoom-in doubles, the quarter zoom-out scales by 2/3, the half zoom-out by 1/2.
   */
  private static int[] auditTransform(String kind) {
    return switch (kind) {
      case "crop" -> new int[] {0, 0, 0};
      case "rotate-cw" -> new int[] {1, 0, 0};
      case "rotate-ccw" -> new int[] {3, 0, 0};
      case "zoom-in" -> new int[] {0, 1, 0};
      case "zoom-out-quarter" -> new int[] {0, 1, -1};
      case "zoom-out-half" -> new int[] {0, -1, 0};
      default -> null;
    };
  }

  /**
   * Whether {@code c} is a rotation by a quarter turn or one of the three zooms of {@code base}.
   */
  private static boolean isDistractorOf(int[] c, int[] base) {
    int rot = Math.floorMod(c[0] - base[0], 4);
    int a = c[1] - base[1];
    int b = c[2] - base[2];
    if (a == 0 && b == 0) {
      return rot == 1 || rot == 3;
    }
    return rot == 0 && ((a == 1 && b == 0) || (a == 1 && b == -1) || (a == -1 && b == 0));
  }

  /**
   * Generates one crop sample; depth, if any, is ignored.
   *
   * @throws IllegalArgumentException if {@code crop.threshold} is not a number in [0, 255] or
   *     {@code crop.similarity} not one in [0, 1]
   */
  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    double threshold =
        TaskParameters.number(
            options, "crop.threshold", DEFAULT_THRESHOLD, 0, 255, "a number in [0, 255]");
    double similar =
        TaskParameters.number(
            options, "crop.similarity", DEFAULT_SIMILARITY, 0, 1, "a number in [0, 1]");
    Raster img = scene.rgb();
    int width = img.width();
    int height = img.height();
    if (width < 64 || height < 64) {
      return new Rejection(scene.id(), ID, ID + ": image smaller than 64x64");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int s = Math.min(width, height) / 2;
    int x0 = rng.nextInt(width - s + 1);
    int y0 = rng.nextInt(height - s + 1);
    int slot = rng.nextInt(4);
    int[] order = {0, 1, 2, 3, 4};
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }

    Raster truth = RasterOps.crop(img, x0, y0, s, s);
    int[] truthLuma = CropSimilarity.luma(truth);
    List<Raster> chosen = new ArrayList<>(3);
    List<int[]> chosenLuma = new ArrayList<>(3);
    List<Double> chosenSims = new ArrayList<>(3);
    boolean lookAlike = false;
    List<String> chosenKinds = new ArrayList<>(3);
    List<List<Integer>> chosenRegions = new ArrayList<>(3);
    List<Double> chosenDiffs = new ArrayList<>(3);
    List<String> skipped = new ArrayList<>();
    for (int kind : order) {
      if (chosen.size() == 3) {
        break;
      }
      int[] region = sourceRegion(kind, x0, y0, s, width, height);
      Raster cand = make(kind, img, truth, region, s);
      double diff = RasterOps.meanAbsDiff(cand, truth);
      boolean distinct = diff >= threshold;
      for (int i = 0; distinct && i < chosen.size(); i++) {
        distinct = RasterOps.meanAbsDiff(cand, chosen.get(i)) >= threshold;
      }
      if (!distinct) {
        skipped.add(KINDS.get(kind));
        continue;
      }
      int[] luma = CropSimilarity.luma(cand);
      double sim = CropSimilarity.score(luma, truthLuma);
      boolean alike = sim >= similar;
      for (int i = 0; !alike && i < chosen.size(); i++) {
        alike = CropSimilarity.score(luma, chosenLuma.get(i)) >= similar;
      }
      if (alike) {
        lookAlike = true;
        skipped.add(KINDS.get(kind));
        continue;
      }
      chosen.add(cand);
      chosenLuma.add(luma);
      chosenSims.add(Math.round(sim * 1000) / 1000.0);
      chosenKinds.add(KINDS.get(kind));
      chosenRegions.add(Arrays.stream(region).boxed().toList());
      chosenDiffs.add(Math.round(diff * 1000) / 1000.0);
    }
    if (chosen.size() < 3) {
      return new Rejection(scene.id(), ID, lookAlike ? LOOK_ALIKE : INDISTINGUISHABLE);
    }

    byte[] ctx = img.data().clone();
    Draw.fillRect(ctx, width, height, x0, y0, x0 + s, y0 + s, Draw.BLACK);
    List<Raster> images = new ArrayList<>(5);
    images.add(Raster.of(width, height, ctx));
    List<String> slotKinds = new ArrayList<>(4);
    List<List<Integer>> slotRegions = new ArrayList<>(4);
    List<Double> slotDiffs = new ArrayList<>(4);
    List<Double> slotSims = new ArrayList<>(4);
    for (int i = 0, d = 0; i < 4; i++) {
      if (i == slot) {
        images.add(truth);
        slotKinds.add(TRUE_KIND);
        slotRegions.add(List.of(x0, y0, s, s));
        slotDiffs.add(0.0);
        slotSims.add(1.0);
      } else {
        images.add(chosen.get(d));
        slotKinds.add(chosenKinds.get(d));
        slotRegions.add(chosenRegions.get(d));
        slotDiffs.add(chosenDiffs.get(d));
        slotSims.add(chosenSims.get(d));
        d++;
      }
    }
    String letter = String.valueOf((char) ('A' + slot));

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("side", s);
    meta.put("box", List.of(x0, y0, s, s));
    meta.put("answerSlot", slot);
    meta.put("slotKinds", slotKinds);
    meta.put("slotSourceRegions", slotRegions);
    meta.put("slotDifferences", slotDiffs);
    meta.put("skippedKinds", skipped);
    meta.put("slotSimilarities", slotSims);
    meta.put("threshold", threshold);
    meta.put("similarityThreshold", similar);
    meta.put("resampling", "area when shrinking, bilinear when enlarging");
    meta.put(Difficulty.KEY, difficulty(slotDiffs, slotSims, slot, threshold, similar));

    String text = PromptProfile.named(options.profile()).format("crop.question", Map.of());
    String problem = options.suffix().isEmpty() ? text : text + " " + options.suffix();
    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        images,
        letter,
        meta);
  }

  /**
   * The sample difficulty from the (rounded) per-slot differences and similarities: the closest any
   * distractor comes to either skip rule (class comment).
   */
  static double difficulty(
      List<Double> diffs, List<Double> sims, int answerSlot, double threshold, double similar) {
    double d = 0;
    for (int i = 0; i < diffs.size(); i++) {
      if (i != answerSlot) {
        d = Math.max(d, Difficulty.atLeast(diffs.get(i), threshold));
        d = Math.max(d, Difficulty.below(sims.get(i), similar));
      }
    }
    return Difficulty.of(d);
  }

  /**
   * The source region {@code [x, y, w, h]} a distractor kind is made from: the crop box itself for
   * rotations, its central half for the zoom-in, the box grown by the margin and clipped to the
   * image for the zoom-outs.
   */
  static int[] sourceRegion(int kind, int x0, int y0, int s, int width, int height) {
    switch (kind) {
      case 0, 1:
        return new int[] {x0, y0, s, s};
      case 2:
        {
          int half = Math.max(1, s / 2);
          int off = (s - half) / 2;
          return new int[] {x0 + off, y0 + off, half, half};
        }
      case 3, 4:
        {
          int m = kind == 3 ? s / 4 : s / 2;
          int xa = Math.max(0, x0 - m);
          int ya = Math.max(0, y0 - m);
          int xb = Math.min(width, x0 + s + m);
          int yb = Math.min(height, y0 + s + m);
          return new int[] {xa, ya, xb - xa, yb - ya};
        }
      default:
        throw new IllegalArgumentException("unknown distractor kind " + kind);
    }
  }

  private static Raster make(int kind, Raster img, Raster truth, int[] region, int s) {
    return switch (kind) {
      case 0 -> RasterOps.rotateClockwise(truth);
      case 1 -> RasterOps.rotateCounterClockwise(truth);
      default -> RasterOps.resize(img, region[0], region[1], region[2], region[3], s, s);
    };
  }
}
