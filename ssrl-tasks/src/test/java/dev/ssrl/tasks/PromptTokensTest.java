package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.api.Raster;
import dev.ssrl.api.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Image tokens agree with the real resizing: the table below was computed by transformers 5.18.0's
 * {@code qwen2_vl.image_processing_qwen2_vl.smart_resize} (its source run under Python 3.11, torch
 * absent) after EasyR1's {@code process_image} scaling into [262,144, 4,194,304] pixels.
 */
class PromptTokensTest {
  private static final int[][] TRANSFORMERS = {
    {480, 640, 28, 393}, {480, 640, 32, 302}, {1080, 1920, 28, 2693}, {1080, 1920, 32, 2042},
    {768, 1024, 28, 1001}, {768, 1024, 32, 770}, {3000, 4000, 28, 5294}, {3000, 4000, 32, 4072},
    {224, 224, 28, 363}, {224, 224, 32, 258}, {100, 5000, 28, 718}, {100, 5000, 32, 470},
    {4032, 3024, 28, 5294}, {4032, 3024, 32, 4072}, {32, 32, 28, 363}, {32, 32, 32, 258},
    {70, 70, 28, 363}, {70, 70, 32, 258}, {42, 98, 28, 338}, {42, 98, 32, 277},
    {714, 1022, 28, 938}, {714, 1022, 32, 706}, {2160, 3840, 28, 5240}, {2160, 3840, 32, 4082},
    {512, 512, 28, 363}, {512, 512, 32, 258}
  };

  @Test
  void imageTokensMatchTransformersSmartResize() {
    for (int[] c : TRANSFORMERS) {
      PromptTokens t = new PromptTokens(c[2], 262_144, 4_194_304);
      assertEquals(c[3], t.imageTokens(c[1], c[0]), c[0] + "x" + c[1] + " factor " + c[2]);
    }
  }

  @Test
  void resizedSidesAreMultiplesOfTheFactorWithinTheLimits() {
    PromptTokens t = PromptTokens.QWEN2_5_VL_EASYR1;
    qt().forAll(integers().between(16, 6000), integers().between(16, 6000))
        .assuming((h, w) -> Math.max(h, w) / Math.min(h, w) < 150)
        .checkAssert(
            (h, w) -> {
              long[] s = t.smartResize(h, w);
              assertEquals(0, s[0] % 28);
              assertEquals(0, s[1] % 28);
              assertTrue(s[0] * s[1] <= 4_194_304 + 0L, h + "x" + w);
            });
  }

  @Test
  void aSampleCountsItsTextAndEveryImage() {
    Raster img = Raster.of(640, 480, new byte[640 * 480 * 3]);
    Sample s =
        new Sample(
            "id",
            "scene",
            "crop",
            "<image><image>" + "x".repeat(286),
            List.of(img, img),
            "A",
            Map.of());
    assertEquals(
        PromptTokens.TEMPLATE_TOKENS + 100 + 2 * 393, PromptTokens.QWEN2_5_VL_EASYR1.estimate(s));
  }
}
