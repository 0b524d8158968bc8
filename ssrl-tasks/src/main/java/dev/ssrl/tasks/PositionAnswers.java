package dev.ssrl.tasks;

import dev.ssrl.api.GenerationOptions;
import java.util.SplittableRandom;

/**
 * Position answers without a text shortcut (issue 30; {@code position.textBalance}, default true):
 * what {@link RelativePositionTask} draws so that the question text alone (the facing, single or
 * compound options, the height clause) says nothing about the answer direction, and the sample's
 * difficulty.
 *
 * <p>Why. The text fixes the facing and the kind of options, and for each facing the two words of
 * the x axis differ from the two of the depth axis; so when most single-direction answers come from
 * Δx (67–75 % x-only on photos and on the built-in scenes) the most frequent word per facing is
 * right far above chance. Worse, the {@code spatial-ssrl} wording's clause "and ignore the height
 * difference" was added exactly when the answer had a depth component, so the text told the axis
 * and only the sign was left to guess.
 *
 * <p>What is drawn, from a stream of its own seeded from the sample seed ({@link #draw}):
 *
 * <ul>
 *   <li>the kind of answer, x-only, z-only or compound with equal weights, which the pair search
 *       then requires (without {@code ssrl.balance}, whose own kinds win); when the scene has no
 *       such pair within the search budget, any qualifying pair is taken, as without balancing, and
 *       the metadata says so. Equal x-only and z-only shares make every single word equally likely
 *       under every facing;
 *   <li>whether the question carries the height clause, with probability 1/2 whatever the pair;
 *   <li>whether camera and target swap roles, with probability 1/2: a qualifying pair qualifies the
 *       other way round too (both deltas change sign, every test is on their size, and "with
 *       height" stays with height), so the sign of each component is a fair coin whatever the
 *       search found.
 * </ul>
 *
 * <p>The answer is still {@link RelativePositionTask#direction} of the pair written in the
 * metadata, so it stays right by construction. The original rules ({@code position.rules=original},
 * the {@code spatial-ssrl-81k} preset) are left as the 81k data has them; {@code
 * position.textBalance=false} gives the samples of earlier versions.
 */
final class PositionAnswers {
  private PositionAnswers() {}

  /** The generation parameter; true by default. */
  static final String PARAMETER = "position.textBalance";

  /** The kinds of answer, in {@link RelativePositionTask.Want}'s order. */
  static final int[] KIND_WEIGHTS = {1, 1, 1};

  /**
   * One sample's draws.
   *
   * @param kind the wanted kind of answer (index into {@link RelativePositionTask.Want#KINDS})
   * @param heightClause whether the question carries the far-pair height clause
   * @param swap whether camera and target swap roles
   */
  record Draw(int kind, boolean heightClause, boolean swap) {
    /** The wanted kind as a pair-search target with no height condition. */
    RelativePositionTask.Want want() {
      return new RelativePositionTask.Want(kind, null);
    }
  }

  /** Whether {@value #PARAMETER} is on (the default). */
  static boolean enabled(GenerationOptions options) {
    return TaskParameters.bool(options, PARAMETER, true);
  }

  /** The draws of the sample with this seed: a pure function of the seed. */
  static Draw draw(long seed) {
    // Independent of new SplittableRandom(seed) (the pair and marker draws) and of
    // Balance.random(seed) (the --balance targets).
    SplittableRandom r = new SplittableRandom(seed * 0xD1B54A32D192ED03L + 0x2545F4914F6CDD1DL);
    int kind = Balance.pick(r, KIND_WEIGHTS);
    boolean clause = r.nextBoolean();
    boolean swap = r.nextBoolean();
    return new Draw(kind, clause, swap);
  }

  /**
   * The difficulty of a position sample, from the metadata's {@code deltaX}, {@code deltaZ}, {@code
   * thresholdX} and {@code thresholdZ}: per axis the closeness of the component to the threshold
   * that decides whether it is part of the answer, {@code threshold / |Δ|} for a present component
   * and {@code |Δ| / threshold} for an absent one (1 at the threshold from either side, towards 0
   * far from it), and the larger of the two axes: a sample is as hard as its most nearly ambiguous
   * component.
   */
  static double difficulty(double deltaX, double deltaZ, double thresholdX, double thresholdZ) {
    return Difficulty.of(Math.max(axis(deltaX, thresholdX), axis(deltaZ, thresholdZ)));
  }

  private static double axis(double delta, double threshold) {
    double a = Math.abs(delta);
    return a >= threshold ? Difficulty.atLeast(a, threshold) : Difficulty.below(a, threshold);
  }
}
