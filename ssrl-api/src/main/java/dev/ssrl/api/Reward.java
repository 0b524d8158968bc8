package dev.ssrl.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The score of one response.
 *
 * @param overall the reward an RL trainer uses, in [0, 1]
 * @param format 1 when the response has the required {@code <think>…</think>…\boxed{…}} shape
 * @param accuracy answer credit in [0, 1] (1 for an exact match)
 * @param details further named values (e.g. partial credit, Kendall's τ); order is kept
 */
public record Reward(double overall, double format, double accuracy, Map<String, Double> details) {
  /**
   * @throws IllegalArgumentException if a value is NaN or outside [0, 1]
   */
  public Reward {
    check("overall", overall);
    check("format", format);
    check("accuracy", accuracy);
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A reward without details. */
  public Reward(double overall, double format, double accuracy) {
    this(overall, format, accuracy, Map.of());
  }

  /** The zero reward. */
  public static Reward zero() {
    return new Reward(0, 0, 0);
  }

  private static void check(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }
}
