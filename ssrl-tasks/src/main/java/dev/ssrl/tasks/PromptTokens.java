package dev.ssrl.tasks;

import dev.ssrl.api.Raster;
import dev.ssrl.api.Sample;

/**
 * An upper-bound estimate of the prompt tokens a sample costs a Qwen2.5-VL / Qwen3-VL-style model
 * in a trainer such as EasyR1, so that a sample that would be dropped for exceeding {@code
 * max_prompt_length} is never written.
 *
 * <p>Images: the trainer first scales an image into [{@code minPixels}, {@code maxPixels}]
 * (EasyR1's {@code process_image}: factor √(limit / (w·h)), sizes truncated to integers), then the
 * model's processor rounds each side to a multiple of {@code factor} by {@code smart_resize}
 * (Python's round-half-to-even, floors above the processor's maximum, ceilings below its minimum)
 * and spends one token per {@code factor × factor} pixels, plus two for the vision start/end
 * markers. {@code factor} is 28 for Qwen2-VL/Qwen2.5-VL (14-px patches, 2×2 merge) and 32 for
 * Qwen3-VL (16-px patches). The processor's own range is not the trainer's: Qwen2.5-VL's is {@code
 * factor² × 4} to {@code factor² × 16,384} (3,136 to 12,845,056 pixels), so an image the trainer
 * left just under its maximum may round up past it (2896 × 1448 costs 5,356 image tokens, not the
 * 5,255 a rounding capped at the trainer's maximum gives; measured with transformers'
 * {@code Qwen2VLImageProcessor}, docs/scripts/easyr1_image_tokens.py).
 *
 * <p>Text: one token per {@value #CHARS_PER_TOKEN} UTF-16 characters, rounded up, which over-counts
 * English BPE (about four characters a token), plus {@value #TEMPLATE_TOKENS} for the chat
 * template's role markers. The estimate is meant to be conservative, never exact.
 *
 * @param factor the processor's pixel factor (28 or 32)
 * @param minPixels the trainer's minimum image area
 * @param maxPixels the trainer's maximum image area
 */
public record PromptTokens(int factor, long minPixels, long maxPixels) {
  /** Characters per text token assumed (fewer than English BPE's ~4, so the count is high). */
  public static final int CHARS_PER_TOKEN = 3;

  /** Tokens for the chat template around a user turn. */
  public static final int TEMPLATE_TOKENS = 32;

  /** EasyR1's defaults ({@code data.min_pixels}, {@code data.max_pixels}) with Qwen2.5-VL. */
  public static final PromptTokens QWEN2_5_VL_EASYR1 = new PromptTokens(28, 262_144, 4_194_304);

  public PromptTokens {
    if (factor < 1 || minPixels < 1 || maxPixels < minPixels) {
      throw new IllegalArgumentException(
          "need factor >= 1 and 1 <= minPixels <= maxPixels, got "
              + factor
              + ", "
              + minPixels
              + ", "
              + maxPixels);
    }
  }

  /** The estimate for a whole sample: its problem text and every image. */
  public int estimate(Sample sample) {
    long tokens =
        TEMPLATE_TOKENS + (sample.problem().length() + CHARS_PER_TOKEN - 1L) / CHARS_PER_TOKEN;
    for (Raster r : sample.images()) {
      tokens += imageTokens(r.width(), r.height());
    }
    return (int) Math.min(Integer.MAX_VALUE, tokens);
  }

  /** The tokens of one {@code width × height} image, vision markers included. */
  public long imageTokens(int width, int height) {
    long[] hw = trainerResize(height, width);
    long[] s = smartResize(hw[0], hw[1]);
    return (s[0] / factor) * (s[1] / factor) + 2;
  }

  /** EasyR1's scaling into [minPixels, maxPixels]: {height, width}. */
  long[] trainerResize(long height, long width) {
    double area = (double) height * width;
    double limit = area > maxPixels ? maxPixels : area < minPixels ? minPixels : area;
    if (limit == area) {
      return new long[] {height, width};
    }
    double f = Math.sqrt(limit / area);
    return new long[] {(long) (height * f), (long) (width * f)};
  }

  /**
   * The processor's {@code smart_resize} over its own pixel range ({@code factor² × 4} to {@code
   * factor² × 16,384}: Qwen2-VL's and Qwen2.5-VL's 3,136 to 12,845,056, Qwen3-VL's maximum
   * 16,777,216; Qwen3-VL's higher minimum never binds after the trainer's enlargement to {@code
   * minPixels}): {height, width}, each a multiple of the factor.
   */
  long[] smartResize(long height, long width) {
    long processorMax = (long) factor * factor * 16_384;
    long processorMin = (long) factor * factor * 4;
    long h = Math.round(Math.rint((double) height / factor)) * factor;
    long w = Math.round(Math.rint((double) width / factor)) * factor;
    if (h * w > processorMax) {
      double beta = Math.sqrt((double) height * width / processorMax);
      h = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
      w = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
    } else if (h * w < processorMin) {
      double beta = Math.sqrt((double) processorMin / ((double) height * width));
      h = (long) Math.ceil(height * beta / factor) * factor;
      w = (long) Math.ceil(width * beta / factor) * factor;
    }
    return new long[] {h, w};
  }
}
