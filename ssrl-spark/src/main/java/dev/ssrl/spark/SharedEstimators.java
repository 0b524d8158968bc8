package dev.ssrl.spark;

import dev.ssrl.depth.OnnxDepthEstimator;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One depth estimator per model file and executor JVM, shared by all of its tasks and kept for the
 * JVM's life: loading a model costs seconds and hundreds of megabytes, an inference milliseconds.
 * As many inferences at once as the executor has cores (each on one ONNX Runtime thread).
 */
final class SharedEstimators {
  private static final Map<String, OnnxDepthEstimator> OPEN = new ConcurrentHashMap<>();

  private SharedEstimators() {}

  static OnnxDepthEstimator get(String file, boolean gpu) {
    return OPEN.computeIfAbsent(
        file + (gpu ? "#gpu" : "#cpu"),
        k -> {
          OnnxDepthEstimator e =
              OnnxDepthEstimator.open(
                  Path.of(file),
                  OnnxDepthEstimator.Settings.cpu(Runtime.getRuntime().availableProcessors())
                      .withGpu(gpu));
          if (e.providerNote() != null) {
            System.err.println("ssrl-spark: note: " + e.providerNote());
          }
          return e;
        });
  }
}
