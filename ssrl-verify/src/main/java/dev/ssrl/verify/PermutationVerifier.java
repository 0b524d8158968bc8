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
 * kendallTau} (τ in [−1, 1]) and {@code kendall} ((τ + 1) / 2), and in {@link
 * PartialCredit#ADJACENCY} mode {@code adjacency}.
 */
final class PermutationVerifier extends ExtractingVerifier {
  private final PartialCredit mode;
  // The grid of the positions (row-major) for ADJACENCY; 0 and 0: one row of all the labels.
  private final int columns;
  private final int rows;

  PermutationVerifier(PartialCredit mode, double formatWeight) {
    this(mode, formatWeight, 0, 0);
  }

  PermutationVerifier(PartialCredit mode, double formatWeight, int columns, int rows) {
    super(formatWeight);
    if (mode == null) {
      throw new IllegalArgumentException("partial-credit mode must not be null");
    }
    if (columns < 0 || rows < 0 || (columns == 0) != (rows == 0)) {
      throw new IllegalArgumentException(
          "grid must have at least one column and one row, got " + columns + "x" + rows);
    }
    this.mode = mode;
    this.columns = columns;
    this.rows = rows;
  }

  @Override
  void checkGroundTruth(String groundTruth) {
    String[] labels = truthLabels(groundTruth);
    if (columns > 0 && (long) columns * rows != labels.length) {
      throw new IllegalArgumentException(
          "groundTruth '"
              + shorten(groundTruth)
              + "' has "
              + labels.length
              + " labels but grid "
              + columns
              + "x"
              + rows
              + " has "
              + (long) columns * rows
              + " cells");
    }
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
      if (mode == PartialCredit.ADJACENCY) {
        details.put("adjacency", 1.0);
      }
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
      case ADJACENCY:
        double adjacency = adjacency(answeredAt, columns > 0 ? columns : n);
        details.put("adjacency", adjacency);
        return adjacency;
      default:
        return 0;
    }
  }

  /**
   * The {@link PartialCredit#ADJACENCY} credit: {@code at[p]} is the answered position of the label
   * the truth puts at position {@code p}; the positions form a grid of {@code cols} columns filled
   * row-major. A grid of one cell has no pairs: its only valid answer is exact, scored before.
   */
  static double adjacency(double[] at, int cols) {
    int n = at.length;
    int rowCount = n / cols;
    int pairs = rowCount * (cols - 1) + cols * (rowCount - 1);
    if (pairs == 0) {
      return 1;
    }
    int kept = 0;
    for (int p = 0; p < n; p++) {
      int a = (int) at[p];
      if (p % cols + 1 < cols && a % cols + 1 < cols && at[p + 1] == a + 1) {
        kept++; // right neighbour, still right of it in the same row
      }
      if (p + cols < n && at[p + cols] == a + cols) {
        kept++; // lower neighbour, still just below it
      }
    }
    return (double) kept / pairs;
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
    return "PermutationVerifier[" + mode + (columns > 0 ? ", " + columns + "x" + rows : "") + "]";
  }
}
