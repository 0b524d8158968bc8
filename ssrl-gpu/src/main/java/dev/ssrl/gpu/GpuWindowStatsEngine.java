package dev.ssrl.gpu;

import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import java.util.List;
import java.util.Optional;

/**
 * The GPU provider of {@code ssrl-tasks}' window-statistics seam: with {@code ssrl-gpu} on the
 * class path and {@code ssrl.gpu=true} (generation parameter or system property), the depth and
 * position tasks compute their {@link WindowStats} with {@link GpuWindowStats}, which gives the
 * same values bit for bit, so the samples are identical. Declines, with the reason, where no GPU is
 * usable. Found by {@link java.util.ServiceLoader}; not meant to be called directly.
 *
 * <p>The first use opens one CUDA context for the life of the JVM, shared by all generating
 * threads. The tasks' call, {@link #candidates}, queues maps for {@link GpuWindowCandidates}' lanes
 * (no lock held while the device works); {@link #compute} (full grids, kept for other callers) is
 * serialised on the context.
 */
public final class GpuWindowStatsEngine implements WindowStatsEngine {
  /** Created by {@link java.util.ServiceLoader}. */
  public GpuWindowStatsEngine() {}

  /** The JVM-wide context and kernels, opened on first use; null with a reason when unusable. */
  private static final class Device {
    static final GpuWindowStats STATS;
    static final GpuWindowCandidates CANDIDATES;
    static final String FAILURE;
    static final String DEVICE;

    static {
      GpuWindowStats stats = null;
      GpuWindowCandidates candidates = null;
      String failure = null;
      String device = null;
      if (!GpuContext.available()) {
        failure = "no usable GPU: " + GpuContext.reason();
      } else {
        GpuContext context = null;
        try {
          context = GpuContext.open();
          stats = new GpuWindowStats(context);
          candidates =
              new GpuWindowCandidates(
                  context, GpuWindowCandidates.DEFAULT_LANES, GpuWindowCandidates.DEFAULT_BATCH);
          device = context.deviceName();
        } catch (RuntimeException e) {
          stats = null;
          candidates = null;
          device = null;
          if (context != null) {
            context.close();
          }
          failure = "the GPU could not be used: " + e.getMessage();
        }
      }
      STATS = stats;
      CANDIDATES = candidates;
      FAILURE = failure;
      DEVICE = device;
    }
  }

  @Override
  public String name() {
    return "gpu";
  }

  /** {@code "cuda:<device name>"}, e.g. {@code "cuda:NVIDIA H200"}; {@code "cuda"} if unusable. */
  @Override
  public String device() {
    return Device.DEVICE == null ? "cuda" : "cuda:" + Device.DEVICE;
  }

  @Override
  public Optional<String> unavailableReason() {
    return Optional.ofNullable(Device.FAILURE);
  }

  /**
   * {@link WindowStats#compute} on the GPU.
   *
   * @throws IllegalArgumentException where {@link WindowStats#compute} throws it
   * @throws IllegalStateException if no GPU is usable or the device fails
   */
  @Override
  public WindowStats compute(float[] map, int width, int height, int k) {
    if (map == null
        || width <= 0
        || height <= 0
        || k <= 0
        || (long) width * height != map.length
        || k > Math.min(width, height)) {
      // Argument errors, and the zero-window case, exactly as the CPU reports them.
      return WindowStats.compute(map, width, height, k);
    }
    if (Device.STATS == null) {
      throw new IllegalStateException(Device.FAILURE);
    }
    WindowGrid g = Device.STATS.compute(List.of(map), width, height, k).get(0);
    return toWindowStats(g, width, height);
  }

  /**
   * {@link WindowCandidates#find} on the GPU ({@link GpuWindowCandidates}): only the candidates
   * come back, the map stays on the device for the query's fallback size, and maps from all
   * generating threads are batched into shared launches. This is what the tasks call.
   *
   * @throws IllegalArgumentException where {@link WindowCandidates#find} throws it
   * @throws IllegalStateException if no GPU is usable or the device fails
   */
  @Override
  public WindowCandidates candidates(float[] map, int width, int height, CandidateQuery query) {
    if (Device.CANDIDATES == null) {
      // Argument errors first, exactly as the CPU reports them.
      WindowCandidates.find(map, width, height, query);
      throw new IllegalStateException(Device.FAILURE);
    }
    return GpuWindowCandidates.join(Device.CANDIDATES.submit(map, width, height, query));
  }

  /** Wraps a grid's arrays (not copied: the grid is not used afterwards). */
  static WindowStats toWindowStats(WindowGrid g, int width, int height) {
    return WindowStats.fromWindows(
        width, height, g.k(), g.minArray(), g.maxArray(), g.countArray(), g.quantizedSumArray());
  }
}
