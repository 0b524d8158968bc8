package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvantagesTest {
  @Test
  void grpoDividesTheDeviationByTheBesselCorrectedStdPlusEpsilon() {
    // mean 0.5; Bessel std = sqrt(0.5) (two values).
    double std = Math.sqrt(0.5);
    assertArrayEquals(
        new double[] {0.5 / (std + 1e-6), -0.5 / (std + 1e-6)},
        Advantages.grpo(new double[] {1, 0}),
        1e-15);
    // rewards 1, 0, 0, 0: mean 0.25, squares 0.5625 + 3 * 0.0625 = 0.75, std = sqrt(0.25) = 0.5.
    assertArrayEquals(
        new double[] {0.75 / 0.500001, -0.25 / 0.500001, -0.25 / 0.500001, -0.25 / 0.500001},
        Advantages.grpo(new double[] {1, 0, 0, 0}),
        1e-12);
  }

  @Test
  void drGrpoSubtractsTheMeanOnly() {
    assertArrayEquals(
        new double[] {0.75, -0.25, -0.25, -0.25}, Advantages.drGrpo(new double[] {1, 0, 0, 0}));
  }

  @Test
  void aGroupOfOneGetsZero() {
    assertArrayEquals(new double[] {0}, Advantages.grpo(new double[] {0.9}));
    assertArrayEquals(new double[] {0}, Advantages.drGrpo(new double[] {0.9}));
    assertArrayEquals(new double[0], Advantages.grpo(new double[0]));
  }

  @Test
  void equalRewardsGetZero() {
    assertArrayEquals(new double[] {0, 0, 0}, Advantages.grpo(new double[] {0.1, 0.1, 0.1}));
  }

  @Test
  void nonFiniteRewardsAreRejectedNamingTheIndex() {
    for (double bad :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Advantages.grpo(new double[] {0, 1, bad}));
      assertTrue(e.getMessage().contains("index 2"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Advantages.drGrpo(new double[] {bad}));
    }
    assertThrows(IllegalArgumentException.class, () -> Advantages.grpo(null));
  }

  @Test
  void batchesAreNormalisedWithinEachGroupAndKeepInputOrder() {
    double[] rewards = {1, 0.1, 0, 1, 0.5};
    List<String> keys = List.of("p1", "p2", "p1", "p2", "p3");
    double[] a = Advantages.grpo(rewards, keys);
    double[] p1 = Advantages.grpo(new double[] {1, 0});
    double[] p2 = Advantages.grpo(new double[] {0.1, 1});
    assertArrayEquals(new double[] {p1[0], p2[0], p1[1], p2[1], 0}, a);
    double[] d = Advantages.drGrpo(rewards, keys);
    assertArrayEquals(new double[] {0.5, -0.45, -0.5, 0.45, 0}, d, 1e-15);
  }

  @Test
  void batchKeysAreValidated() {
    assertThrows(
        IllegalArgumentException.class, () -> Advantages.grpo(new double[] {1}, List.of()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Advantages.grpo(new double[] {1, 2}, Arrays.asList("a", null)));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Advantages.drGrpo(new double[] {1}, null));
  }

  @Test
  void advantagesOfAGroupSumToZeroAndHaveUnitSampleStdWhenRewardsDiffer() {
    qt().forAll(lists().of(doubles().between(0, 1)).ofSizeBetween(2, 64))
        .checkAssert(
            list -> {
              double[] r = list.stream().mapToDouble(Double::doubleValue).toArray();
              double[] a = Advantages.grpo(r);
              double sum = Arrays.stream(a).sum();
              assertEquals(0, sum, 1e-6 * r.length);
              double spread =
                  Arrays.stream(r).max().getAsDouble() - Arrays.stream(r).min().getAsDouble();
              if (spread > 1e-3) {
                double mean = sum / a.length;
                double ss = Arrays.stream(a).map(x -> (x - mean) * (x - mean)).sum();
                double std = Math.sqrt(ss / (a.length - 1));
                // The epsilon in the divisor shrinks the std by at most a factor 1e-6 / std(r).
                assertEquals(1, std, 1e-2);
              }
              double[] d = Advantages.drGrpo(r);
              assertEquals(0, Arrays.stream(d).sum(), 1e-9 * r.length);
            });
  }
}
