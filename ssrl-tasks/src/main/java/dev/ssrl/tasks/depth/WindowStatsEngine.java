package dev.ssrl.tasks.depth;

import java.util.Optional;

/**
 * Service-provider interface for computing {@link WindowStats} elsewhere than on the CPU (the
 * {@code ssrl-gpu} module provides one on CUDA GPUs). The depth and position tasks use a provider
 * only when GPU window statistics are enabled ({@link WindowStatsEngines#PROPERTY}) and the
 * provider declares itself usable; otherwise they compute on the CPU.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (a line in {@code
 * META-INF/services/dev.ssrl.tasks.depth.WindowStatsEngine}). An implementation must give exactly
 * what {@link WindowStats#compute} gives — count, min, max and quantized sum of every window — and
 * what {@link WindowCandidates#find} gives for {@link #candidates} (the tasks' only call), so that
 * the tasks produce byte-identical samples whichever engine ran; it must be thread-safe.
 */
public interface WindowStatsEngine {
  /** A short name for messages, e.g. {@code gpu}. */
  String name();

  /**
   * Where this engine computes, as logs and a dataset's manifest name it: {@code "cpu"} for the
   * CPU, e.g. {@code "cuda:NVIDIA H200"} for a GPU. Asked only of a usable engine; by default
   * {@link #name()}.
   */
  default String device() {
    return name();
  }

  /**
   * Empty when this engine can be used in this JVM, else a one-line reason (e.g. no GPU, and why).
   * Asked once, the first time an enabled engine is wanted; must not throw.
   */
  Optional<String> unavailableReason();

  /**
   * The statistics of all {@code k × k} windows of a normalised map, equal to {@link
   * WindowStats#compute WindowStats.compute(map, width, height, k)}.
   *
   * @throws IllegalArgumentException exactly where {@link WindowStats#compute} throws it
   * @throws RuntimeException for a failure of the engine itself (the tasks then compute on the CPU)
   */
  WindowStats compute(float[] map, int width, int height, int k);

  /**
   * The candidate windows of a normalised map for {@code query}, equal to {@link
   * WindowCandidates#find WindowCandidates.find(map, width, height, query)}: what the depth and
   * position tasks ask for. The default computes full statistics with {@link #compute} (for the
   * query's window side, then its fallback's if needed) and scans them; an engine that can do
   * better (a GPU returning only the candidates, with the map kept on the device for both sizes)
   * overrides it.
   *
   * @param map as for {@link #compute}; kept by the result for the means, so it must not change
   *     afterwards
   * @throws IllegalArgumentException exactly where {@link WindowCandidates#find} throws it
   * @throws RuntimeException for a failure of the engine itself (the tasks then compute on the CPU)
   */
  default WindowCandidates candidates(float[] map, int width, int height, CandidateQuery query) {
    return WindowCandidates.search(map, width, height, query, k -> compute(map, width, height, k));
  }
}
