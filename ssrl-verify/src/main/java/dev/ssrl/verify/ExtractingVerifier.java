package dev.ssrl.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A verifier that keeps the reference's format check and box extraction and replaces exact matching
 * by its own credit rule. A response without a (closed) box earns no accuracy here: the reference's
 * literal {@code None} is not a tolerant answer.
 */
abstract class ExtractingVerifier implements Verifier {
  private final double accuracyWeight;
  private final double formatWeight;

  ExtractingVerifier(double formatWeight) {
    SpatialSsrlReward.checkWeight("formatWeight", formatWeight);
    this.accuracyWeight = 1 - formatWeight;
    this.formatWeight = formatWeight;
  }

  @Override
  public final Reward score(String response, String groundTruth) {
    SpatialSsrlReward.requireGroundTruth(groundTruth);
    // Checked before the response so that a bad ground truth fails loudly on every call.
    checkGroundTruth(groundTruth);
    if (response == null || response.isEmpty()) {
      return Reward.zero();
    }
    int lastBox = response.lastIndexOf(Scan.BOX);
    double format = Scan.hasFormat(response, lastBox) ? 1 : 0;
    String answer = Scan.extractOrNull(response, lastBox);
    Map<String, Double> details = new LinkedHashMap<>();
    double accuracy = answer == null ? 0 : credit(answer, groundTruth, details);
    double overall = Math.min(1.0, accuracyWeight * accuracy + formatWeight * format);
    return new Reward(overall, format, accuracy, details);
  }

  /**
   * @throws IllegalArgumentException naming {@code groundTruth} if this verifier cannot read it
   */
  abstract void checkGroundTruth(String groundTruth);

  /** Accuracy credit in [0, 1] for an extracted answer; may add named values to {@code details}. */
  abstract double credit(String answer, String groundTruth, Map<String, Double> details);

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
