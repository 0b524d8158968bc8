package dev.ssrl.tasks.audit;

import java.util.List;
import java.util.Map;

/**
 * The blind-audit capability of a task: how {@link BlindAudit} counts one of its written samples
 * and which baselines it reports from the counts. A {@link dev.ssrl.api.Task} opts in by
 * implementing this interface too (the ImgLib2 way of stating a capability); the samples of a task
 * that does not get only the answer-only baseline, {@code mostFrequentAnswer}, with one over the
 * distinct answers seen as its chance level.
 *
 * <p>An implementation reads only what a written sample carries, its answer and metadata, and never
 * calls the generator: the audit checks the generator rather than restating it. It must be
 * stateless; the audit calls it from any thread.
 */
public interface Audited {
  /**
   * Counts one written sample.
   *
   * @param answer the sample's answer string
   * @param metadata its metadata as plain maps, lists, strings and numbers (e.g. parsed JSON); a
   *     field a heuristic needs may be missing, which leaves the sample out of that heuristic
   * @param tally where the counts go
   */
  void audit(String answer, Map<String, ?> metadata, AuditTally tally);

  /**
   * The baselines reported for this task, in report order (the answer-only one first, by custom).
   */
  List<AuditBaseline> baselines();
}
