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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The {@code rotation} task, beyond the paper (issue 30, after SSL4RL's rotation prediction): which
 * of 0°, 90°, 180° or 270° (clockwise) was applied to the image. Opt-in: it runs only when a task
 * list names it ({@link #inDefaultRun()}).
 *
 * <p><b>The whole image, as a square.</b> The task rotates the largest centred square of the image
 * (side {@code s = min(W, H)}, left {@code (W - s) / 2}, top {@code (H - s) / 2}, integer
 * division), never the full frame: a quarter turn of a landscape photo is a portrait one, so the
 * aspect ratio alone would tell 90°/270° from 0°/180°. Every sample's image is an s×s square
 * whatever the answer.
 *
 * <p><b>Ambiguous content is rejected</b>, as flip rejects tiles that look the same flipped: the
 * square's symmetry difference is the smaller of its mean absolute differences (over all RGB
 * samples, 8-bit units) to itself turned a quarter turn and a half turn (a three-quarter turn
 * differs from the square by exactly as much as a quarter turn). Below the threshold (parameter
 * {@code rotation.threshold}, default {@value #DEFAULT_THRESHOLD}, flip's default) some rotation
 * looks nearly like another and the scene is rejected. The test does not depend on the drawn
 * rotation, so rotations stay uniform over the accepted scenes.
 *
 * <p>The rotation is drawn uniformly, {@code new SplittableRandom(seed).nextInt(4)} quarter turns
 * clockwise; the options are always {@code A. 0 B. 90 C. 180 D. 270} (degrees clockwise), so the
 * answer letter is the rotation and is uniform too.
 *
 * <p><b>Difficulty</b> ({@code difficulty} in the metadata, in [0, 1], higher is harder): {@code
 * min(1, 8 / symmetryDifference)} rounded to 3 decimals, with {@code symmetryDifference} (also in
 * the metadata, rounded to 3 decimals): 1 at flip's threshold of a visible change, 0.25 for a
 * square that differs from its turns by 32 levels on average.
 *
 * <p>Rejections: {@code rotation: image smaller than 64x64}; {@code rotation: image looks the same
 * when rotated}.
 */
public final class RotationTask implements Task, Audited {
  /** The task id. */
  public static final String ID = "rotation";

  static final double DEFAULT_THRESHOLD = 8.0;
  static final String THRESHOLD_KEY = "rotation.threshold";

  /** The symmetry difference that {@code difficulty} maps to 1 (flip's visible change). */
  static final double HARD_DIFFERENCE = 8.0;

  static final String TOO_SMALL = ID + ": image smaller than 64x64";
  static final String SYMMETRIC = ID + ": image looks the same when rotated";

  /** Creates the task (stateless; one instance may serve every thread). */
  public RotationTask() {}

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

  // Capabilities (docs/extending.md).

  /** Opt-in: a run without a task list stays the paper's five tasks. */
  @Override
  public boolean inDefaultRun() {
    return false;
  }

  /** After the five (and after depth-points) when a task list is sorted by rank. */
  @Override
  public int defaultRank() {
    return 7;
  }

  /**
   * The square crop (at most 3 B/px of the image), a half turn's intermediate quarter turn (3), the
   * rotated square (3) and its JPEG encoding (3).
   */
  @Override
  public int heapBytesPerPixel() {
    return 12;
  }

  /** The rotated square, with its rotation and letter. */
  @Override
  public List<String> previewCaptions(String answer, Map<String, ?> metadata, int images) {
    Double degrees = AuditTally.number(metadata.get("rotation"));
    return List.of(
        (degrees == null ? "rotated" : "rotated " + degrees.intValue() + "° clockwise")
            + " ("
            + answer
            + ")");
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(AuditBaseline.answers("optionLetter", 0.25));

  /** The letter: the options and the question text are the same for every sample. */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    tally.answer("", answer);
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  /**
   * Generates one rotation sample; depth, if any, is ignored.
   *
   * @throws IllegalArgumentException if {@code rotation.threshold} is not a number in [0, 255] or
   *     the prompt profile is unknown
   */
  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(options, "options");
    double threshold =
        TaskParameters.number(
            options, THRESHOLD_KEY, DEFAULT_THRESHOLD, 0, 255, "a number in [0, 255]");
    PromptProfile profile = PromptProfile.named(options.profile());
    Raster img = scene.rgb();
    if (img.width() < 64 || img.height() < 64) {
      return new Rejection(scene.id(), ID, TOO_SMALL);
    }
    int quarterTurns = new SplittableRandom(seed).nextInt(4);
    int side = Math.min(img.width(), img.height());
    int left = (img.width() - side) / 2;
    int top = (img.height() - side) / 2;
    Raster square = RasterOps.crop(img, left, top, side, side);
    double[] diff = turnDifferences(square);
    double symmetry = Math.min(diff[0], diff[1]);
    if (!(symmetry >= threshold)) {
      return new Rejection(scene.id(), ID, SYMMETRIC);
    }
    Raster out = rotate(square, quarterTurns);
    String letter = String.valueOf((char) ('A' + quarterTurns));

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("rotation", 90 * quarterTurns);
    meta.put("direction", "clockwise");
    meta.put("options", List.of(0, 90, 180, 270));
    meta.put("imageWidth", img.width());
    meta.put("imageHeight", img.height());
    meta.put("square", List.of(left, top, side, side));
    meta.put("quarterTurnDifference", round3(diff[0]));
    meta.put("halfTurnDifference", round3(diff[1]));
    meta.put("symmetryDifference", round3(symmetry));
    meta.put("threshold", threshold);
    meta.put(Difficulty.KEY, difficulty(round3(symmetry)));

    String problem = profile.format("rotation.question", Map.of());
    problem = options.suffix().isEmpty() ? problem : problem + " " + options.suffix();
    return new Sample(
        Samples.id(scene.id(), ID, options.variant()),
        scene.id(),
        ID,
        problem,
        List.of(out),
        letter,
        meta);
  }

  /** The difficulty of a square whose symmetry difference (rounded to 3 decimals) is given. */
  static double difficulty(double symmetryDifference) {
    double d = symmetryDifference <= 0 ? 1 : Math.min(1, HARD_DIFFERENCE / symmetryDifference);
    return Difficulty.of(d);
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  /** The square turned {@code quarterTurns} (0 to 3) quarter turns clockwise. */
  static Raster rotate(Raster square, int quarterTurns) {
    switch (quarterTurns) {
      case 0:
        return square;
      case 1:
        return RasterOps.rotateClockwise(square);
      case 2:
        return RasterOps.rotateClockwise(RasterOps.rotateClockwise(square));
      case 3:
        return RasterOps.rotateCounterClockwise(square);
      default:
        throw new IllegalArgumentException("quarter turns must be 0 to 3, got " + quarterTurns);
    }
  }

  /**
   * The mean absolute differences (8-bit units, over all samples) between an s×s square and itself
   * turned a quarter turn, then a half turn, without building the turned copies: pixel (x, y) of
   * the quarter turn clockwise shows (y, s-1-x), of the half turn (s-1-x, s-1-y).
   */
  static double[] turnDifferences(Raster square) {
    int s = square.width();
    byte[] p = square.data();
    long quarter = 0;
    long half = 0;
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int a = (y * s + x) * 3;
        int q = ((s - 1 - x) * s + y) * 3;
        int hf = ((s - 1 - y) * s + (s - 1 - x)) * 3;
        for (int c = 0; c < 3; c++) {
          int v = p[a + c] & 0xFF;
          quarter += Math.abs(v - (p[q + c] & 0xFF));
          half += Math.abs(v - (p[hf + c] & 0xFF));
        }
      }
    }
    double n = 3.0 * s * s;
    return new double[] {quarter / n, half / n};
  }
}
