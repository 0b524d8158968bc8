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
  KENDALL,
  /**
   * Neighbour adjacency (Jigsaw-R1 style): the positions form a grid of C columns and R rows filled
   * row-major (one row of K when no grid is given, see {@link Verifiers#permutation(PartialCredit,
   * int, int)}). Every pair of cells side by side, (r, c)–(r, c+1), or one above the other, (r,
   * c)–(r+1, c), makes a true neighbour pair of the two labels the ground truth puts there; there
   * are R(C−1) + C(R−1) of them. The credit is the fraction of these pairs that the answer also
   * places side by side (resp. one above the other) in the same order. It is 1 exactly for the
   * ground truth (the grid is connected, so keeping every pair allows only a translation, and a
   * translated full grid is the grid itself), symmetric in answer and truth, and unchanged when
   * both are mirrored or relabelled alike.
   */
  ADJACENCY
}
