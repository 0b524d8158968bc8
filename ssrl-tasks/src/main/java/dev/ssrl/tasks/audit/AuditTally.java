package dev.ssrl.tasks.audit;

import java.util.TreeMap;

/**
 * The counts of one task's samples that an {@link Audited} task adds to. Every count is an integer
 * (credits in twelfths of a sample, {@link #UNIT}, so that expected credits of 1/2, 1/3 and 1/4
 * stay exact), which lets audits merge in any order with the same result. Not thread-safe: the
 * audit hands one to one sample at a time.
 */
public final class AuditTally {
  /** Twelfths: the unit of {@link #score} credits and chance levels. */
  public static final int UNIT = BlindAudit.UNIT;

  private final BlindAudit.Tally t;

  AuditTally(BlindAudit.Tally t) {
    this.t = t;
  }

  /**
   * Counts the sample's answer within a group: the context a blind model can see (e.g. the grid,
   * visible in the image), or {@code ""} for none. Feeds the answer-only baselines ({@link
   * AuditBaseline#answers}).
   */
  public void answer(String group, String answer) {
    t.answers.computeIfAbsent(group, k -> new TreeMap<>()).merge(answer, 1L, Long::sum);
  }

  /**
   * Records that the sample's answer is one of the {@code k!} orders of {@code k} labels, for
   * {@link AuditBaseline#permutationAnswers}, whose chance level is the mean of 1/k! over the
   * samples.
   */
  public void permutationOf(int k) {
    t.permutationSizes.merge(k, 1L, Long::sum);
  }

  /**
   * Counts a value of a named prior within a group, e.g. prior {@code tile}, group {@code ""},
   * value {@code 3}; reported by {@link AuditBaseline#prior}.
   */
  public void count(String prior, String group, String value) {
    t.count(prior, group, value);
  }

  /**
   * Adds one sample to a scored heuristic, reported by {@link AuditBaseline#scored}.
   *
   * @param credit what the heuristic earns on this sample, in twelfths (0 to {@link #UNIT})
   * @param chance what guessing earns on it, in twelfths
   */
  public void score(String heuristic, int credit, int chance) {
    t.score(heuristic).add(credit, chance);
  }

  /**
   * Counts the sample in a descriptive share, e.g. kind {@code compound}, reported as a fraction.
   */
  public void share(String kind) {
    t.shares.merge(kind, 1L, Long::sum);
  }

  /**
   * Attaches a note to the task's report (listed once, with the number of samples that carry it),
   * e.g. that a prior is inherited from a reference dataset rather than made by this generator.
   */
  public void note(String text) {
    t.notes.merge(text, 1L, Long::sum);
  }

  /** A metadata value as a number, or null when it is missing or not a number. */
  public static Double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }

  /** A metadata value as text, or {@code fallback} when it is missing. */
  public static String text(Object value, String fallback) {
    return value == null ? fallback : value.toString();
  }
}
