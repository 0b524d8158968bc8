package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Sample difficulty (docs/difficulty.md): in [0, 1] with 3 decimals, the metadata's last task key,
 * deterministic, re-derived here from the other metadata by the documented formulas (written out
 * again on purpose), and monotone in its measure over generated scenes; and the range filter that
 * {@code --difficulty} sets.
 */
class DifficultyTest {
  private static final int SCENES = 16;

  private static List<Sample> samples(Task task, GenerationOptions options) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SyntheticScenes.scene(0xD1FFL, i, 200, 150);
      for (int k = 0; k < 3; k++) {
        long seed = 0x9E3779B97F4A7C15L * (3 * i + k + 1);
        Outcome o = task.generate(scene, seed, options);
        // Deterministic: the same arguments give the same sample, difficulty included.
        assertEquals(o, task.generate(scene, seed, options));
        if (o instanceof Sample s) {
          out.add(s);
        }
      }
    }
    assertTrue(out.size() >= SCENES, task.id() + ": too few samples to say anything");
    return out;
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private static double rounded(double x) {
    return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000.0;
  }

  /**
   * Every sample's difficulty is in [0, 1] with at most 3 decimals, follows the other task keys and
   * equals {@code formula} of its metadata; over the samples it never rises as {@code measure}
   * (where the easier direction is a larger measure) grows.
   */
  private static void check(
      List<Sample> samples,
      ToDoubleFunction<Map<String, Object>> formula,
      ToDoubleFunction<Map<String, Object>> measure) {
    for (Sample s : samples) {
      Map<String, Object> m = s.metadata();
      double d = num(m.get(Difficulty.KEY));
      assertTrue(d >= 0 && d <= 1, s.id() + " " + d);
      assertEquals(d, Math.round(d * 1000) / 1000.0, s.id() + " has 3 decimals");
      List<String> keys = new ArrayList<>(m.keySet());
      assertEquals(Difficulty.KEY, keys.get(keys.size() - 1), "difficulty is appended last");
      assertEquals(rounded(formula.applyAsDouble(m)), d, s.id() + " re-derived: " + m);
    }
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparingDouble(s -> measure.applyAsDouble(s.metadata())));
    for (int i = 1; i < sorted.size(); i++) {
      double before = num(sorted.get(i - 1).metadata().get(Difficulty.KEY));
      double after = num(sorted.get(i).metadata().get(Difficulty.KEY));
      assertTrue(after <= before, "not monotone: " + before + " then " + after);
    }
  }

  @Test
  void flipIsThresholdOverDifference() {
    check(
        samples(new FlipTask(), GenerationOptions.defaults()),
        m -> num(m.get("threshold")) / num(m.get("difference")),
        m -> num(m.get("difference")));
  }

  @SuppressWarnings("unchecked")
  private static double cropCloseness(Map<String, Object> m) {
    List<Object> diffs = (List<Object>) m.get("slotDifferences");
    List<Object> sims = (List<Object>) m.get("slotSimilarities");
    int answer = (int) num(m.get("answerSlot"));
    double d = 0;
    for (int i = 0; i < 4; i++) {
      if (i != answer) {
        d = Math.max(d, num(m.get("threshold")) / num(diffs.get(i)));
        d = Math.max(d, Math.max(0, num(sims.get(i))) / num(m.get("similarityThreshold")));
      }
    }
    return d;
  }

  @Test
  void cropIsTheClosestDistractorToEitherSkipRule() {
    check(
        samples(new CropTask(), GenerationOptions.defaults()),
        DifficultyTest::cropCloseness,
        m -> -cropCloseness(m));
  }

  @SuppressWarnings("unchecked")
  private static double depthGap(Map<String, Object> m) {
    // Regions are listed by label; the band order is the depth order.
    List<Map<String, Object>> regions =
        new ArrayList<>((List<Map<String, Object>>) m.get("regions"));
    regions.sort(Comparator.comparingDouble(r -> num(r.get("bandLow"))));
    double gap = Double.POSITIVE_INFINITY;
    for (int b = 0; b < 2; b++) {
      gap =
          Math.min(
              gap, num(regions.get(b + 1).get("minDepth")) - num(regions.get(b).get("maxDepth")));
    }
    return gap;
  }

  @Test
  void depthIsTheSmallestGapBetweenSeparationAndHalf() {
    List<Sample> samples = samples(new DepthOrderingTask(), GenerationOptions.defaults());
    for (Sample s : samples) {
      assertEquals(depthGap(s.metadata()), num(s.metadata().get("depthGap")), s.id());
      assertTrue(depthGap(s.metadata()) > 0.05, "separated: " + s.id());
    }
    check(samples, m -> (0.5 - depthGap(m)) / 0.45, DifficultyTest::depthGap);
  }

  private static double positionCloseness(Map<String, Object> m) {
    double d = 0;
    for (String axis : List.of("X", "Z")) {
      double delta = Math.abs(num(m.get("delta" + axis)));
      double threshold = num(m.get("threshold" + axis));
      d = Math.max(d, delta >= threshold ? threshold / delta : delta / threshold);
    }
    return d;
  }

  @Test
  void positionIsTheMostNearlyAmbiguousComponent() {
    for (GenerationOptions o :
        List.of(
            GenerationOptions.defaults(),
            GenerationOptions.defaults().withParameters(Map.of("position.rules", "original")))) {
      check(
          samples(new RelativePositionTask(), o),
          DifficultyTest::positionCloseness,
          m -> -positionCloseness(m));
    }
  }

  @Test
  void difficultyIsClampedAndRounded() {
    qt().forAll(doubles().between(-10, 10))
        .check(
            x -> {
              double d = Difficulty.of(x);
              return d >= 0 && d <= 1 && d == Math.round(d * 1000) / 1000.0;
            });
    assertEquals(1.0, Difficulty.of(Double.NaN));
    // The task formulas are monotone in their measure, generated or not.
    qt().forAll(doubles().between(0.001, 300), doubles().between(0.001, 300))
        .check(
            (a, b) ->
                a > b
                    || FlipTask.difficulty(a, 8) >= FlipTask.difficulty(b, 8)
                        && DepthOrderingTask.difficulty(a / 300)
                            >= DepthOrderingTask.difficulty(b / 300));
  }

  @Test
  void rangesParseBackAndBadOnesAreNamed() {
    qt().forAll(integers().between(0, 1000), integers().between(0, 1000))
        .check(
            (a, b) -> {
              Difficulty.Range r =
                  new Difficulty.Range(Math.min(a, b) / 1000.0, Math.max(a, b) / 1000.0);
              return Difficulty.Range.parse(r.toString()).equals(r);
            });
    for (String bad : List.of("0.5", "a:b", "0.8:0.2", "-1:0.5", "0:2", "0:1:1", "NaN:1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Difficulty.Range.parse(bad));
      assertTrue(e.getMessage().contains("MIN"), e.getMessage());
    }
    GenerationOptions o =
        GenerationOptions.defaults().withParameters(Map.of("ssrl.difficulty.depth", "x"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Difficulty.rangeFor(o, "depth"));
    assertTrue(e.getMessage().startsWith("ssrl.difficulty.depth: "), e.getMessage());
  }

  private static Sample withDifficulty(String task, Double d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", 1);
    if (d != null) {
      m.put(Difficulty.KEY, d);
    }
    return new Sample(
        "s-" + task, "s", task, "<image>q", List.of(Raster.of(1, 1, new byte[3])), "A", m);
  }

  @Test
  void theFilterKeepsExactlyTheSamplesInTheTasksRange() {
    qt().forAll(
            integers().between(0, 1000), integers().between(0, 1000), integers().between(0, 1000))
        .check(
            (a, b, x) -> {
              double min = Math.min(a, b) / 1000.0;
              double max = Math.max(a, b) / 1000.0;
              double d = x / 1000.0;
              Map<String, String> p = new LinkedHashMap<>();
              // A per-task range wins over the global one; other tasks keep the global one.
              p.put(Difficulty.PARAMETER, "0:0");
              p.put(Difficulty.PARAMETER + ".depth", min + ":" + max);
              GenerationOptions o = GenerationOptions.defaults().withParameters(p);
              Outcome out = Difficulty.filter(withDifficulty("depth", d), o);
              boolean kept = out instanceof Sample;
              boolean named =
                  kept
                      || ((Rejection) out)
                          .reason()
                          .equals(
                              "depth: difficulty "
                                  + (d < min ? "below " : "above ")
                                  + new Difficulty.Range(min, max));
              Outcome other = Difficulty.filter(withDifficulty("flip", d), o);
              return kept == (d >= min && d <= max)
                  && named
                  && (other instanceof Sample) == (d == 0);
            });
    GenerationOptions o =
        GenerationOptions.defaults().withParameters(Map.of(Difficulty.PARAMETER, "0.5:0.6"));
    Sample without = withDifficulty("flip", null);
    assertSame(without, Difficulty.filter(without, o), "a sample without the key is kept");
    Rejection r = new Rejection("s", "flip", "flip: no tile");
    assertSame(r, Difficulty.filter(r, o));
  }

  @Test
  void sizingAppliesTheRangeToWhatItWouldWrite() {
    Scene scene = SyntheticScenes.scene(7, 3, 320, 240);
    Sizing.Fitted fitted = Sizing.EASYR1.fit(scene);
    Task depth = new DepthOrderingTask();
    Sample free = (Sample) fitted.generate(depth, 42, GenerationOptions.defaults());
    double d = num(free.metadata().get(Difficulty.KEY));
    GenerationOptions keep =
        GenerationOptions.defaults().withParameters(Map.of("ssrl.difficulty", d + ":" + d));
    assertEquals(free, fitted.generate(depth, 42, keep));
    double above = Math.min(1, d + 0.001);
    GenerationOptions drop =
        GenerationOptions.defaults().withParameters(Map.of("ssrl.difficulty.depth", above + ":1"));
    Rejection r = assertInstanceOf(Rejection.class, fitted.generate(depth, 42, drop));
    assertEquals("depth: difficulty below " + new Difficulty.Range(above, 1), r.reason());
  }
}
