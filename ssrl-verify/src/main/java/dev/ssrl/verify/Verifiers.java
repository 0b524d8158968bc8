package dev.ssrl.verify;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.api.Verifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Verifier factory: the reference reward, the tolerant verifiers of SPEC §5.2, and the default
 * verifier per answer format or task.
 *
 * <p>Every verifier here checks format and extracts the last box exactly as {@link
 * SpatialSsrlReward} does and weighs 0.9·accuracy + 0.1·format; they differ only in how the
 * extracted answer earns accuracy. Defaults per answer format (a task states its format, {@link
 * Task#answerFormat()}: the built-in {@code shuffle} and {@code depth} answer permutations, {@code
 * crop} and {@code position} option letters, {@code flip} a label and a direction):
 *
 * <table>
 *   <caption>Default verifiers</caption>
 *   <tr><th>answer format</th><th>verifier</th></tr>
 *   <tr><td>{@link AnswerFormat#PERMUTATION}</td>
 *       <td>{@link #permutation(PartialCredit)} with {@link PartialCredit#FRACTION}</td></tr>
 *   <tr><td>{@link AnswerFormat#OPTION_LETTER}</td><td>{@link #optionLetter()}</td></tr>
 *   <tr><td>{@link AnswerFormat#LABEL_DIRECTION}</td><td>{@link #reference()} (exact match)</td></tr>
 *   <tr><td>{@link AnswerFormat#EXACT}</td><td>{@link #reference()}</td></tr>
 * </table>
 *
 * A task that brings its own verifier ({@link Task#verifier()}) is scored by it instead.
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
          PartialCredit.KENDALL, new PermutationVerifier(PartialCredit.KENDALL, FORMAT_WEIGHT),
          PartialCredit.ADJACENCY, new PermutationVerifier(PartialCredit.ADJACENCY, FORMAT_WEIGHT));

  /** The verifiers of the tasks on the class path, found once (a class-path scan is slow). */
  private static final class Known {
    static final Map<String, Verifier> BY_TASK = byTask();

    private static Map<String, Verifier> byTask() {
      Map<String, Verifier> m = new HashMap<>();
      for (Task t : Tasks.all().values()) {
        m.put(t.id(), forTask(t));
      }
      return Map.copyOf(m);
    }
  }

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
   * {@code kendall} (and {@code adjacency} in that mode). Scoring throws {@link
   * IllegalArgumentException} naming {@code groundTruth} when the ground truth is not such a
   * permutation. {@link PartialCredit#ADJACENCY} takes the positions as one row (neighbours are
   * consecutive positions, which fits orders such as {@code depth}'s and one-row or one-column
   * jigsaws); give a jigsaw's grid with {@link #permutation(PartialCredit, int, int)}.
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
   * {@link #permutation(PartialCredit)} for answers whose positions form a grid of {@code columns}
   * × {@code rows} cells filled row-major (a {@code shuffle} sample's {@code grid}, {@code cols}
   * and {@code rows} metadata): only {@link PartialCredit#ADJACENCY} reads the grid; the other
   * modes score as without it. Scoring also throws {@link IllegalArgumentException} when the ground
   * truth's label count is not {@code columns × rows}. A grid of one row or one column scores as
   * {@link #permutation(PartialCredit)} does.
   *
   * @throws IllegalArgumentException if {@code mode} is null or a side is below 1
   */
  public static Verifier permutation(PartialCredit mode, int columns, int rows) {
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (columns < 1 || rows < 1) {
      throw new IllegalArgumentException(
          "grid must have at least one column and one row, got " + columns + "x" + rows);
    }
    return new PermutationVerifier(mode, FORMAT_WEIGHT, columns, rows);
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
   * The verifier of a task: its own ({@link Task#verifier()}) when it brings one, else the default
   * of its answer format ({@link #forFormat}).
   *
   * @throws IllegalArgumentException if {@code task} is null
   */
  public static Verifier forTask(Task task) {
    if (task == null) {
      throw new IllegalArgumentException("task must not be null");
    }
    Optional<Verifier> own = task.verifier();
    return own.isPresent() ? own.get() : forFormat(task.answerFormat());
  }

  /**
   * The verifier of a permutation task with the partial credit {@code mode} instead of its format's
   * default ({@link #permutation(PartialCredit)}).
   *
   * @throws IllegalArgumentException if an argument is null, if the task does not answer {@link
   *     AnswerFormat#PERMUTATION}, or if it brings its own verifier (whose credit is its own)
   */
  public static Verifier forTask(Task task, PartialCredit mode) {
    if (task == null || mode == null) {
      throw new IllegalArgumentException("task and mode must not be null");
    }
    if (task.answerFormat() != AnswerFormat.PERMUTATION) {
      throw new IllegalArgumentException(
          "partial credit applies to permutation answers; task '"
              + task.id()
              + "' answers "
              + task.answerFormat());
    }
    if (task.verifier().isPresent()) {
      throw new IllegalArgumentException(
          "task '" + task.id() + "' brings its own verifier; its partial credit is its own");
    }
    return permutation(mode);
  }

  /**
   * The verifier of the task with this id among the tasks on the class path ({@link Tasks#all()},
   * looked up once), as {@link #forTask(Task)} gives it; an id found nowhere gets {@link
   * #reference()}. The built-in tasks are known only where ssrl-tasks is on the class path.
   *
   * @throws IllegalArgumentException if {@code taskId} is null
   */
  public static Verifier forTask(String taskId) {
    if (taskId == null) {
      throw new IllegalArgumentException("taskId must not be null");
    }
    Verifier v = Known.BY_TASK.get(taskId);
    return v == null ? reference() : v;
  }
}
