package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Group advantages of reward_core.cuh (what the advantage kernel runs), compiled for the host,
 * equal ssrl-verify's GRPO and Dr. GRPO advantages bit for bit.
 */
class AdvantageCoreHostTest {

  @Test
  void grpoAndDrGrpoEqualSsrlVerifyBitForBit() throws Exception {
    SplittableRandom rnd = new SplittableRandom(9);
    int groups = 300;
    int[] off = new int[groups + 1];
    for (int g = 0; g < groups; g++) {
      off[g + 1] = off[g] + rnd.nextInt(17); // includes empty groups and groups of one
    }
    double[] r = new double[off[groups]];
    for (int i = 0; i < r.length; i++) {
      // Reward-like values (0, 0.1, 0.9, 1) mixed with arbitrary ones.
      r[i] = rnd.nextBoolean() ? new double[] {0, 0.1, 0.9, 1}[rnd.nextInt(4)] : rnd.nextDouble();
    }
    for (AdvantageMode mode : AdvantageMode.values()) {
      double[] got = host(r, off, mode);
      double[] want = expected(r, off, mode);
      for (int i = 0; i < r.length; i++) {
        assertEquals(
            Double.doubleToLongBits(want[i]),
            Double.doubleToLongBits(got[i]),
            mode + " advantage " + i + ": " + want[i] + " vs " + got[i]);
      }
    }
  }

  @Test
  void aGroupOfOneOrOfEqualRewardsGetsZero() throws Exception {
    double[] got = host(new double[] {0.9, 1, 1, 1}, new int[] {0, 1, 4}, AdvantageMode.GRPO);
    assertEquals(0.0, got[0]);
    assertEquals(0.0, got[1]);
    assertEquals(0.0, got[3]);
  }

  /**
   * What ssrl-verify computes: {@link dev.ssrl.verify.Advantages} group by group (SPEC §5.2, with
   * exact zeros for groups of one and for groups of equal rewards).
   */
  static double[] expected(double[] r, int[] off, AdvantageMode mode) {
    return RewardCrossCheckTest.CpuRolloutScorerReference.advantages(r, off, mode);
  }

  static double[] host(double[] r, int[] off, AdvantageMode mode) throws Exception {
    int groups = off.length - 1;
    ByteBuffer b =
        ByteBuffer.allocate(16 + 4 * off.length + 8 * r.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(groups).putInt(mode == AdvantageMode.GRPO ? 0 : 1).putDouble(1e-6);
    for (int o : off) {
      b.putInt(o);
    }
    for (double v : r) {
      b.putDouble(v);
    }
    ByteBuffer out =
        ByteBuffer.wrap(HostHarness.run("advantages", b.array())).order(ByteOrder.LITTLE_ENDIAN);
    double[] a = new double[r.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.getDouble();
    }
    return a;
  }
}
