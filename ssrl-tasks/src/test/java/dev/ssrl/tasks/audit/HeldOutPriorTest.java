package dev.ssrl.tasks.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditBaseline#heldOutPrior}: the leave-one-out majority per group, and task notes.
 * Expected values are worked out by hand from the definition, not by the code under test.
 */
class HeldOutPriorTest {

  /** A task whose samples count their answer under a group named in the metadata. */
  static final class Grouped implements Task, Audited {
    @Override
    public String id() {
      return "grouped";
    }

    @Override
    public AnswerFormat answerFormat() {
      return AnswerFormat.OPTION_LETTER;
    }

    @Override
    public boolean needsDepth() {
      return false;
    }

    @Override
    public Outcome generate(Scene scene, long seed, GenerationOptions options) {
      throw new UnsupportedOperationException("audit only");
    }

    @Override
    public void audit(String answer, Map<String, ?> metadata, AuditTally tally) {
      tally.count("v", String.valueOf(metadata.get("group")), answer);
      tally.count("v.in", String.valueOf(metadata.get("group")), answer);
      if (metadata.containsKey("note")) {
        tally.note(String.valueOf(metadata.get("note")));
      }
    }

    @Override
    public List<AuditBaseline> baselines() {
      return List.of(
          AuditBaseline.heldOutPrior("heldOut", "v", 0.25, true),
          AuditBaseline.prior("inSample", "v.in", 0.25, true, false));
    }
  }

  private static BlindAudit audit(Map<String, List<String>> groups) {
    BlindAudit a = new BlindAudit(List.of(new Grouped()));
    groups.forEach((g, answers) -> answers.forEach(x -> a.add("grouped", x, Map.of("group", g))));
    return a;
  }

  private static double accuracy(BlindAudit a, String name) {
    return Report.baselines(new Grouped().baselines(), tally(a)).stream()
        .filter(b -> b.name().equals(name))
        .findFirst()
        .orElseThrow()
        .accuracy();
  }

  @SuppressWarnings("unchecked")
  private static BlindAudit.Tally tally(BlindAudit a) {
    try {
      var f = BlindAudit.class.getDeclaredField("tasks");
      f.setAccessible(true);
      return ((TreeMap<String, BlindAudit.Tally>) f.get(a)).get("grouped");
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void handWorkedGroups() {
    // One sample alone: the others say nothing, so the guess is one of 4 values: 1/4.
    assertEquals(0.25, accuracy(audit(Map.of("g", List.of("A"))), "heldOut"), 1e-12);
    // 3 A and 1 B: each A is guessed from (2 A, 1 B), the B from (3 A): 3 of 4.
    assertEquals(0.75, accuracy(audit(Map.of("g", List.of("A", "A", "A", "B"))), "heldOut"), 1e-12);
    // 2 A and 2 B: each is guessed from a group where the other value leads: 0.
    assertEquals(0.0, accuracy(audit(Map.of("g", List.of("A", "A", "B", "B"))), "heldOut"));
    // 2 A, 1 B, 1 C: each A from (1 A, 1 B, 1 C), a three-way tie: 1/3 each; B and C: 0.
    assertEquals(
        2 / 3.0 / 4, accuracy(audit(Map.of("g", List.of("A", "A", "B", "C"))), "heldOut"), 1e-12);
    // Four answers once each in one group: the in-sample majority says 1/4, held out 0.
    BlindAudit four = audit(Map.of("g", List.of("A", "B", "C", "D")));
    assertEquals(0.25, accuracy(four, "inSample"), 1e-12);
    assertEquals(0.0, accuracy(four, "heldOut"));
  }

  @Test
  void neverAboveTheInSampleMajorityAndNearChanceForUniformAnswers() {
    qt().withExamples(60)
        .forAll(integers().between(1, 400), integers().between(1, 12), longs().all())
        .checkAssert(
            (n, groups, seed) -> {
              SplittableRandom r = new SplittableRandom(seed);
              BlindAudit a = new BlindAudit(List.of(new Grouped()));
              for (int i = 0; i < n; i++) {
                String answer = String.valueOf((char) ('A' + r.nextInt(4)));
                a.add("grouped", answer, Map.of("group", "g" + r.nextInt(groups)));
              }
              double held = accuracy(a, "heldOut");
              assertTrue(held >= 0 && held <= accuracy(a, "inSample") + 1e-12, held + "");
            });
    // Uniform answers over 8 groups, 24 samples at a time: the in-sample majority is far above
    // chance on average (memorisation), the held-out one is not.
    SplittableRandom r = new SplittableRandom(30);
    double held = 0;
    double in = 0;
    int runs = 400;
    for (int k = 0; k < runs; k++) {
      BlindAudit a = new BlindAudit(List.of(new Grouped()));
      for (int i = 0; i < 24; i++) {
        a.add(
            "grouped",
            String.valueOf((char) ('A' + r.nextInt(4))),
            Map.of("group", "g" + r.nextInt(8)));
      }
      held += accuracy(a, "heldOut") / runs;
      in += accuracy(a, "inSample") / runs;
    }
    assertTrue(in > 0.45, "in-sample " + in);
    assertTrue(Math.abs(held - 0.25) < 0.03, "held out " + held);
  }

  @Test
  @SuppressWarnings("unchecked")
  void notesAreListedWithTheirCountsAndMerge() {
    BlindAudit a = new BlindAudit(List.of(new Grouped()));
    BlindAudit b = new BlindAudit(List.of(new Grouped()));
    a.add("grouped", "A", Map.of("group", "g", "note", "inherited"));
    b.add("grouped", "B", Map.of("group", "g", "note", "inherited"));
    b.add("grouped", "B", Map.of("group", "g"));
    Map<String, Object> tasks = (Map<String, Object>) a.merge(b).toMap().get("tasks");
    Map<String, Object> t = (Map<String, Object>) tasks.get("grouped");
    assertEquals(Map.of("inherited", 2L), t.get("notes"));
  }
}
