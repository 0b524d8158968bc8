package dev.ssrl.tasks;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.depth.DepthResampling;
import dev.ssrl.tasks.image.RasterOps;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trainer-aware sizing (the CLI's and the Spark job's {@code --min-pixels}, {@code --max-pixels},
 * {@code --max-prompt-tokens}): scenes are scaled before a task runs so that the trainer has no
 * reason to shrink an image again, and no sample is written that the trainer would drop for a
 * prompt over its {@code max_prompt_length}.
 *
 * <p><b>The pixel bound applies to the scene, not to each produced image.</b> {@link #fit} scales
 * the scene (aspect ratio kept) so that its area lies in [{@code minPixels}, {@code maxPixels}];
 * markers, tiles, crop boxes and answers are then computed on those pixels. Every image a task
 * produces is a crop, tiling or recomposition of the scene, never larger than it, so every image is
 * at most {@code maxPixels} and EasyR1 never shrinks one (which would shrink markers and digits and
 * move every pixel coordinate of the metadata). The full-frame images (shuffle, flip, depth,
 * position, crop's context) keep the scene's size up to the pixels a grid cuts off at the right and
 * bottom. Crop's four candidates are s × s with s = ⌊min(H, W)/2⌋ and so, for most scenes, smaller
 * than {@code minPixels}; EasyR1 enlarges those, which changes no answer (a candidate carries no
 * coordinates), and {@link PromptTokens} counts them at their enlarged size. Bounding each produced
 * image instead would have to enlarge the whole scene until the candidates reach the minimum: four
 * times the context image's tokens for a picture the trainer enlarges anyway.
 *
 * <p>Resampling: RGB by {@link RasterOps#resize} (area average when shrinking, bilinear when
 * enlarging); the depth map and its mask by {@link DepthResampling#nearest} (nearest neighbour,
 * pixel centres to pixel centres), so that no depth value is invented between a near and a far
 * surface and an invalid pixel stays invalid. The new size is {@code ⌊w·f⌋ × ⌊h·f⌋} with {@code f =
 * √(maxPixels / area)} when shrinking and {@code ⌈w·f⌉ × ⌈h·f⌉} with {@code f = √(minPixels /
 * area)} when enlarging (the maximum wins where rounding up would pass it). A scene already in
 * range is used as it is, bit for bit. All arithmetic is exact or IEEE double in a fixed order, so
 * the result is the same on every machine.
 *
 * <p><b>Prompt budget.</b> {@link Fitted#generate} runs the task, estimates the sample's prompt
 * tokens with {@link #tokens} and records the estimate in the metadata as {@value #TOKENS_KEY}.
 * When it exceeds {@code maxPromptTokens}, the task runs again, with the same seed, on the source
 * scene scaled to the area the estimate says fits (never below {@code minPixels}), at most {@value
 * #MAX_RESIZES} times; a sample that still does not fit is rejected with {@value #OVER_BUDGET} (the
 * task id first). A sample made from a scaled scene records {@value #RESIZE_KEY} {@code {"from":
 * [w, h], "to": [w', h']}} in its metadata: its coordinates refer to the scaled scene.
 *
 * @param minPixels the trainer's smallest image area (EasyR1 {@code data.min_pixels}); 0 for none
 * @param maxPixels the trainer's largest image area (EasyR1 {@code data.max_pixels}); 0 for none
 * @param maxPromptTokens the trainer's {@code max_prompt_length}; 0 for no budget (the estimate is
 *     still recorded)
 */
public record Sizing(long minPixels, long maxPixels, int maxPromptTokens) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** EasyR1's {@code data.min_pixels}. */
  public static final long DEFAULT_MIN_PIXELS = 262_144;

  /** EasyR1's {@code data.max_pixels}. */
  public static final long DEFAULT_MAX_PIXELS = 4_194_304;

  /** EasyR1's {@code max_prompt_length} in the Spatial-SSRL training scripts. */
  public static final int DEFAULT_MAX_PROMPT_TOKENS = 4096;

  /** The defaults: EasyR1's image range and prompt length. */
  public static final Sizing EASYR1 =
      new Sizing(DEFAULT_MIN_PIXELS, DEFAULT_MAX_PIXELS, DEFAULT_MAX_PROMPT_TOKENS);

  /** The metadata key of a sample's prompt-token estimate. */
  public static final String TOKENS_KEY = "promptTokens";

  /** The metadata key of the scene scaling a sample was made with, when it was scaled. */
  public static final String RESIZE_KEY = "sceneResize";

  /** The rejection reason (after {@code "<task>: "}) of a sample over the prompt budget. */
  public static final String OVER_BUDGET = "prompt over --max-prompt-tokens";

  /** How many times a sample over the budget is made again from a smaller scene. */
  public static final int MAX_RESIZES = 3;

  /** The processor factor of the estimate: Qwen2-VL / Qwen2.5-VL (14-px patches, 2×2 merge). */
  public static final int TOKEN_FACTOR = 28;

  /**
   * @throws IllegalArgumentException naming the flag if a value is negative or the minimum exceeds
   *     the maximum
   */
  public Sizing {
    if (minPixels < 0) {
      throw new IllegalArgumentException("--min-pixels must be >= 0, got " + minPixels);
    }
    if (maxPixels < 0) {
      throw new IllegalArgumentException(
          "--max-pixels must be >= 0 (0: no limit), got " + maxPixels);
    }
    if (maxPixels > 0 && minPixels > maxPixels) {
      throw new IllegalArgumentException(
          "--min-pixels (" + minPixels + ") must not exceed --max-pixels (" + maxPixels + ")");
    }
    if (maxPromptTokens < 0) {
      throw new IllegalArgumentException(
          "--max-prompt-tokens must be >= 0 (0: no budget), got " + maxPromptTokens);
    }
  }

  /** The estimator for this range: the trainer resizes into the same bounds. */
  public PromptTokens tokens() {
    return new PromptTokens(
        TOKEN_FACTOR, Math.max(1, minPixels), maxPixels == 0 ? Long.MAX_VALUE / 4 : maxPixels);
  }

  /**
   * The size {@code {width, height}} a {@code width × height} scene is scaled to by {@link #fit}.
   */
  public int[] fittedSize(int width, int height) {
    long area = (long) width * height;
    if (maxPixels > 0 && area > maxPixels) {
      return shrunk(width, height, maxPixels);
    }
    if (area < minPixels) {
      int[] s = grown(width, height, minPixels);
      if (maxPixels > 0 && (long) s[0] * s[1] > maxPixels) {
        return shrunk(width, height, maxPixels);
      }
      return s;
    }
    return new int[] {width, height};
  }

  /** ⌈w·f⌉ × ⌈h·f⌉ with f = √(limit / area): at least {@code limit} pixels. */
  static int[] grown(int width, int height, long limit) {
    double f = Math.sqrt((double) limit / ((long) width * height));
    int w = (int) Math.ceil(width * f);
    int h = (int) Math.ceil(height * f);
    // Guards against the last bit of rounding in f: the bound is exact in integers.
    while ((long) w * h < limit) {
      w++;
    }
    return new int[] {w, h};
  }

  /** The largest ⌊w·f⌋ × ⌊h·f⌋ with f = √(limit / area): at most {@code limit} pixels. */
  private static int[] shrunk(int width, int height, long limit) {
    double f = Math.sqrt((double) limit / ((long) width * height));
    int w = Math.max(1, (int) Math.floor(width * f));
    int h = Math.max(1, (int) Math.floor(height * f));
    // Rounding guard (and the 1-px floor of very thin scenes): trim the longer side.
    while ((long) w * h > limit && Math.max(w, h) > 1) {
      if (w >= h) {
        w--;
      } else {
        h--;
      }
    }
    return new int[] {w, h};
  }

  /** The scene scaled into the pixel range (the same object when it already is in range). */
  public Fitted fit(Scene scene) {
    Objects.requireNonNull(scene, "scene");
    int[] s = fittedSize(scene.rgb().width(), scene.rgb().height());
    return new Fitted(this, scene, scaled(scene, s[0], s[1]));
  }

  /** {@code scene} at {@code w × h}: RGB area/bilinear, depth and mask nearest neighbour. */
  static Scene scaled(Scene scene, int w, int h) {
    Raster rgb = scene.rgb();
    if (rgb.width() == w && rgb.height() == h) {
      return scene;
    }
    Raster r = RasterOps.resize(rgb, 0, 0, rgb.width(), rgb.height(), w, h);
    DepthMap d = scene.depth() == null ? null : DepthResampling.nearest(scene.depth(), w, h);
    return new Scene(scene.id(), r, d);
  }

  /**
   * A scene prepared for its tasks: the source and its fitted copy. Made once per scene, used for
   * each of its work items.
   */
  public static final class Fitted {
    private final Sizing sizing;
    private final Scene source;
    private final Scene scene;

    private Fitted(Sizing sizing, Scene source, Scene scene) {
      this.sizing = sizing;
      this.source = source;
      this.scene = scene;
    }

    /** The scene the tasks run on. */
    public Scene scene() {
      return scene;
    }

    /**
     * Runs {@code task} on the fitted scene and applies the prompt budget (class comment), then the
     * difficulty range ({@link Difficulty#filter}): the one place both front ends pass every work
     * item through. A task's rejection is returned as it is; exceptions of the task propagate.
     */
    public Outcome generate(Task task, long seed, GenerationOptions options) {
      PromptTokens estimator = sizing.tokens();
      Scene current = scene;
      Outcome outcome = task.generate(current, seed, options);
      for (int attempt = 0; ; attempt++) {
        if (!(outcome instanceof Sample sample)) {
          return outcome;
        }
        int tokens = estimator.estimate(sample);
        int budget = sizing.maxPromptTokens;
        if (budget == 0 || tokens <= budget) {
          // The difficulty range (--difficulty) last, on the sample that would be written.
          return Difficulty.filter(annotated(sample, tokens, current), options);
        }
        int[] next = attempt < MAX_RESIZES ? smaller(sample, tokens, current, estimator) : null;
        if (next == null) {
          return new Rejection(source.id(), task.id(), task.id() + ": " + OVER_BUDGET);
        }
        current = scaled(source, next[0], next[1]);
        outcome = task.generate(current, seed, options);
      }
    }

    /**
     * The next, smaller scene size for a sample over the budget, or null when it cannot shrink: the
     * image tokens are taken to scale with the scene's area (those of images the trainer enlarges
     * to its minimum do not, which the next estimate shows), aiming 2 % under the budget.
     */
    private int[] smaller(Sample sample, int tokens, Scene current, PromptTokens estimator) {
      long imageTokens = 0;
      for (Raster r : sample.images()) {
        imageTokens += estimator.imageTokens(r.width(), r.height());
      }
      long textTokens = tokens - imageTokens;
      double room = 0.98 * sizing.maxPromptTokens - textTokens;
      int cw = current.rgb().width();
      int ch = current.rgb().height();
      long area = (long) cw * ch;
      if (room <= 0 || imageTokens <= 0) {
        return null;
      }
      long target = (long) Math.floor(area * Math.min(1.0, room / imageTokens));
      int sw = source.rgb().width();
      int sh = source.rgb().height();
      // Never below the trainer's minimum: the scene bound holds for every written sample.
      int[] s =
          target > sizing.minPixels ? shrunk(sw, sh, target) : grown(sw, sh, sizing.minPixels);
      return (long) s[0] * s[1] < area ? s : null;
    }

    private Sample annotated(Sample sample, int tokens, Scene used) {
      Map<String, Object> meta = new LinkedHashMap<>(sample.metadata());
      if (used != source) {
        Map<String, Object> resize = new LinkedHashMap<>();
        resize.put("from", List.of(source.rgb().width(), source.rgb().height()));
        resize.put("to", List.of(used.rgb().width(), used.rgb().height()));
        meta.put(RESIZE_KEY, resize);
      }
      meta.put(TOKENS_KEY, tokens);
      return new Sample(
          sample.id(),
          sample.sceneId(),
          sample.taskId(),
          sample.problem(),
          sample.images(),
          sample.answer(),
          meta);
    }
  }
}
