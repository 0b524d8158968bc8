package dev.ssrl.verify;

import java.util.Map;

/**
 * Option letters read tolerantly ({@link AnswerText#optionLetter}): {@code C}, {@code (C)}, {@code
 * C.}, {@code C. Left}, {@code c} all match a ground truth of {@code C}. A ground truth that is not
 * one ASCII letter is compared exactly.
 */
final class OptionLetterVerifier extends ExtractingVerifier {
  OptionLetterVerifier(double formatWeight) {
    super(formatWeight);
  }

  @Override
  void checkGroundTruth(String groundTruth) {
    // Any text is acceptable: non-letters fall back to exact comparison.
  }

  @Override
  double credit(String answer, String groundTruth, Map<String, Double> details) {
    boolean exact = answer.equals(groundTruth);
    details.put("exact", exact ? 1.0 : 0.0);
    if (groundTruth.length() != 1 || !AnswerText.isAsciiLetter(groundTruth.charAt(0))) {
      return exact ? 1 : 0;
    }
    char truth = Character.toUpperCase(groundTruth.charAt(0));
    return exact || AnswerText.optionLetter(answer) == truth ? 1 : 0;
  }

  @Override
  public String toString() {
    return "OptionLetterVerifier";
  }
}
