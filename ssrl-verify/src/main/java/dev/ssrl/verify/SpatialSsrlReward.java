package dev.ssrl.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;

/**
 * The reward Spatial-SSRL trained with (SPEC §5.1), bit-compatible with the reference on its 3,000
 * recorded cases.
 *
 * <ol>
 *   <li>Normalise: delete every run of whitespace immediately before or after each {@code <},
 *       {@code >} and {@code /}. Whitespace is Python 3's {@code \s} for {@code str} patterns (tab,
 *       LF, VT, FF, CR, U+001C–U+001F, space, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
 *       U+2029, U+202F, U+205F, U+3000).
 *   <li>{@code format} = 1 when the whole normalised response has the shape {@code <think>} …
 *       {@code </think>} … <code>\boxed&#123;</code> … <code>&#125;</code> … (anything, newlines
 *       included, in the gaps, nothing before the opening tag), else 0.
 *   <li>Extract the content of the last <code>\boxed&#123;</code>: from there, count braces; the
 *       content ends where the depth drops below zero; strip whitespace at both ends. No box, or no
 *       closing brace, gives the literal string {@code None}, as in the reference (so a ground
 *       truth of {@code None} matches a response without a box).
 *   <li>{@code accuracy} = 1 when the extracted string equals the ground truth exactly, else 0.
 *   <li>{@code overall} = {@code accuracyWeight}·accuracy + {@code formatWeight}·format, by default
 *       0.9·accuracy + 0.1·format.
 * </ol>
 *
 * <p>Scoring works on the original string without building a normalised copy, takes time linear in
 * the response length whatever the input (no regex, no recursion), allocates nothing, and never
 * throws for a response: null, empty, unbalanced, NUL or lone-surrogate text simply scores what the
 * rules give (null and empty score zero). Instances are immutable and thread-safe.
 */
public final class SpatialSsrlReward implements Verifier {
  private static final SpatialSsrlReward STANDARD = new SpatialSsrlReward(0.1);

  private final double accuracyWeight;
  private final double formatWeight;
  // The only four rewards this verifier can give, built once: Reward copies its details map on
  // construction, which would otherwise dominate the cost of scoring a short response.
  private final Reward[] outcomes;

  private SpatialSsrlReward(double formatWeight) {
    this(1 - formatWeight, formatWeight);
  }

  private SpatialSsrlReward(double accuracyWeight, double formatWeight) {
    this.accuracyWeight = accuracyWeight;
    this.formatWeight = formatWeight;
    this.outcomes = new Reward[4];
    for (int k = 0; k < 4; k++) {
      double format = k & 1;
      double accuracy = k >> 1;
      outcomes[k] = new Reward(combine(accuracy, format), format, accuracy);
    }
  }

  /** The reference reward: 0.9·accuracy + 0.1·format. */
  public static SpatialSsrlReward standard() {
    return STANDARD;
  }

  /**
   * The reward with the given weight on format and {@code 1 − formatWeight} on accuracy (the
   * reference's {@code format_weight} parameter; 0.1 gives exactly the reference's numbers).
   *
   * @throws IllegalArgumentException naming {@code formatWeight} if it is NaN or outside [0, 1]
   */
  public static SpatialSsrlReward withFormatWeight(double formatWeight) {
    checkWeight("formatWeight", formatWeight);
    return new SpatialSsrlReward(formatWeight);
  }

  /**
   * The reward with the given weight on accuracy and {@code 1 − accuracyWeight} on format. Note
   * that {@code 1 − 0.9} is not the double {@code 0.1}; use {@link #withFormatWeight} to reproduce
   * the reference's numbers bit for bit.
   *
   * @throws IllegalArgumentException naming {@code accuracyWeight} if it is NaN or outside [0, 1]
   */
  public static SpatialSsrlReward withAccuracyWeight(double accuracyWeight) {
    checkWeight("accuracyWeight", accuracyWeight);
    return new SpatialSsrlReward(accuracyWeight, 1 - accuracyWeight);
  }

  /** The weight on accuracy in {@code overall}. */
  public double accuracyWeight() {
    return accuracyWeight;
  }

  /** The weight on format in {@code overall}. */
  public double formatWeight() {
    return formatWeight;
  }

  /**
   * Scores a response by the rules in the class comment.
   *
   * @param response the model output; null or empty scores zero
   * @param groundTruth the canonical answer, compared exactly
   * @throws IllegalArgumentException naming {@code groundTruth} if it is null
   */
  @Override
  public Reward score(String response, String groundTruth) {
    requireGroundTruth(groundTruth);
    if (response == null || response.isEmpty()) {
      return outcomes[0];
    }
    int lastBox = response.lastIndexOf(Scan.BOX);
    int format = Scan.hasFormat(response, lastBox) ? 1 : 0;
    int accuracy = accurate(response, Scan.contentStart(lastBox), groundTruth) ? 2 : 0;
    return outcomes[format | accuracy];
  }

  /**
   * The reference's whitespace normalisation of a response (step 1).
   *
   * @return the normalised text; {@code ""} for null
   */
  public static String normalize(String response) {
    return response == null ? "" : Scan.normalize(response, 0, response.length());
  }

  /** Whether a response passes the reference's format check (step 2). Null or empty: false. */
  public static boolean hasFormat(String response) {
    return response != null && Scan.hasFormat(response);
  }

  /**
   * The reference's answer extraction (step 3): the stripped content of the last box of the
   * normalised response, or the literal {@code "None"} when there is no box or no closing brace
   * (also for a null response).
   */
  public static String extractAnswer(String response) {
    if (response == null) {
      return Scan.NONE;
    }
    String answer = Scan.extractOrNull(response);
    return answer == null ? Scan.NONE : answer;
  }

  double combine(double accuracy, double format) {
    // Same expression and operand order as the reference, so that the doubles are identical; the
    // clamp only guards against a rounding excess over 1 for unusual weights.
    return Math.min(1.0, accuracyWeight * accuracy + formatWeight * format);
  }

  static boolean accurate(String response, int start, String groundTruth) {
    int end = start < 0 ? -1 : Scan.closingBrace(response, start);
    if (end < 0) {
      return Scan.NONE.equals(groundTruth);
    }
    return Scan.segmentEquals(response, start, end, groundTruth);
  }

  static void requireGroundTruth(String groundTruth) {
    if (groundTruth == null) {
      throw new IllegalArgumentException("groundTruth must not be null");
    }
  }

  static void checkWeight(String name, double weight) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + weight);
    }
  }

  @Override
  public String toString() {
    return "SpatialSsrlReward[accuracyWeight="
        + accuracyWeight
        + ", formatWeight="
        + formatWeight
        + "]";
  }
}
