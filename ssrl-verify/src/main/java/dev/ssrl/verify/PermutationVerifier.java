package dev.ssrl.verify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/**
 * Permutation answers ({@code shuffle}, {@code depth}): the answer must list every label of the
 * ground truth exactly once for any credit; then the {@link PartialCredit} mode decides. Details:
 * {@code valid} (1/0) always; for a valid answer also {@code fraction} (positions right), {@code
 * kendallTau} (τ in [−1, 1]) and {@code kendall} ((τ + 1) / 2).
 */
final class PermutationVerifier extends ExtractingVerifier {
  private final PartialCredit mode;

  PermutationVerifier(PartialCredit mode, double formatWeight) {
    super(formatWeight);
    if (mode == null) {
      throw new IllegalArgumentException("partial-credit mode must not be null");
    }
    this.mode = mode;
  }

  @Override
  void checkGroundTruth(String groundTruth) {
    truthLabels(groundTruth);
  }

  /**
   * The ground truth's labels: canonical form only ({@code -}-joined, non-empty, distinct).
   *
   * @throws IllegalArgumentException naming {@code groundTruth} otherwise
   */
  static String[] truthLabels(String groundTruth) {
    String[] labels = groundTruth.split("-", -1);
    Set<String> seen = new HashSet<>();
    for (String label : labels) {
      if (label.isEmpty() || !label.equals(Scan.strip(label))) {
        throw notPermutation(groundTruth, "empty or padded label");
      }
      if (!seen.add(label)) {
        throw notPermutation(groundTruth, "label '" + shorten(label) + "' repeats");
      }
    }
    return labels;
  }

  private static IllegalArgumentException notPermutation(String groundTruth, String why) {
    return new IllegalArgumentException(
        "groundTruth '"
            + shorten(groundTruth)
            + "' is not a permutation of distinct labels joined by '-': "
            + why);
  }

  @Override
  double credit(String answer, String groundTruth, Map<String, Double> details) {
    String[] truth = truthLabels(groundTruth);
    String[] got = AnswerText.labels(answer);
    int n = truth.length;
    // position in the answer of each truth label (index in truth order)
    double[] answeredAt = validPositions(truth, got);
    details.put("valid", answeredAt == null ? 0.0 : 1.0);
    if (answeredAt == null) {
      return 0;
    }
    int right = 0;
    for (int i = 0; i < n; i++) {
      if (answeredAt[i] == i) {
        right++;
      }
    }
    if (right == n) {
      details.put("fraction", 1.0);
      details.put("kendallTau", 1.0);
      details.put("kendall", 1.0);
      return 1;
    }
    double fraction = (double) right / n;
    double[] truthAt = new double[n];
    Arrays.setAll(truthAt, i -> i);
    double tau = new KendallsCorrelation().correlation(truthAt, answeredAt);
    double kendall = Math.max(0, Math.min(1, (tau + 1) / 2));
    details.put("fraction", fraction);
    details.put("kendallTau", tau);
    details.put("kendall", kendall);
    switch (mode) {
      case FRACTION:
        return fraction;
      case KENDALL:
        return kendall;
      default:
        return 0;
    }
  }

  /** For each truth label, its position in {@code got}; null unless got is a permutation of it. */
  private static double[] validPositions(String[] truth, String[] got) {
    if (got == null || got.length != truth.length) {
      return null;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < truth.length; i++) {
      index.put(truth[i], i);
    }
    double[] at = new double[truth.length];
    Arrays.fill(at, -1);
    for (int p = 0; p < got.length; p++) {
      Integer label = index.get(got[p]);
      if (label == null || at[label] >= 0) {
        return null;
      }
      at[label] = p;
    }
    return at;
  }

  @Override
  public String toString() {
    return "PermutationVerifier[" + mode + "]";
  }
}
