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
 * Image tokens agree with the real processor: the table below is the {@code image_grid_thw} of
 * transformers 5.18.0's {@code Qwen2VLImageProcessor} (PIL backend) on images scaled by EasyR1
 * b44b311's {@code process_image} into [262,144, 4,194,304] pixels, plus the 2 vision markers; factor
 * 28 at Qwen2.5-VL's own pixel range (3,136 to 12,845,056, patch 14), factor 32 at Qwen3-VL's
 * (65,536 to 16,777,216, patch 16). EasyR1 never sets the processor's range, so 3840 × 2160, scaled
 * to 2730 × 1536, rounds up to 2744 × 1540, over the trainer's maximum (5,392 tokens; rounding
 * capped at the trainer's maximum gave 5,240, an under-count), and an image EasyR1 enlarged to just
 * under 262,144 pixels may round down below it (512 × 512: 326, not 363).
 */
class PromptTokensTest {
  private static final int[][] TRANSFORMERS = {
    {480, 640, 28, 393}, {480, 640, 32, 302}, {1080, 1920, 28, 2693}, {1080, 1920, 32, 2042},
    {768, 1024, 28, 1001}, {768, 1024, 32, 770}, {3000, 4000, 28, 5294}, {3000, 4000, 32, 4072},
    {224, 224, 28, 326}, {224, 224, 32, 258}, {100, 5000, 28, 718}, {100, 5000, 32, 470},
    {4032, 3024, 28, 5294}, {4032, 3024, 32, 4072}, {32, 32, 28, 326}, {32, 32, 32, 258},
    {70, 70, 28, 326}, {70, 70, 32, 258}, {42, 98, 28, 338}, {42, 98, 32, 242},
    {714, 1022, 28, 938}, {714, 1022, 32, 706}, {2160, 3840, 28, 5392}, {2160, 3840, 32, 4082},
    {512, 512, 28, 326}, {512, 512, 32, 258}
  };

  @Test
  void imageTokensMatchTransformersSmartResize() {
    for (int[] c : TRANSFORMERS) {
      PromptTokens t = new PromptTokens(c[2], 262_144, 4_194_304);
      assertEquals(c[3], t.imageTokens(c[1], c[0]), c[0] + "x" + c[1] + " factor " + c[2]);
    }
  }

  @Test
  void resizedSidesAreMultiplesOfTheFactorWithinTheProcessorsLimits() {
    PromptTokens t = PromptTokens.QWEN2_5_VL_EASYR1;
    qt().forAll(integers().between(16, 6000), integers().between(16, 6000))
        .assuming((h, w) -> Math.max(h, w) / Math.min(h, w) < 150)
        .checkAssert(
            (h, w) -> {
              long[] s = t.smartResize(h, w);
              assertEquals(0, s[0] % 28);
              assertEquals(0, s[1] % 28);
              assertTrue(s[0] * s[1] <= 12_845_056L, h + "x" + w);
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
