package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ssrl.gpu.RewardCases.Case;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reward kernel on a real GPU gives the reference's scores; skipped, with the reason, where no
 * GPU is usable.
 */
class GpuRolloutScorerTest {
  private static GpuContext context;
  private static GpuRolloutScorer scorer;

  @BeforeAll
  static void open() {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    context = GpuContext.open();
    scorer = new GpuRolloutScorer(context);
  }

  @AfterAll
  static void close() {
    if (scorer != null) {
      scorer.close();
      context.close();
    }
  }

  @Test
  void scoresAll3000ReferenceCasesLikeTheReference() throws Exception {
    assertScores(RewardCases.reference());
  }

  @Test
  void scoresRandomTokenSoupsLikeTheRegexOracle() {
    assertScores(RewardCases.random(20260102L, 20_000, 40));
  }

  @Test
  void scoresAdversarialInputsLikeTheReference() {
    assertScores(RewardCases.adversarial());
  }

  @Test
  void anItemsScoreDoesNotDependOnItsNeighboursInTheBuffer() {
    // Items that end in multi-byte whitespace next to items that start with a delimiter (and the
    // reverse): if a scan crossed an item boundary, normalisation would change the scores.
    List<Case> cases = new ArrayList<>();
    String[] ends = {"\u3000", "\u00a0", "😀", "é", "\\boxed{", "{", "<think>"};
    String[] starts = {"<think>", "/", ">", "}", "\u2003", "A}"};
    for (String e : ends) {
      for (String s : starts) {
        String a = "<think>x</think>\\boxed{A}" + e;
        String b = s + "</think>\\boxed{A}";
        for (String r : new String[] {a, b}) {
          double[] want = PythonReference.score(r, "A", 0.1);
          cases.add(new Case(r, "A", want[0], want[1], want[2]));
        }
      }
    }
    assertScores(cases);
    for (Case c : cases) {
      assertScores(List.of(c));
    }
  }

  @Test
  void advantagesEqualSsrlVerifyBitForBit() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    int groups = 5000;
    int[] off = new int[groups + 1];
    for (int g = 0; g < groups; g++) {
      off[g + 1] = off[g] + rnd.nextInt(17);
    }
    double[] r = new double[off[groups]];
    for (int i = 0; i < r.length; i++) {
      r[i] = rnd.nextBoolean() ? new double[] {0, 0.1, 0.9, 1}[rnd.nextInt(4)] : rnd.nextDouble();
    }
    for (AdvantageMode mode : AdvantageMode.values()) {
      double[] want = AdvantageCoreHostTest.expected(r, off, mode);
      double[] got = scorer.advantages(r, off, mode);
      for (int i = 0; i < r.length; i++) {
        assertEquals(
            Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), mode + " " + i);
      }
    }
  }

  @Test
  void badBatchesAreRefusedBeforeAnyDeviceWork() {
    assertThrows(IllegalArgumentException.class, () -> scorer.score(List.of("a"), List.of(), 0.1));
    assertThrows(
        IllegalArgumentException.class, () -> scorer.score(List.of("a"), List.of("a"), 1.5));
    assertEquals(0, scorer.score(List.of(), List.of(), 0.1).size());
  }

  private static void assertScores(List<Case> cases) {
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (Case c : cases) {
      r.add(c.response());
      t.add(c.truth());
    }
    RolloutScores s = scorer.score(r, t, GpuRolloutScorer.DEFAULT_FORMAT_WEIGHT);
    assertEquals(cases.size(), s.size());
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String what = "case " + i + " " + RewardCoreHostTest.abbreviate(c.response());
      assertEquals(c.format(), s.format(i), "format of " + what);
      assertEquals(c.accuracy(), s.accuracy(i), "accuracy of " + what);
      assertEquals(c.overall(), s.overall(i), "overall of " + what);
    }
  }
}
