package dev.ssrl.tasks;

import dev.ssrl.api.GenerationOptions;

/**
 * The one parser for task parameters ({@code --param key=value}): numbers in a range, positive
 * numbers and integers, booleans and integer weight lists. Every error is an {@link
 * IllegalArgumentException} whose message names the key, says what was expected and quotes the text
 * given, so that a bad {@code --param} fails the run at its first sample with a message the user
 * can act on. Public so that extension tasks parse their parameters the same way.
 */
public final class TaskParameters {
  private TaskParameters() {}

  /**
   * A number in [{@code min}, {@code max}] from {@code key}, or {@code fallback} when it is unset.
   *
   * @param what the expected value for the message, e.g. {@code "a number in [0, 255]"}
   * @throws IllegalArgumentException if the value is not a number in the range (NaN never is)
   */
  public static double number(
      GenerationOptions options, String key, double fallback, double min, double max, String what) {
    String v = options.parameter(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      double t = Double.parseDouble(v.trim());
      if (t >= min && t <= max) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below, with the key
    }
    throw new IllegalArgumentException(key + " must be " + what + ", got '" + v + "'");
  }

  /**
   * A finite number above 0 from {@code key}, else from the text {@code fallback}.
   *
   * @throws IllegalArgumentException if the value is not a number, or not finite and positive
   */
  public static double positive(GenerationOptions options, String key, String fallback) {
    String text = options.parameter(key, fallback);
    double v;
    try {
      v = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + text + "'", e);
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(key + " must be a positive number, got '" + text + "'");
    }
    return v;
  }

  /**
   * An integer above 0 from {@code key}, else from the text {@code fallback}.
   *
   * @throws IllegalArgumentException if the value is not an integer above 0
   */
  public static int positiveInt(GenerationOptions options, String key, String fallback) {
    String text = options.parameter(key, fallback);
    int v;
    try {
      v = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + " must be a positive integer, got '" + text + "'", e);
    }
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be a positive integer, got '" + text + "'");
    }
    return v;
  }

  /**
   * {@code true} or {@code false} (any case, surrounding spaces ignored) from {@code key}, or
   * {@code fallback} when it is unset.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static boolean bool(GenerationOptions options, String key, boolean fallback) {
    String v = options.parameter(key, null);
    if (v == null) {
      return fallback;
    }
    String t = v.trim();
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    if (t.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + v.trim() + "'");
  }

  /**
   * {@code count} comma-separated non-negative integers with a positive sum below 2^31 from {@code
   * key}, else from the text {@code fallback}.
   *
   * @param what the expected value for the message
   * @throws IllegalArgumentException naming the key and the text for a wrong count, a non-integer,
   *     a negative weight, or a zero or overflowing sum
   */
  public static int[] weights(
      GenerationOptions options, String key, String fallback, int count, String what) {
    String text = options.parameter(key, fallback);
    String why = key + " must be " + what + ", got '" + text + "'";
    String[] parts = text.split(",", -1);
    if (parts.length != count) {
      throw new IllegalArgumentException(why);
    }
    int[] w = new int[count];
    long sum = 0;
    for (int i = 0; i < count; i++) {
      try {
        w[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(why, e);
      }
      if (w[i] < 0) {
        throw new IllegalArgumentException(why);
      }
      sum += w[i];
    }
    if (sum == 0 || sum > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(why + " (the sum must be positive and below 2^31)");
    }
    return w;
  }

  /**
   * One of {@code allowed} (surrounding spaces ignored, case kept) from {@code key}, or {@code
   * fallback} when it is unset.
   *
   * @throws IllegalArgumentException naming the key and the allowed values for any other value
   */
  public static String choice(
      GenerationOptions options, String key, String fallback, String... allowed) {
    String v = options.parameter(key, fallback).trim();
    for (String a : allowed) {
      if (a.equals(v)) {
        return a;
      }
    }
    String list =
        allowed.length == 1
            ? allowed[0]
            : String.join(", ", java.util.Arrays.copyOf(allowed, allowed.length - 1))
                + " or "
                + allowed[allowed.length - 1];
    throw new IllegalArgumentException(key + " must be " + list + ", got '" + v + "'");
  }
}
