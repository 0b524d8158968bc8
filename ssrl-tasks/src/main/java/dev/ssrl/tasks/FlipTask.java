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
import dev.ssrl.tasks.image.RasterOps;
import dev.ssrl.tasks.image.Tiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Flipped patch recognition (SPEC §3.2): the image is cut into a 2×2 grid, tiles stay in place and
 * are labelled 0…3, and one tile t is flipped in direction d ({@code 0} upside down, {@code 1}
 * mirrored). Answer {@code t-d}.
 *
 * <p>A (tile, direction) pair qualifies when the mean absolute difference between the tile and its
 * flip in that direction, over all RGB samples in 8-bit units, is at least the threshold (parameter
 * {@code flip.threshold}, default {@value #DEFAULT_THRESHOLD}, i.e. about 3% of the range): below
 * it the flip is hard to see (sky, walls, symmetric patterns). The pair is uniform over the
 * qualifying pairs: the eight pairs are visited in a seeded random order and the first that
 * qualifies wins, so usually only one or two scores are computed.
 *
 * <p>Rejections: {@code flip: image smaller than 64x64}; {@code flip: no tile changes visibly when
 * flipped}.
 *
 * <p>Difficulty ({@link Difficulty}): {@code threshold / difference}, from the metadata's {@code
 * threshold} and (rounded) {@code difference}: 1 when the flipped tile differs from its unflipped
 * self by just the threshold, halving as the difference doubles; 1 if the difference is 0.
 */
public final class FlipTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "flip";

  static final double DEFAULT_THRESHOLD = 8.0;

  /** Creates the task (stateless; one instance may serve every thread). */
  public FlipTask() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public AnswerFormat answerFormat() {
    return AnswerFormat.LABEL_DIRECTION;
  }

  @Override
  public boolean needsDepth() {
    return false;
  }

  // Capabilities (docs/extending.md): what the rest of the system asks of this task, kept here
  // rather than in a switch on the task id elsewhere.

  /** Second in the default task list (the SPEC's order). */
  @Override
  public int defaultRank() {
    return 2;
  }

  /** The image with one tile flipped (3 B/px) and its JPEG encoding (3). */
  @Override
  public int heapBytesPerPixel() {
    return 6;
  }

  /** 4,005 of the 81k samples (paper table 5). */
  @Override
  public double presetShare(String preset) {
    return Preset.SPATIAL_SSRL_81K.equals(preset) ? 4_005 : 0;
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(
          AuditBaseline.answers("mostFrequentAnswer", 0.125),
          AuditBaseline.prior("mostFrequentTile", "tile", 0.25, true, true),
          AuditBaseline.prior("mostFrequentDirection", "direction", 0.5, true, true));

  /** The answer {@code t-d}, and the tile and the direction apart. */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    tally.answer("", answer);
    String[] parts = answer.split("-", -1);
    if (parts.length == 2) {
      tally.count("tile", "", parts[0]);
      tally.count("direction", "", parts[1]);
    }
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /** The sample difficulty: how close the flip's difference comes to the visibility threshold. */
  static double difficulty(double difference, double threshold) {
    return Difficulty.of(Difficulty.atLeast(difference, threshold));
  }

  /**
   * Generates one flip sample; depth, if any, is ignored.
   *
   * @throws IllegalArgumentException if {@code flip.threshold} is not a number in [0, 255]
   */
  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    double threshold =
        TaskParameters.number(
            options, "flip.threshold", DEFAULT_THRESHOLD, 0, 255, "a number in [0, 255]");
    Raster img = scene.rgb();
    if (img.width() < 64 || img.height() < 64) {
      return new Rejection(scene.id(), ID, ID + ": image smaller than 64x64");
    }
    int tw = img.width() / 2;
    int th = img.height() / 2;
    SplittableRandom rng = new SplittableRandom(seed);
    int[] pairs = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int i = pairs.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = pairs[i];
      pairs[i] = pairs[j];
      pairs[j] = t;
    }
    int tile = -1;
    int direction = -1;
    double score = 0;
    for (int p : pairs) {
      int t = p >> 1;
      int d = p & 1;
      double s = RasterOps.flipDifference(img, (t % 2) * tw, (t / 2) * th, tw, th, d);
      if (s >= threshold) {
        tile = t;
        direction = d;
        score = s;
        break;
      }
    }
    if (tile < 0) {
      return new Rejection(scene.id(), ID, ID + ": no tile changes visibly when flipped");
    }

    int outW = tw * 2;
    int outH = th * 2;
    byte[] out = new byte[outW * outH * 3];
    RasterOps.copyRegion(img.data(), img.width(), 0, 0, out, outW, 0, 0, outW, outH);
    RasterOps.flipRegionInPlace(out, outW, (tile % 2) * tw, (tile / 2) * th, tw, th, direction);
    List<List<Integer>> labelBoxes = new ArrayList<>(4);
    for (int j = 0; j < 4; j++) {
      int x = (j % 2) * tw;
      int y = (j / 2) * th;
      Tiles.decorate(out, outW, outH, x, y, tw, th, j);
      int[] b = Tiles.labelBox(j, tw, th);
      labelBoxes.add(List.of(x + b[0], y + b[1], x + b[2], y + b[3]));
    }

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("grid", "2x2");
    meta.put("tileWidth", tw);
    meta.put("tileHeight", th);
    meta.put("imageWidth", outW);
    meta.put("imageHeight", outH);
    meta.put("tiles", Tiles.rects(new Tiles.Grid(2, 2), tw, th));
    meta.put("tile", tile);
    meta.put("direction", direction);
    meta.put("directionName", direction == 0 ? "vertical" : "horizontal");
    double difference = Math.round(score * 1000) / 1000.0;
    meta.put("difference", difference);
    meta.put("threshold", threshold);
    meta.put("borderWidth", Tiles.borderWidth(tw, th));
    meta.put("labelBoxes", labelBoxes);
    meta.put(Difficulty.KEY, difficulty(difference, threshold));

    String text = PromptProfile.named(options.profile()).format("flip.question", Map.of());
    String problem = options.suffix().isEmpty() ? text : text + " " + options.suffix();
    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        List.of(Raster.of(outW, outH, out)),
        tile + "-" + direction,
        meta);
  }
}
