package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Balanced generation ({@code ssrl.balance=true}) keeps every invariant of the unbalanced tasks
 * (the same re-derivations from the depth map as their own property tests) and meets the target it
 * drew.
 */
class BalanceTest {
  private static final GenerationOptions BALANCED =
      GenerationOptions.defaults().withParameters(Map.of("ssrl.balance", "true"));

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> regions(Sample s) {
    return (List<Map<String, Object>>) s.metadata().get("regions");
  }

  @Test
  void balancedDepthSamplesKeepEveryRuleAndContradictHeightWhenTheyMust() {
    AtomicInteger against = new AtomicInteger();
    AtomicInteger withHeight = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    qt().withExamples(60)
        .forAll(integers().between(64, 180), integers().between(64, 180), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Scene scene = DepthOrderingTaskFixtures.randomScene(seed, w, h);
              Outcome o = new DepthOrderingTask().generate(scene, seed ^ 0x5DEECE66DL, BALANCED);
              if (o instanceof Rejection r) {
                assertTrue(r.reason().startsWith("depth: "), r.reason());
                return;
              }
              Sample s = (Sample) o;
              accepted.incrementAndGet();
              DepthOrderingTaskTest.checkSample(scene, s);
              String balance = (String) s.metadata().get("balance");
              assertTrue(
                  balance.equals("against-height")
                      || balance.equals("with-height")
                      || balance.equals("free"),
                  balance);
              if (balance.equals("against-height")) {
                against.incrementAndGet();
                assertTrue(contradictsHeight(s), "a nearer region lies higher: " + regions(s));
              } else if (balance.equals("with-height")) {
                withHeight.incrementAndGet();
                assertTrue(!contradictsHeight(s), "no nearer region lies higher: " + regions(s));
              }
            });
    assertTrue(accepted.get() >= 6, "too few accepted: " + accepted.get());
    assertTrue(against.get() >= 1, "no sample was drawn against height");
    assertTrue(withHeight.get() >= 1, "no sample was drawn with height");
  }

  /** Whether some nearer region lies strictly higher in the image than the next farther one. */
  static boolean contradictsHeight(Sample s) {
    List<Map<String, Object>> byDepth = new ArrayList<>(regions(s));
    byDepth.sort(Comparator.comparingDouble(m -> num(m.get("meanDepth"))));
    boolean contradicts = false;
    for (int i = 0; i < 2; i++) {
      contradicts |= num(byDepth.get(i).get("y")) < num(byDepth.get(i + 1).get("y"));
    }
    return contradicts;
  }

  /**
   * Balancing draws its target from its own stream: a balanced sample whose target the unbalanced
   * sample already meets is the unbalanced sample plus its balance entry.
   */
  @Test
  void aBalancedSampleWhoseTargetTheUnbalancedDrawMeetsIsThatSample() {
    int same = 0;
    for (long seed = 0; seed < 60; seed++) {
      Scene scene = DepthOrderingTaskFixtures.randomScene(seed, 120, 100);
      Outcome b = new DepthOrderingTask().generate(scene, seed, BALANCED);
      Outcome uo = new DepthOrderingTask().generate(scene, seed, GenerationOptions.defaults());
      if (!(b instanceof Sample bs) || !(uo instanceof Sample u)) {
        continue;
      }
      String kind = (String) bs.metadata().get("balance");
      // A free fallback has spent the balanced draws first: it is valid but not the same draw.
      boolean met = !kind.equals("free") && kind.equals("against-height") == contradictsHeight(u);
      if (!met) {
        continue;
      }
      same++;
      Map<String, Object> meta = new LinkedHashMap<>(bs.metadata());
      meta.remove("balance");
      assertEquals(u.metadata(), meta, "seed " + seed);
      assertEquals(u.answer(), bs.answer());
      assertEquals(u.images(), bs.images());
    }
    assertTrue(same >= 3, "too few samples whose target the unbalanced draw met: " + same);
  }

  @Test
  @SuppressWarnings("unchecked")
  void balancedPositionSamplesKeepEveryRuleAndHaveTheKindTheyDrew() {
    AtomicInteger accepted = new AtomicInteger();
    qt().withExamples(60)
        .forAll(integers().between(64, 200), integers().between(64, 200), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Scene scene = DepthOrderingTaskFixtures.randomScene(seed, w, h);
              Outcome o = new RelativePositionTask().generate(scene, seed * 31 + 7, BALANCED);
              if (o instanceof Rejection r) {
                assertTrue(r.reason().startsWith("position: "), r.reason());
                return;
              }
              Sample s = (Sample) o;
              accepted.incrementAndGet();
              RelativePositionTaskTest.checkSample(scene, s);
              Map<String, Object> meta = s.metadata();
              boolean x = Math.abs(num(meta.get("deltaX"))) >= num(meta.get("thresholdX"));
              boolean z = Math.abs(num(meta.get("deltaZ"))) >= num(meta.get("thresholdZ"));
              String kind = x && z ? "compound" : x ? "x-only" : "z-only";
              String balance = (String) meta.get("balance");
              assertTrue(balance.startsWith(kind), balance + " vs " + kind);
              if (z) {
                double dy =
                    num(((Map<String, Object>) meta.get("target")).get("y"))
                        - num(((Map<String, Object>) meta.get("camera")).get("y"));
                double dz = num(meta.get("deltaZ"));
                boolean follows = dy < 0 && dz > 0 || dy > 0 && dz < 0;
                boolean contradicts = dy > 0 && dz > 0 || dy < 0 && dz < 0;
                assertTrue(
                    balance.endsWith(", with height") ? follows : contradicts,
                    balance + " dy=" + dy + " dz=" + dz);
              }
            });
    assertTrue(accepted.get() >= 10, "too few accepted: " + accepted.get());
  }

  @Test
  void balancedOptionLettersAndDepthLabelsStayUniform() {
    Scene scene = null;
    for (long k = 0; scene == null; k++) {
      Scene c = DepthOrderingTaskFixtures.randomScene(k, 200, 160);
      if (new DepthOrderingTask().generate(c, 1, GenerationOptions.defaults()) instanceof Sample) {
        scene = c; // the first random scene with three depth regions
      }
    }
    int[] letters = new int[4];
    Map<String, Integer> perms = new LinkedHashMap<>();
    int positions = 0;
    int depths = 0;
    for (long seed = 0; seed < 600; seed++) {
      if (new RelativePositionTask().generate(scene, seed, BALANCED) instanceof Sample s) {
        letters[s.answer().charAt(0) - 'A']++;
        positions++;
      }
      if (new DepthOrderingTask().generate(scene, seed, BALANCED) instanceof Sample s) {
        perms.merge(s.answer(), 1, Integer::sum);
        depths++;
      }
    }
    assertTrue(positions >= 200 && depths >= 200, positions + " / " + depths);
    // Uniform letters: each within 4.5 standard deviations of n/4 (fixed seeds, so no flakiness).
    for (int c : letters) {
      double sd = Math.sqrt(positions * 0.25 * 0.75);
      assertTrue(Math.abs(c - positions / 4.0) < 4.5 * sd, java.util.Arrays.toString(letters));
    }
    assertEquals(6, perms.size(), perms.toString());
    for (int c : perms.values()) {
      double sd = Math.sqrt(depths * (1 / 6.0) * (5 / 6.0));
      assertTrue(Math.abs(c - depths / 6.0) < 4.5 * sd, perms.toString());
    }
  }

  @Test
  void badBalanceParametersNameTheKey() {
    Scene scene = DepthOrderingTaskFixtures.randomScene(1, 100, 100);
    for (Map<String, String> p :
        List.of(
            Map.of("ssrl.balance", "yes"),
            Map.of("ssrl.balance", "true", "depth.balance.against", "1.5"),
            Map.of("ssrl.balance", "true", "position.balance.kinds", "1,1"),
            Map.of("ssrl.balance", "true", "position.balance.withHeight", "x"))) {
      GenerationOptions o = GenerationOptions.defaults().withParameters(p);
      String key = p.keySet().stream().filter(k -> !p.get(k).equals("true")).findFirst().get();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> {
                new DepthOrderingTask().generate(scene, 1, o);
                new RelativePositionTask().generate(scene, 1, o);
              });
      assertTrue(e.getMessage().startsWith(key), e.getMessage());
    }
  }
}
