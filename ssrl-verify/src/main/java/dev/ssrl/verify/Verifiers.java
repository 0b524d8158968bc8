package dev.ssrl.verify;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.api.Verifier;
import java.util.Map;

/**
 * Verifier factory: the reference reward, the tolerant verifiers of SPEC §5.2, and the default
 * verifier per task or answer format.
 *
 * <p>Every verifier here checks format and extracts the last box exactly as {@link
 * SpatialSsrlReward} does and weighs 0.9·accuracy + 0.1·format; they differ only in how the
 * extracted answer earns accuracy. Defaults:
 *
 * <table>
 *   <caption>Default verifiers</caption>
 *   <tr><th>task</th><th>answer format</th><th>verifier</th></tr>
 *   <tr><td>{@code shuffle}, {@code depth}</td><td>{@link AnswerFormat#PERMUTATION}</td>
 *       <td>{@link #permutation(PartialCredit)} with {@link PartialCredit#FRACTION}</td></tr>
 *   <tr><td>{@code crop}, {@code position}</td><td>{@link AnswerFormat#OPTION_LETTER}</td>
 *       <td>{@link #optionLetter()}</td></tr>
 *   <tr><td>{@code flip}</td><td>{@link AnswerFormat#LABEL_DIRECTION}</td>
 *       <td>{@link #reference()} (exact match)</td></tr>
 *   <tr><td>any other</td><td>{@link AnswerFormat#EXACT}</td>
 *       <td>{@link #reference()}</td></tr>
 * </table>
 *
 * <p>Use {@link #reference()} everywhere to reproduce the rewards Spatial-SSRL trained with.
 */
public final class Verifiers {
  private static final double FORMAT_WEIGHT = 0.1;
  private static final Verifier OPTION_LETTER = new OptionLetterVerifier(FORMAT_WEIGHT);
  private static final Map<PartialCredit, Verifier> PERMUTATION =
      Map.of(
          PartialCredit.EXACT, new PermutationVerifier(PartialCredit.EXACT, FORMAT_WEIGHT),
          PartialCredit.FRACTION, new PermutationVerifier(PartialCredit.FRACTION, FORMAT_WEIGHT),
          PartialCredit.KENDALL, new PermutationVerifier(PartialCredit.KENDALL, FORMAT_WEIGHT));
  private static final Map<String, AnswerFormat> BUILT_IN =
      Map.of(
          "shuffle", AnswerFormat.PERMUTATION,
          "depth", AnswerFormat.PERMUTATION,
          "crop", AnswerFormat.OPTION_LETTER,
          "position", AnswerFormat.OPTION_LETTER,
          "flip", AnswerFormat.LABEL_DIRECTION);

  /** The partial-credit mode of the default permutation verifier. */
  public static final PartialCredit DEFAULT_PARTIAL_CREDIT = PartialCredit.FRACTION;

  private Verifiers() {}

  /** The reference-compatible reward, {@link SpatialSsrlReward#standard()}. */
  public static Verifier reference() {
    return SpatialSsrlReward.standard();
  }

  /**
   * Tolerant option letters: the extracted answer names the ground-truth letter if, after removing
   * an enclosing {@code \text{…}} (or {@code \textbf}, {@code \mathrm}, {@code \mathbf}, {@code
   * \textrm}, {@code \mbox}) and enclosing brackets, it starts with that letter in either case,
   * optionally after {@code (} or {@code [}, followed by the end or a non-alphanumeric character:
   * {@code C}, {@code (C)}, {@code C.}, {@code C. Left}, {@code c} all match {@code C}; {@code
   * Cat}, {@code Left}, {@code Option C} do not. A ground truth that is not a single ASCII letter
   * is compared exactly. No box: no accuracy. Detail {@code exact}: 1 when the answer equals the
   * ground truth as written.
   */
  public static Verifier optionLetter() {
    return OPTION_LETTER;
  }

  /**
   * Permutation answers with partial credit. The ground truth must be distinct labels joined by
   * {@code -} (e.g. {@code 0-2-3-1}); the answer's labels may be separated by {@code -} or {@code
   * ,} with whitespace around them and the whole may sit in brackets or {@code \text{…}}. Only an
   * answer listing each ground-truth label exactly once earns credit; an exact match earns 1 in
   * every mode. Details: {@code valid}, and for valid answers {@code fraction}, {@code kendallTau},
   * {@code kendall}. Scoring throws {@link IllegalArgumentException} naming {@code groundTruth}
   * when the ground truth is not such a permutation.
   *
   * @throws IllegalArgumentException if {@code mode} is null
   */
  public static Verifier permutation(PartialCredit mode) {
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    return PERMUTATION.get(mode);
  }

  /**
   * The default verifier for an answer format (see the class table).
   *
   * @throws IllegalArgumentException if {@code format} is null
   */
  public static Verifier forFormat(AnswerFormat format) {
    if (format == null) {
      throw new IllegalArgumentException("format must not be null");
    }
    switch (format) {
      case PERMUTATION:
        return permutation(DEFAULT_PARTIAL_CREDIT);
      case OPTION_LETTER:
        return optionLetter();
      case LABEL_DIRECTION:
      case EXACT:
      default:
        return reference();
    }
  }

  /**
   * The default verifier for a task id (see the class table). The five built-in ids are known here;
   * any other id is looked up among the tasks on the class path ({@link Tasks#all()}) and scored by
   * its {@link Task#answerFormat()}; an id found nowhere gets {@link #reference()}.
   *
   * @throws IllegalArgumentException if {@code taskId} is null
   */
  public static Verifier forTask(String taskId) {
    if (taskId == null) {
      throw new IllegalArgumentException("taskId must not be null");
    }
    AnswerFormat format = BUILT_IN.get(taskId);
    if (format == null) {
      Task task = Tasks.all().get(taskId);
      format = task == null ? AnswerFormat.EXACT : task.answerFormat();
    }
    return forFormat(format);
  }
}
