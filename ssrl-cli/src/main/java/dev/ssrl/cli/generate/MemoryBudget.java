package dev.ssrl.cli.generate;

import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneHeader;
import dev.ssrl.tasks.scene.SceneLoader;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;

/**
 * The heap one scene needs, estimated before its pixels are read, and the heap a run can give it.
 *
 * <p>The estimate, for a scene of {@code P} pixels (the RGB image's width × height, read from the
 * file header), is {@code fileBytes + FIXED + P × max(load, held + task)} bytes, where:
 *
 * <ul>
 *   <li>{@code fileBytes}: the scene's files on disk, which the readers hold whole while decoding
 *       ({@code SceneBytes});
 *   <li>{@code load} = {@code 3 + decode + (depth ? value + 4 + 1 : 0)}: the RGB raster being
 *       filled (3 B/px) while ImageIO's decoded image is alive ({@code decode}: 4 B/px for JPEG,
 *       the PNG's channels × bytes per sample, at least 4), then the depth decode ({@code value}:
 *       the bytes of one stored value, which the depth file's format reads from its header, {@code
 *       DepthHeader.bytesPerValue}: 8 for a float64 {@code .npy}, 2 for a 16-bit PNG; the working
 *       copy a reader may hold, ImageIO's raster or jHDF's array) into its float map (4) and mask
 *       (1); a depth map larger than its image counts with its own pixels, as it is decoded before
 *       the loader refuses the pair;
 *   <li>{@code held} = {@code 3 + (depth ? 4 + 1 : 0)}: the loaded {@link Scene} while its tasks
 *       run;
 *   <li>{@code task}: the most any selected task allocates on top (tasks of a scene run one after
 *       the other, so the maximum, not the sum), as each task states it ({@link
 *       Task#heapBytesPerPixel()}: shuffle and flip 6, crop 9, depth and position 34, a task that
 *       does not say {@value Task#DEFAULT_HEAP_BYTES_PER_PIXEL}; the tasks' javadoc itemises them).
 * </ul>
 *
 * {@code FIXED} is 8 MB (histograms of 2^16 ints per part in {@code DepthNormalizer}, prompt and
 * JSON text). Each term is an upper bound, so the estimate is conservative: docs/RELIABILITY.md
 * ("Memory per scene") compares it with the heap measured to suffice.
 *
 * <p>The run's budget is {@code Runtime.maxMemory()} less a reserve ({@code min(64 MB, max/4)}) for
 * the JSONL text of a chunk, the pool and the JVM; each of {@code threads} workers can count on a
 * {@code threads}-th of it. A scene over its worker's share runs alone (no other scene in work); a
 * scene over the whole budget is rejected. Both depend on {@code -Xmx} only, never on timing, so
 * which scenes are rejected is the same at any thread count.
 */
public final class MemoryBudget {
  static final long MB = 1L << 20;
  static final long FIXED = 8 * MB;

  private final long heap;
  private final int threads;

  MemoryBudget(long maxMemory, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.heap = Math.max(0, maxMemory - Math.min(64 * MB, maxMemory / 4));
    this.threads = threads;
  }

  /**
   * The budget of this JVM ({@link Runtime#maxMemory}) shared by {@code threads} workers; with
   * {@code -Dssrl.memoryBudget=false} no scene is refused or run alone on its estimate (an {@link
   * OutOfMemoryError} is still caught): for measuring, or when the estimate is too cautious.
   */
  static MemoryBudget ofRuntime(int threads) {
    if ("false".equals(System.getProperty("ssrl.memoryBudget"))) {
      return new MemoryBudget(Long.MAX_VALUE / 2, threads);
    }
    return new MemoryBudget(Runtime.getRuntime().maxMemory(), threads);
  }

  /** Bytes the whole run can give one scene that runs alone. */
  long heap() {
    return heap;
  }

  /** Bytes each worker can count on while all workers are busy. */
  long perWorker() {
    return heap / threads;
  }

  /**
   * The bytes a scene needs (see the class comment).
   *
   * @param pixels width × height of the RGB image
   * @param decodeBytesPerPixel bytes a pixel of ImageIO's decoded RGB image takes
   * @param depth whether the scene has a depth map
   * @param fileBytes the size of the scene's files on disk
   * @param tasks the selected tasks
   */
  public static long estimate(
      long pixels,
      int decodeBytesPerPixel,
      boolean depth,
      long fileBytes,
      Collection<? extends Task> tasks) {
    return estimate(
        pixels, decodeBytesPerPixel, depth ? MAX_DEPTH_VALUE_BYTES : 0, fileBytes, tasks);
  }

  /** The widest value a built-in depth format stores (float64 {@code .npy} or HDF5). */
  static final int MAX_DEPTH_VALUE_BYTES = 8;

  /**
   * The bytes a scene needs, its depth file's value width known.
   *
   * @param depthValueBytes bytes one value of the depth file takes ({@code DepthHeader}); 0 for no
   *     depth map
   */
  public static long estimate(
      long pixels,
      int decodeBytesPerPixel,
      int depthValueBytes,
      long fileBytes,
      Collection<? extends Task> tasks) {
    boolean depth = depthValueBytes > 0;
    long task = 0;
    for (Task t : tasks) {
      task = Math.max(task, Math.max(0, t.heapBytesPerPixel()));
    }
    long held = 3 + (depth ? 4 + 1 : 0);
    long load = 3 + Math.max(4, decodeBytesPerPixel) + (depth ? depthValueBytes + 4 + 1 : 0);
    return fileBytes + FIXED + pixels * Math.max(load, held + task);
  }

  /** The estimate of a loaded scene (its files are no longer held). */
  public static long estimate(Scene scene, Collection<? extends Task> tasks) {
    long pixels = (long) scene.rgb().width() * scene.rgb().height();
    return estimate(pixels, 3, scene.hasDepth(), 0, tasks);
  }

  /**
   * The estimate of a scene from its file headers ({@link SceneLoader#probe}: the image's, and the
   * depth file's through its {@code DepthFormat}), before any pixel is read; -1 when a header
   * cannot be read or is over the loader's pixel limit (the loader then names what is wrong with
   * the file).
   */
  public static long estimate(SceneFiles files, Collection<? extends Task> tasks) {
    SceneHeader h;
    try {
      h = SceneLoader.defaults().probe(files);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    long pixels = h.pixels();
    // Over the loader's pixel limit: its own rejection (refused before decoding) names that.
    if (pixels > SceneLoader.DEFAULT_MAX_PIXELS
        || (h.hasDepth() && h.depth().pixels() > SceneLoader.DEFAULT_MAX_PIXELS)) {
      return -1;
    }
    if (!h.hasDepth()) {
      return estimate(pixels, h.decodeBytesPerPixel(), false, h.fileBytes(), tasks);
    }
    // The depth map is decoded before the loader compares its size with the image's, so a larger
    // one costs its own pixels.
    return estimate(
        Math.max(pixels, h.depth().pixels()),
        h.decodeBytesPerPixel(),
        h.depth().bytesPerValue(),
        h.fileBytes(),
        tasks);
  }

  /** The rejection reason of a scene over the whole budget. */
  String overBudget(String origin, long need) {
    return String.format(
        Locale.ROOT,
        "memory: %s: scene needs ~%d MB, budget %d MB (%d MB per worker at %d threads); raise -Xmx",
        origin,
        ceilMb(need),
        heap / MB,
        perWorker() / MB,
        threads);
  }

  static long ceilMb(long bytes) {
    return (bytes + MB - 1) / MB;
  }
}
