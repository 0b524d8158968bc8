package dev.ssrl.tasks.example;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Reward;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Samples;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Verifier;
import dev.ssrl.tasks.audit.AuditBaseline;
import dev.ssrl.tasks.audit.AuditTally;
import dev.ssrl.tasks.audit.Audited;
import dev.ssrl.tasks.image.RasterOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An example extension task, written against the public {@code dev.ssrl.api} and the public image
 * helpers of {@code dev.ssrl.tasks.image} (see {@code docs/extending.md}): the first image is the
 * scene, the second is the scene either mirrored left–right or turned upside down; the model
 * answers which, as an option letter.
 *
 * <p>It is the whole of a sixth task, in one file: besides generating, it offers every capability
 * the rest of the system asks a task for (its own verifier, its heap per pixel, a share in the
 * {@code spatial-ssrl-81k} preset, preview captions, and blind-audit heuristics), each with a value
 * that no built-in default gives, so that the tests of ssrl-cli and ssrl-spark ({@code
 * SixthTaskTest}) can see that generate, score, serve, preview, the audit, the memory budget and
 * the Spark job asked this class rather than a switch on its id.
 *
 * <p>Registered through {@code src/test/resources/META-INF/services/dev.ssrl.api.Task}, so it is
 * discovered in this module's tests, and by the tests of other modules through this module's test
 * jar, but not shipped with the library.
 */
public final class MirrorTask implements Task, Audited {
  /** Mean absolute difference (8-bit units) below which a transform is too subtle to ask about. */
  static final double MIN_DIFFERENCE = 8.0;

  /** Creates the task; ServiceLoader needs a public no-argument constructor. */
  public MirrorTask() {}

  @Override
  public String id() {
    return "mirror";
  }

  @Override
  public AnswerFormat answerFormat() {
    return AnswerFormat.OPTION_LETTER;
  }

  @Override
  public boolean needsDepth() {
    return false;
  }

  /** Weight of accuracy in {@link #verifier()}'s reward; the rest is format. */
  static final double ACCURACY_WEIGHT = 0.8;

  /**
   * Its own verifier: 0.8·accuracy + 0.2·format (the built-in ones weigh 0.9 and 0.1), where format
   * is a {@code <think>…</think>} before the last {@code \boxed{…}} and accuracy is that box
   * holding the answer's letter in either case. Detail {@code sameCase}: 1 when the case matches.
   */
  @Override
  public Optional<Verifier> verifier() {
    return Optional.of(MirrorTask::score);
  }

  private static Reward score(String response, String truth) {
    if (truth == null) {
      throw new IllegalArgumentException("groundTruth must not be null");
    }
    if (response == null) {
      return Reward.zero();
    }
    int box = response.lastIndexOf("\\boxed{");
    int end = box < 0 ? -1 : response.indexOf('}', box);
    String boxed = end < 0 ? null : response.substring(box + "\\boxed{".length(), end).strip();
    int think = response.indexOf("<think>");
    int thought = response.indexOf("</think>");
    double format = box >= 0 && think >= 0 && thought > think && box > thought ? 1 : 0;
    double accuracy = boxed != null && boxed.equalsIgnoreCase(truth) ? 1 : 0;
    double sameCase = boxed != null && boxed.equals(truth) ? 1 : 0;
    return new Reward(
        ACCURACY_WEIGHT * accuracy + (1 - ACCURACY_WEIGHT) * format,
        format,
        accuracy,
        Map.of("sameCase", sameCase));
  }

  /** The transformed copy (3 B/px) and the writer's JPEG encoding of one image (3). */
  @Override
  public int heapBytesPerPixel() {
    return 6;
  }

  /** The example's share of the 81k preset: as many samples as flip (4,005 of 81,053). */
  static final double PRESET_SHARE = 4_005;

  /** Joins the {@code spatial-ssrl-81k} preset beside the five built-in tasks (an example). */
  @Override
  public double presetShare(String preset) {
    return "spatial-ssrl-81k".equals(preset) ? PRESET_SHARE : 0;
  }

  /** {@code original}, then {@code transformed (mirror)} or {@code transformed (upside-down)}. */
  @Override
  public List<String> previewCaptions(String answer, Map<String, ?> metadata, int images) {
    return List.of("original", "transformed (" + metadata.get("transform") + ")");
  }

  private static final List<AuditBaseline> BASELINES =
      List.of(
          AuditBaseline.answers("optionLetter", 0.5),
          AuditBaseline.prior("mostFrequentTransform", "transform", 0.5, true, true));

  /**
   * The letter, and the transform: a model that learnt which transform is the more frequent would
   * name it without comparing the images.
   */
  @Override
  public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
    tally.answer("", answer);
    Object transform = metadata.get("transform");
    if (transform != null) {
      tally.count("transform", "", transform.toString());
    }
  }

  @Override
  public List<AuditBaseline> baselines() {
    return BASELINES;
  }

  @Override
  public Outcome generate(Scene scene, long seed, GenerationOptions options) {
    Raster img = scene.rgb();
    if (img.width() < 64 || img.height() < 64) {
      return new Rejection(scene.id(), id(), "mirror: image smaller than 64x64");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    boolean mirrored = rng.nextBoolean();
    Raster transformed = transform(img, mirrored);
    double diff = RasterOps.meanAbsDiff(img, transformed);
    if (diff < MIN_DIFFERENCE) {
      return new Rejection(scene.id(), id(), "mirror: image looks the same transformed");
    }
    // Option order is random too, so the letter alone says nothing.
    boolean mirroredIsA = rng.nextBoolean();
    String options_ =
        mirroredIsA
            ? "A. mirrored left to right B. turned upside down"
            : "A. turned upside down B. mirrored left to right";
    String answer = mirrored == mirroredIsA ? "A" : "B";
    String text =
        "<image>\nThe second image <image> is the first image transformed in one way. Which"
            + " transformation was applied? Options: "
            + options_
            + ". Answer with the option's letter.";
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("transform", mirrored ? "mirror" : "upside-down");
    meta.put("difference", Math.round(diff * 1000) / 1000.0);
    return new Sample(
        Samples.id(scene.id(), id(), options.variant()),
        scene.id(),
        id(),
        options.suffix().isEmpty() ? text : text + " " + options.suffix(),
        List.of(img, transformed),
        answer,
        meta);
  }

  /** The whole image mirrored left–right, or turned upside down, with the public helpers. */
  private static Raster transform(Raster img, boolean mirror) {
    byte[] out = img.data().clone();
    RasterOps.flipRegionInPlace(out, img.width(), 0, 0, img.width(), img.height(), mirror ? 1 : 0);
    return Raster.of(img.width(), img.height(), out);
  }
}
