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
 * what {@link WindowStats#compute} gives — count, min, max and quantized sum of every window — so
 * that the tasks produce byte-identical samples whichever engine ran; it must be thread-safe.
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
}
