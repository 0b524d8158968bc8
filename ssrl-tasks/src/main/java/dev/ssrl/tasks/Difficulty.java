package dev.ssrl.tasks;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import java.util.Locale;
import java.util.Objects;

/**
 * Sample difficulty (docs/difficulty.md): every built-in task records in its metadata a key {@value
 * #KEY}, a number in [0, 1] rounded to 3 decimals, higher meaning harder, computed from what the
 * task generated so that it re-derives from the source files and the other metadata. What it
 * measures is the task's own (its javadoc and the table in docs/difficulty.md); for flip, crop,
 * depth and position it is how close the sample comes to the task's own rejection or ambiguity
 * margin: 1 at the margin, 0 far from it.
 *
 * <p>The range filter ({@code ssrl generate --difficulty MIN:MAX} or {@code TASK=MIN:MAX}, the
 * generation parameters {@value #PARAMETER} and {@value #PARAMETER}{@code .TASK}) keeps a sample
 * whose difficulty lies in [MIN, MAX] and turns any other into a rejection, {@code "<task>:
 * difficulty below MIN:MAX"} or {@code "... above ..."}; a sample without the key is kept. {@link
 * Sizing.Fitted#generate}, which both front ends run every work item through, applies it, so the
 * CLI and the Spark job keep the same samples. Curricula are made of several runs with successive
 * ranges (or of {@code ssrl curate} on scored rollouts); a run has one range per task.
 */
public final class Difficulty {
  private Difficulty() {}

  /** The metadata key. */
  public static final String KEY = "difficulty";

  /** The generation parameter of the range of every task; {@code PARAMETER + "." + task} wins. */
  public static final String PARAMETER = "ssrl.difficulty";

  /**
   * {@code x} clamped to [0, 1] and rounded to 3 decimals, the form every task records (NaN is
   * taken as 1: a measure that cannot be computed is no evidence of an easy sample).
   */
  public static double of(double x) {
    double c = Double.isNaN(x) ? 1 : Math.max(0, Math.min(1, x));
    return Math.round(c * 1000) / 1000.0;
  }

  /**
   * Closeness of a measure to the threshold it must reach, for a measure that qualifies when it is
   * at least {@code threshold}: {@code threshold / value}, 1 at the threshold and falling towards 0
   * as the value grows; 1 for a value of 0 or below.
   */
  static double atLeast(double value, double threshold) {
    return value <= 0 ? 1 : Math.min(1, Math.max(0, threshold) / value);
  }

  /**
   * Closeness of a measure to the threshold it must stay below: {@code value / threshold} for a
   * positive threshold (values at or below 0 give 0), 0 when the threshold is 0 or below (every
   * value then lies at least that far below it).
   */
  static double below(double value, double threshold) {
    return threshold <= 0 ? 0 : Math.min(1, Math.max(0, value) / threshold);
  }

  /**
   * A closed range [min, max] within [0, 1].
   *
   * @param min the smallest difficulty kept
   * @param max the largest difficulty kept
   */
  public record Range(double min, double max) {
    /**
     * @throws IllegalArgumentException unless {@code 0 <= min <= max <= 1}
     */
    public Range {
      if (!(min >= 0 && min <= max && max <= 1)) {
        throw new IllegalArgumentException(
            "a difficulty range needs 0 <= MIN <= MAX <= 1, got " + min + ":" + max);
      }
    }

    /**
     * Parses {@code MIN:MAX}, e.g. {@code 0.2:0.8}.
     *
     * @throws IllegalArgumentException quoting the text if it is not two numbers with {@code 0 <=
     *     MIN <= MAX <= 1}
     */
    public static Range parse(String text) {
      Objects.requireNonNull(text, "text");
      int colon = text.indexOf(':');
      if (colon < 0 || colon != text.lastIndexOf(':')) {
        throw new IllegalArgumentException("'" + text + "' is not MIN:MAX, e.g. 0.2:0.8");
      }
      try {
        return new Range(
            Double.parseDouble(text.substring(0, colon).trim()),
            Double.parseDouble(text.substring(colon + 1).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not MIN:MAX, e.g. 0.2:0.8", e);
      }
    }

    /** Whether {@code d} lies in the range (bounds included). */
    public boolean contains(double d) {
      return d >= min && d <= max;
    }

    /** {@code MIN:MAX} in the shortest form that parses back to this range. */
    @Override
    public String toString() {
      return format(min) + ":" + format(max);
    }

    private static String format(double v) {
      return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : Double.toString(v);
    }
  }

  /**
   * The range that applies to {@code task}: {@value #PARAMETER}{@code .task}, else {@value
   * #PARAMETER}, else null (no filter).
   *
   * @throws IllegalArgumentException naming the parameter if its value is not a range
   */
  public static Range rangeFor(GenerationOptions options, String task) {
    String key = PARAMETER + "." + task;
    String v = options.parameter(key, null);
    if (v == null) {
      key = PARAMETER;
      v = options.parameter(key, null);
    }
    if (v == null) {
      return null;
    }
    try {
      return Range.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  /**
   * The outcome kept by the range filter: a sample whose difficulty lies outside the range of its
   * task becomes a rejection naming the side and the range; anything else is returned as it is.
   *
   * @throws IllegalArgumentException if a range parameter is malformed
   */
  public static Outcome filter(Outcome outcome, GenerationOptions options) {
    if (!(outcome instanceof Sample s)) {
      return outcome;
    }
    Range range = rangeFor(options, s.taskId());
    if (range == null || !(s.metadata().get(KEY) instanceof Number n)) {
      return outcome;
    }
    double d = n.doubleValue();
    if (range.contains(d)) {
      return outcome;
    }
    String side = d < range.min() ? "below" : "above";
    return new Rejection(
        s.sceneId(), s.taskId(), s.taskId() + ": difficulty " + side + " " + range);
  }
}
