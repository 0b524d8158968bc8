package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.audit.BlindAudit;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Position balanced against its wording ({@link PositionAnswers}): the draws are a pure function of
 * the seed with the stated shares; the pair has the wanted kind whenever the metadata says it was
 * found; the answer stays right; the clause in the text is the recorded one; the switch and the
 * original rules keep the earlier clause rule; and the 81k preset's audit says its text prior is
 * inherited.
 */
class PositionAnswersTest {
  private static final String CLAUSE = "ignore the height difference";

  @Test
  void drawsAreDeterministicWithEvenShares() {
    qt().forAll(longs().all()).check(s -> PositionAnswers.draw(s).equals(PositionAnswers.draw(s)));
    int n = 30_000;
    int[] kinds = new int[3];
    int clause = 0;
    int swap = 0;
    for (long s = 0; s < n; s++) {
      PositionAnswers.Draw d = PositionAnswers.draw(s * 0x9E3779B97F4A7C15L);
      kinds[d.kind()]++;
      clause += d.heightClause() ? 1 : 0;
      swap += d.swap() ? 1 : 0;
    }
    for (int k : kinds) {
      assertEquals(1 / 3.0, (double) k / n, 0.015, "kind share");
    }
    assertEquals(0.5, (double) clause / n, 0.015, "clause share");
    assertEquals(0.5, (double) swap / n, 0.015, "swap share");
  }

  private static List<Sample> samples(GenerationOptions options, int perScene) {
    List<Sample> out = new ArrayList<>();
    RelativePositionTask task = new RelativePositionTask();
    for (int i = 0; i < 12; i++) {
      Scene scene = SyntheticScenes.scene(0x7E47L, i, 240, 180);
      for (int k = 0; k < perScene; k++) {
        Outcome o = task.generate(scene, 0x5DEECE66DL * (i * perScene + k + 1), options);
        if (o instanceof Sample s) {
          if (!options.parameter("position.rules", "current").equals("original")) {
            // The answer re-derives from the pair (the original rules have their own test).
            RelativePositionTaskTest.checkSample(scene, s);
          }
          out.add(s);
        }
      }
    }
    return out;
  }

  private static String kindOf(Map<String, Object> m) {
    boolean x =
        Math.abs(((Number) m.get("deltaX")).doubleValue())
            >= ((Number) m.get("thresholdX")).doubleValue();
    boolean z =
        Math.abs(((Number) m.get("deltaZ")).doubleValue())
            >= ((Number) m.get("thresholdZ")).doubleValue();
    return x && z ? "compound" : x ? "x-only" : "z-only";
  }

  @Test
  void theWantedKindIsFoundAndTheClauseIsTheRecordedOne() {
    List<Sample> samples = samples(GenerationOptions.defaults(), 6);
    assertTrue(samples.size() >= 60, "samples: " + samples.size());
    int found = 0;
    for (Sample s : samples) {
      Map<String, Object> m = s.metadata();
      String wanted = (String) m.get("textBalance");
      if (!wanted.endsWith(", none found")) {
        assertEquals(wanted, kindOf(m), s.id());
        found++;
      }
      assertEquals(m.get("heightClause"), s.problem().contains(CLAUSE), s.id());
    }
    assertTrue(found >= samples.size() * 9 / 10, "wanted kind found in " + found);
  }

  @Test
  void switchedOffAndOriginalRulesKeepTheEarlierClauseRule() {
    for (Sample s :
        samples(
            GenerationOptions.defaults().withParameters(Map.of(PositionAnswers.PARAMETER, "false")),
            2)) {
      Map<String, Object> m = s.metadata();
      assertFalse(m.containsKey("textBalance"), s.id());
      assertEquals(!kindOf(m).equals("x-only"), m.get("heightClause"), s.id());
      assertEquals(m.get("heightClause"), s.problem().contains(CLAUSE), s.id());
    }
    BlindAudit audit = new BlindAudit();
    for (Sample s :
        samples(
            GenerationOptions.defaults().withParameters(Map.of("position.rules", "original")), 2)) {
      Map<String, Object> m = s.metadata();
      assertFalse(m.containsKey("textBalance"), s.id());
      assertEquals("far".equals(m.get("pair")), m.get("heightClause"), s.id());
      audit.add(s.taskId(), s.answer(), m);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> position =
        (Map<String, Object>) ((Map<String, Object>) audit.toMap().get("tasks")).get("position");
    assertEquals(
        Map.of(RelativePositionTask.ORIGINAL_TEXT_PRIOR, audit.samples("position")),
        position.get("notes"));
  }
}
