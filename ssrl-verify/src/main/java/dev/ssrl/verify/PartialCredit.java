package dev.ssrl.verify;

/**
 * How a permutation answer (e.g. {@code 0-2-3-1}) earns credit when it is a valid permutation of
 * the ground truth's labels but not equal to it. An answer that is not a valid permutation of those
 * labels earns nothing in every mode, and an exact match earns 1 in every mode.
 */
public enum PartialCredit {
  /** No partial credit: 1 for an exact match, else 0. */
  EXACT,
  /** The fraction of positions holding the right label. */
  FRACTION,
  /**
   * Kendall's τ between the ground-truth order and the answered order, mapped from [−1, 1] to [0,
   * 1] by (τ + 1) / 2: a fully reversed order earns 0.
   */
  KENDALL
}
