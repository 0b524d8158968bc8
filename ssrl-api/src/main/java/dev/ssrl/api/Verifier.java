package dev.ssrl.api;

/**
 * Scores one model response against a ground truth. Implementations are thread-safe and never throw
 * for a bad response: null, empty or garbled text scores zero.
 */
@FunctionalInterface
public interface Verifier {
  /**
   * @param response the model output; null or empty scores zero
   * @param groundTruth the canonical answer
   * @throws IllegalArgumentException if {@code groundTruth} is null
   */
  Reward score(String response, String groundTruth);
}
