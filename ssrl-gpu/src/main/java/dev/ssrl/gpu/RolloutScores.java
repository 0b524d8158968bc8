package dev.ssrl.gpu;

import dev.ssrl.api.Reward;

/**
 * The reference-compatible rewards of a batch of responses (SPEC §5.1), item by item in input
 * order: format and accuracy are 0 or 1, overall is {@code (1 - formatWeight) * accuracy +
 * formatWeight * format} in double (bit-identical to the reference's values 0, 0.1, 0.9, 1 at the
 * default weight 0.1).
 */
public final class RolloutScores {
  private final float[] format;
  private final float[] accuracy;
  private final double[] overall;

  RolloutScores(float[] format, float[] accuracy, double[] overall) {
    this.format = format;
    this.accuracy = accuracy;
    this.overall = overall;
  }

  /** The number of scored responses. */
  public int size() {
    return overall.length;
  }

  /**
   * The format score (0 or 1) of item {@code i}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in [0, size)
   */
  public float format(int i) {
    return format[i];
  }

  /**
   * The accuracy score (0 or 1) of item {@code i}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in [0, size)
   */
  public float accuracy(int i) {
    return accuracy[i];
  }

  /**
   * The overall reward of item {@code i}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in [0, size)
   */
  public double overall(int i) {
    return overall[i];
  }

  /**
   * Item {@code i} as an API {@link Reward}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in [0, size)
   */
  public Reward reward(int i) {
    return new Reward(overall[i], format[i], accuracy[i]);
  }

  /** A copy of all overall rewards, in input order. */
  public double[] overallArray() {
    return overall.clone();
  }
}
