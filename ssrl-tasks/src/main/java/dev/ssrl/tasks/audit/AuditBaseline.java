package dev.ssrl.tasks.audit;

import java.util.Objects;

/**
 * One baseline an {@link Audited} task reports: its name in the manifest, where its counts come
 * from in the {@link AuditTally}, its chance level and whether it is a shortcut (one that uses no
 * evidence the task is meant to teach; shortcuts that beat chance by {@link BlindAudit#WARN_MARGIN}
 * warn). Immutable; made by the static factories.
 */
public final class AuditBaseline {
  enum Kind {
    ANSWERS,
    PERMUTATION_ANSWERS,
    DISTINCT_ANSWERS,
    PRIOR,
    HELD_OUT_PRIOR,
    SCORED
  }

  final Kind kind;
  final String name;
  final String source;
  final double chance;
  final boolean shortcut;
  final boolean nameTheGuess;

  private AuditBaseline(
      Kind kind,
      String name,
      String source,
      double chance,
      boolean shortcut,
      boolean nameTheGuess) {
    this.kind = kind;
    this.name = Objects.requireNonNull(name, "name");
    this.source = source;
    this.chance = chance;
    this.shortcut = shortcut;
    this.nameTheGuess = nameTheGuess;
  }

  /**
   * The most frequent answer per group ({@link AuditTally#answer}), a shortcut with a fixed chance
   * level, e.g. 0.25 for four option letters.
   *
   * @throws IllegalArgumentException if {@code chance} is not in [0, 1]
   */
  public static AuditBaseline answers(String name, double chance) {
    return new AuditBaseline(Kind.ANSWERS, name, null, checked(chance), true, true);
  }

  /**
   * The most frequent answer per group, whose chance level is one over the number of distinct
   * answers seen (an upper bound on chance, for an answer space the task does not state).
   */
  public static AuditBaseline answers(String name) {
    return new AuditBaseline(Kind.DISTINCT_ANSWERS, name, null, 0, true, true);
  }

  /**
   * The most frequent answer per group, whose chance level is the mean of 1/k! over the samples
   * ({@link AuditTally#permutationOf}).
   */
  public static AuditBaseline permutationAnswers(String name) {
    return new AuditBaseline(Kind.PERMUTATION_ANSWERS, name, null, 0, true, true);
  }

  /**
   * The most frequent value per group of the prior {@code prior} ({@link AuditTally#count}).
   *
   * @param nameTheGuess whether the report names the guessed value (when there is one group)
   * @throws IllegalArgumentException if {@code chance} is not in [0, 1]
   */
  public static AuditBaseline prior(
      String name, String prior, double chance, boolean shortcut, boolean nameTheGuess) {
    Objects.requireNonNull(prior, "prior");
    return new AuditBaseline(Kind.PRIOR, name, prior, checked(chance), shortcut, nameTheGuess);
  }

  /**
   * The most frequent value per group of the prior {@code prior}, each sample scored by what the
   * <em>other</em> samples of its group make most frequent (leave-one-out; a tie for the top shares
   * the credit, counting the values never seen in the group, {@code round(1 / chance)} in all, when
   * the others are none). This is the cross-validated accuracy of a model that learnt the prior:
   * with G groups the in-sample majority ({@link #prior}) is biased upwards by up to G / n (54 %
   * expected for 24 samples over 8 groups with uniform answers), this estimate is not (25 % there).
   *
   * @throws IllegalArgumentException if {@code chance} is not in (0, 1]
   */
  public static AuditBaseline heldOutPrior(
      String name, String prior, double chance, boolean shortcut) {
    Objects.requireNonNull(prior, "prior");
    if (!(chance > 0)) {
      throw new IllegalArgumentException("chance must be in (0, 1], got " + chance);
    }
    return new AuditBaseline(Kind.HELD_OUT_PRIOR, name, prior, checked(chance), shortcut, false);
  }

  /** A scored heuristic ({@link AuditTally#score}), reported under its own name. */
  public static AuditBaseline scored(String heuristic, boolean shortcut) {
    return new AuditBaseline(Kind.SCORED, heuristic, heuristic, 0, shortcut, false);
  }

  /** The name the manifest reports the baseline under. */
  public String name() {
    return name;
  }

  private static double checked(double chance) {
    if (!(chance >= 0 && chance <= 1)) {
      throw new IllegalArgumentException("chance must be in [0, 1], got " + chance);
    }
    return chance;
  }
}
