package dev.ssrl.tasks.example;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Samples;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.image.RasterOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An example extension task, written against the public {@code dev.ssrl.api} and the public image
 * helpers of {@code dev.ssrl.tasks.image} (see {@code docs/extending.md}): the first image is the
 * scene, the second is the scene either mirrored left–right or turned upside down; the model
 * answers which, as an option letter.
 *
 * <p>Registered through {@code src/test/resources/META-INF/services/dev.ssrl.api.Task}, so it is
 * discovered in this module's tests but not shipped with the library.
 */
public final class MirrorTask implements Task {
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
