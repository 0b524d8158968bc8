package dev.ssrl.tasks.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a task's integer tallies into the baselines it declares (accuracy and chance) and the
 * report map.
 */
final class Report {
  private Report() {}

  /**
   * One baseline.
   *
   * @param shortcut whether it uses no evidence the task is meant to teach (such baselines warn)
   * @param guess the answer or value the prior guesses, where there is one (else null)
   */
  record Baseline(
      String name,
      double accuracy,
      double chance,
      long evaluated,
      boolean shortcut,
      String guess) {}

  /** The baselines a task declares, computed from its counts; those without counts are left out. */
  static List<Baseline> baselines(List<AuditBaseline> declared, BlindAudit.Tally t) {
    List<Baseline> out = new ArrayList<>();
    for (AuditBaseline d : declared) {
      Baseline b =
          switch (d.kind) {
            case ANSWERS -> grouped(d.name, t.answers, d.chance, true, true);
            case PERMUTATION_ANSWERS ->
                grouped(d.name, t.answers, permutationChance(t), true, true);
            case DISTINCT_ANSWERS -> grouped(d.name, t.answers, distinctChance(t), true, true);
            case PRIOR ->
                grouped(d.name, t.priors.get(d.source), d.chance, d.shortcut, d.nameTheGuess);
            case HELD_OUT_PRIOR -> heldOut(d.name, t.priors.get(d.source), d.chance, d.shortcut);
            case SCORED -> score(d.name, t, d.shortcut);
          };
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  /** Mean over samples of 1/K!: the answer space of K labels (counting the identity). */
  private static double permutationChance(BlindAudit.Tally t) {
    double sum = 0;
    long n = 0;
    for (Map.Entry<Integer, Long> e : t.permutationSizes.entrySet()) {
      double f = 1;
      for (int i = 2; i <= e.getKey(); i++) {
        f *= i;
      }
      sum += e.getValue() / f;
      n += e.getValue();
    }
    return n == 0 ? 0 : sum / n;
  }

  /** Unknown answer space: one over the distinct answers seen (an upper bound on chance). */
  private static double distinctChance(BlindAudit.Tally t) {
    long distinct = 0;
    for (TreeMap<String, Long> g : t.answers.values()) {
      distinct += g.size();
    }
    return distinct == 0 ? 0 : 1.0 / distinct;
  }

  /**
   * The most frequent value per visible group, scored on all samples: the usual majority baseline.
   * It is an upper bound of what a model that learnt the prior gets on new samples (a small group
   * partly memorises itself; with G groups the excess is below G / n), and, unlike leave-one-out,
   * it does not drop to 0 when two answers tie for the top.
   */
  private static Baseline grouped(
      String name,
      TreeMap<String, TreeMap<String, Long>> groups,
      double chance,
      boolean shortcut,
      boolean nameTheGuess) {
    if (groups == null || groups.isEmpty()) {
      return null;
    }
    long total = 0;
    long best = 0;
    String guess = null;
    for (TreeMap<String, Long> g : groups.values()) {
      long top = -1;
      for (Map.Entry<String, Long> e : g.entrySet()) {
        total += e.getValue();
        if (e.getValue() > top) {
          top = e.getValue();
          guess = e.getKey(); // ties: the first in sorted order
        }
      }
      best += top;
    }
    return new Baseline(
        name,
        total == 0 ? 0 : (double) best / total,
        chance,
        total,
        shortcut,
        nameTheGuess && groups.size() == 1 ? guess : null);
  }

  /**
   * Leave-one-out majority per group ({@link AuditBaseline#heldOutPrior}): a sample of value a in a
   * group with counts c is credited 1/|T| when a is in the top set T of c minus that sample, T
   * counting the {@code round(1 / chance)} - |seen| values never seen when the top count is 0. Sums
   * run over the sorted counts, so merged audits give the same double.
   */
  static Baseline heldOut(
      String name, TreeMap<String, TreeMap<String, Long>> groups, double chance, boolean shortcut) {
    if (groups == null || groups.isEmpty()) {
      return null;
    }
    long values = Math.round(1 / chance);
    long total = 0;
    double credit = 0;
    for (TreeMap<String, Long> g : groups.values()) {
      for (Map.Entry<String, Long> e : g.entrySet()) {
        long own = e.getValue() - 1;
        long top = own;
        for (Map.Entry<String, Long> o : g.entrySet()) {
          if (!o.getKey().equals(e.getKey())) {
            top = Math.max(top, o.getValue());
          }
        }
        long tied = 0;
        for (Map.Entry<String, Long> o : g.entrySet()) {
          long c = o.getKey().equals(e.getKey()) ? own : o.getValue();
          tied += c == top ? 1 : 0;
        }
        if (top == 0) {
          tied += Math.max(0, values - g.size());
        }
        total += e.getValue();
        if (own == top) {
          credit += (double) e.getValue() / tied;
        }
      }
    }
    return new Baseline(name, total == 0 ? 0 : credit / total, chance, total, shortcut, null);
  }

  private static Baseline score(String name, BlindAudit.Tally t, boolean shortcut) {
    BlindAudit.Score s = t.scores.get(name);
    if (s == null || s.evaluated == 0) {
      return null;
    }
    double n = (double) s.evaluated * BlindAudit.UNIT;
    return new Baseline(name, s.credit / n, s.chance / n, s.evaluated, shortcut, null);
  }

  static Map<String, Object> task(List<AuditBaseline> declared, BlindAudit.Tally t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", t.samples);
    Map<String, Object> bs = new LinkedHashMap<>();
    for (Baseline b : baselines(declared, t)) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("accuracy", round(b.accuracy()));
      e.put("chance", round(b.chance()));
      e.put("evaluated", b.evaluated());
      e.put("shortcut", b.shortcut());
      if (b.guess() != null) {
        e.put("guess", b.guess());
      }
      bs.put(b.name(), e);
    }
    m.put("baselines", bs);
    if (!t.shares.isEmpty()) {
      long n = 0;
      for (long v : t.shares.values()) {
        n += v;
      }
      Map<String, Object> sh = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : t.shares.entrySet()) {
        sh.put(e.getKey(), round((double) e.getValue() / n));
      }
      m.put("shares", sh);
    }
    if (!t.notes.isEmpty()) {
      Map<String, Object> notes = new LinkedHashMap<>();
      t.notes.forEach(notes::put);
      m.put("notes", notes);
    }
    return m;
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
