package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Reward;
import dev.ssrl.gpu.RewardCases.Case;
import dev.ssrl.verify.SpatialSsrlReward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * AUTO scores on the CPU (the measured faster engine) and says why; the GPU only when asked for and
 * usable; the CPU scorer gives exactly ssrl-verify's rewards and advantages; and where a GPU
 * exists, the GPU scorer gives exactly the CPU scorer's numbers.
 */
class RolloutScorersTest {

  @Test
  void theCpuPreferenceAlwaysGivesTheCpuScorerAndSaysSo() {
    try (RolloutScorer s = RolloutScorers.create(ScorerPreference.CPU)) {
      assertFalse(s.onGpu());
      assertTrue(s.reason().contains("CPU requested"), s.reason());
    }
  }

  @Test
  void autoScoresOnTheCpuWithTheMeasurementAsTheReasonWhateverTheMachine() {
    // The rule (RolloutScorers' comment): the GPU scorer was 8-260x slower end to end on an H200,
    // so AUTO never picks it, with or without a GPU.
    RolloutScorers.Choice c = RolloutScorers.choose(ScorerPreference.AUTO);
    assertFalse(c.gpu());
    assertEquals("cpu", c.engine());
    assertTrue(c.reason().contains("8-19x slower at 1 KB"), c.reason());
    assertTrue(c.reason().contains("160-260x at"), c.reason());
    try (RolloutScorer s = RolloutScorers.create(ScorerPreference.AUTO)) {
      assertFalse(s.onGpu());
      assertEquals(c.reason(), s.reason());
    }
  }

  @Test
  void theChoiceOfEachPreferenceNamesItsEngine() {
    assertEquals("cpu", RolloutScorers.choose(ScorerPreference.CPU).engine());
    RolloutScorers.Choice gpu = RolloutScorers.choose(ScorerPreference.GPU);
    assertTrue(gpu.gpu());
    assertEquals("gpu", gpu.engine());
    assertTrue(gpu.reason().contains("not recommended"), gpu.reason());
    assertThrows(NullPointerException.class, () -> RolloutScorers.choose(null));
  }

  @Test
  void withoutAGpuTheGpuPreferenceFailsWithTheReason() {
    Assumptions.assumeFalse(GpuContext.available(), "this machine has a usable GPU");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RolloutScorers.create(ScorerPreference.GPU));
    assertTrue(e.getMessage().startsWith("no usable GPU: "), e.getMessage());
    assertTrue(e.getMessage().contains(GpuContext.reason()), e.getMessage());
  }

  @Test
  void withAGpuTheGpuPreferenceChoosesIt() {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    try (RolloutScorer s = RolloutScorers.create(ScorerPreference.GPU)) {
      assertTrue(s.onGpu(), s.reason());
      assertTrue(s.reason().startsWith("GPU: "), s.reason());
    }
  }

  @Test
  void theCpuScorerGivesTheSameArraysForAnyListKindAndThreadCount() {
    SplittableRandom rnd = new SplittableRandom(12);
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String s = RewardCrossCheckTest.soup(rnd, 40);
      r.add(s);
      t.add(RewardCrossCheckTest.truthFor(rnd, s));
    }
    ForkJoinPool one = new ForkJoinPool(1);
    ForkJoinPool five = new ForkJoinPool(5);
    try (RolloutScorer a = RolloutScorers.create(ScorerPreference.CPU, one);
        RolloutScorer b = RolloutScorers.create(ScorerPreference.CPU, five)) {
      RolloutScores x = a.score(r, t, 0.1);
      RolloutScores y = b.score(new java.util.LinkedList<>(r), new java.util.LinkedList<>(t), 0.1);
      SpatialSsrlReward verify = SpatialSsrlReward.standard();
      for (int i = 0; i < r.size(); i++) {
        assertEquals(verify.score(r.get(i), t.get(i)), x.reward(i), "item " + i);
        assertEquals(x.reward(i), y.reward(i), "item " + i);
      }
    } finally {
      one.shutdown();
      five.shutdown();
    }
  }

  @Test
  void theCpuScorerEqualsSsrlVerifyOnTheReferenceSoupsAndAdversarialInputs() throws Exception {
    List<Case> cases = new ArrayList<>(RewardCases.reference());
    cases.addAll(RewardCases.adversarial());
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (Case c : cases) {
      r.add(c.response());
      t.add(c.truth());
    }
    SplittableRandom rnd = new SplittableRandom(8);
    for (int i = 0; i < 3000; i++) {
      String s = RewardCrossCheckTest.soup(rnd, 50);
      r.add(s);
      t.add(RewardCrossCheckTest.truthFor(rnd, s));
    }
    r.add(null);
    t.add("None");
    ForkJoinPool pool = new ForkJoinPool(3);
    try (RolloutScorer cpu = RolloutScorers.create(ScorerPreference.CPU, pool)) {
      for (double w : new double[] {0.1, 0.25, 1}) {
        RolloutScores got = cpu.score(r, t, w);
        SpatialSsrlReward verify = SpatialSsrlReward.withFormatWeight(w);
        assertEquals(r.size(), got.size());
        for (int i = 0; i < r.size(); i++) {
          Reward want = verify.score(r.get(i), t.get(i));
          assertEquals(want, got.reward(i), "item " + i + " w=" + w);
          assertEquals(
              Double.doubleToLongBits(want.overall()), Double.doubleToLongBits(got.overall(i)));
        }
      }
      // The reference's own answers on its 3,000 cases, at its weight.
      RolloutScores ref = cpu.score(r, t, 0.1);
      for (int i = 0; i < 3000; i++) {
        assertEquals(cases.get(i).overall(), ref.overall(i), "reference case " + i);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theCpuScorersAdvantagesEqualSsrlVerifyGroupByGroup() {
    SplittableRandom rnd = new SplittableRandom(4);
    int[] off = new int[301];
    for (int g = 0; g < 300; g++) {
      off[g + 1] = off[g] + rnd.nextInt(9);
    }
    double[] r = new double[off[300]];
    for (int i = 0; i < r.length; i++) {
      r[i] = new double[] {0, 0.1, 0.9, 1}[rnd.nextInt(4)];
    }
    try (RolloutScorer cpu = RolloutScorers.create(ScorerPreference.CPU)) {
      for (AdvantageMode mode : AdvantageMode.values()) {
        double[] got = cpu.advantages(r, off, mode);
        double[] want = RewardCrossCheckTest.CpuRolloutScorerReference.advantages(r, off, mode);
        assertTrue(Arrays.equals(want, got), mode.toString());
      }
    }
  }

  @Test
  void theCpuScorerRefusesTheBatchesTheGpuScorerRefuses() {
    try (RolloutScorer cpu = RolloutScorers.create(ScorerPreference.CPU)) {
      assertThrows(IllegalArgumentException.class, () -> cpu.score(List.of("a"), List.of(), 0.1));
      assertThrows(
          IllegalArgumentException.class, () -> cpu.score(List.of("a"), List.of("a"), 1.5));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> cpu.score(List.of("a", "b"), Arrays.asList("a", null), 0.1));
      assertTrue(e.getMessage().contains("ground truths[1]"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> cpu.advantages(new double[] {1, 2}, new int[] {0, 1}, AdvantageMode.GRPO));
      assertThrows(
          IllegalArgumentException.class,
          () -> cpu.advantages(new double[] {Double.NaN}, new int[] {0, 1}, AdvantageMode.GRPO));
      assertEquals(0, cpu.score(List.of(), List.of(), 0.1).size());
    }
  }

  @Test
  void whereAGpuExistsItsScorerEqualsTheCpuScorer() throws Exception {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    SplittableRandom rnd = new SplittableRandom(10);
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String s = RewardCrossCheckTest.soup(rnd, i % 100 == 0 ? 3000 : 60);
      r.add(s);
      t.add(RewardCrossCheckTest.truthFor(rnd, s));
    }
    int[] off = new int[2001];
    for (int g = 0; g < 2000; g++) {
      off[g + 1] = off[g] + 10;
    }
    try (RolloutScorer gpu = RolloutScorers.create(ScorerPreference.GPU);
        RolloutScorer cpu = RolloutScorers.create(ScorerPreference.CPU)) {
      RolloutScores a = gpu.score(r, t, 0.1);
      RolloutScores b = cpu.score(r, t, 0.1);
      for (int i = 0; i < r.size(); i++) {
        assertEquals(b.reward(i), a.reward(i), "item " + i);
      }
      for (AdvantageMode mode : AdvantageMode.values()) {
        assertTrue(
            Arrays.equals(
                cpu.advantages(b.overallArray(), off, mode),
                gpu.advantages(a.overallArray(), off, mode)),
            mode.toString());
      }
    }
  }
}
