package dev.ssrl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiValuesTest {

  @Test
  void suffixFlagNoneOrEmptyMeansNoSuffixAndAnythingElseIsKept() {
    assertEquals(GenerationOptions.DEFAULT_SUFFIX, GenerationOptions.suffixFromFlag(null));
    assertEquals("", GenerationOptions.suffixFromFlag("none"));
    assertEquals("", GenerationOptions.suffixFromFlag("NONE"));
    assertEquals("", GenerationOptions.suffixFromFlag(""));
    qt().forAll(strings().allPossible().ofLengthBetween(1, 20))
        .assuming(t -> !t.equalsIgnoreCase("none"))
        .checkAssert(t -> assertEquals(t, GenerationOptions.suffixFromFlag(t)));
  }

  @Test
  void rasterRejectsMismatchedLengthNamingTheSizes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Raster.of(2, 2, new byte[11]));
    assertTrue(e.getMessage().contains("2x2x3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Raster.of(0, 2, new byte[0]));
    assertThrows(NullPointerException.class, () -> Raster.of(1, 1, null));
  }

  @Test
  void rasterEqualityComparesPixelsNotArrays() {
    assertEquals(Raster.of(1, 1, new byte[] {1, 2, 3}), Raster.of(1, 1, new byte[] {1, 2, 3}));
    assertNotEquals(Raster.of(1, 1, new byte[] {1, 2, 3}), Raster.of(1, 1, new byte[] {1, 2, 4}));
    assertEquals(0x010203, Raster.of(1, 1, new byte[] {1, 2, 3}).rgbAt(0, 0));
  }

  @Test
  void depthPixelIsInvalidWhenZeroNonFiniteOrMasked() {
    float[] v = {0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f, 2f};
    byte[] mask = {1, 1, 1, 1, 1, 0};
    DepthMap d = DepthMap.of(3, 2, v, mask);
    assertFalse(d.isValid(0));
    assertFalse(d.isValid(1));
    assertFalse(d.isValid(2));
    assertFalse(d.isValid(3));
    assertTrue(d.isValid(4));
    assertFalse(d.isValid(5), "masked out");
    assertEquals(1, d.validCount());
  }

  @Test
  void sceneRefusesDepthOfAnotherSizeNamingTheScene() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Scene("s1", Raster.blank(4, 4), DepthMap.of(4, 3, new float[12])));
    assertTrue(e.getMessage().contains("s1") && e.getMessage().contains("4x3"), e.getMessage());
  }

  @Test
  void sampleChecksOneImagePlaceholderPerImage() {
    Raster r = Raster.blank(1, 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> new Sample("id", "s", "t", "<image> <image>", List.of(r), "a", Map.of()));
    Sample ok = new Sample("id", "s", "t", "x <image> y", List.of(r), "a", Map.of("k", 1));
    assertEquals(1, ok.images().size());
    assertThrows(UnsupportedOperationException.class, () -> ok.metadata().put("x", 2));
  }

  @Test
  void rewardRejectsValuesOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> new Reward(1.1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Reward(Double.NaN, 0, 0));
    assertEquals(0.0, Reward.zero().overall());
  }

  @Test
  void sampleIdJoinsSceneTaskAndVariant() {
    assertEquals("diode-1-depth-3", Samples.id("diode-1", "depth", 3));
    assertThrows(IllegalArgumentException.class, () -> Samples.id("a", "b", -1));
  }

  @Test
  void seedIsAPureFunctionOfItsInputs() {
    qt().forAll(
            longs().all(),
            strings().allPossible().ofLengthBetween(0, 20),
            integers().between(0, 1000))
        .checkAssert(
            (run, scene, variant) ->
                assertEquals(
                    Samples.seed(run, scene, "shuffle", variant),
                    Samples.seed(run, scene, "shuffle", variant)));
  }

  @Test
  void seedsDifferAcrossScenesTasksVariantsAndRuns() {
    Set<Long> seen = new HashSet<>();
    int n = 0;
    for (long run = 0; run < 4; run++) {
      for (int s = 0; s < 50; s++) {
        for (String t : List.of("shuffle", "flip", "crop", "depth", "position")) {
          for (int v = 0; v < 4; v++) {
            seen.add(Samples.seed(run, "scene-" + s, t, v));
            n++;
          }
        }
      }
    }
    assertEquals(n, seen.size(), "every (run, scene, task, variant) gets its own seed");
  }

  @Test
  void optionsKeepDefaultsAndValidateVariant() {
    GenerationOptions o = GenerationOptions.defaults();
    assertEquals("spatial-ssrl", o.profile());
    assertTrue(o.suffix().endsWith("\\boxed{}."));
    assertEquals("x", o.withParameters(Map.of("k", "x")).parameter("k", "y"));
    assertThrows(IllegalArgumentException.class, () -> o.withVariant(-1));
  }

  @Test
  void taskDiscoveryFindsNothingWithoutProvidersAndNamesUnknownIds() {
    ClassLoader empty = new ClassLoader(null) {};
    assertTrue(Tasks.all(empty).isEmpty());
    assertThrows(java.util.NoSuchElementException.class, () -> Tasks.byId("no-such-task"));
  }

  @Test
  void variantCountGivesTheWholePartAlwaysAndTheFractionOnThatShareOfScenes() {
    qt().withExamples(40)
        .forAll(longs().all(), integers().between(0, 6), integers().between(0, 40))
        .checkAssert(
            (run, perScene, tenths) -> {
              double weight = tenths / 10.0;
              double n = perScene * weight;
              int whole = (int) Math.floor(n);
              long total = 0;
              int scenes = 4000;
              for (int i = 0; i < scenes; i++) {
                int c = Samples.variantCount(run, "scene-" + i, "flip", perScene, weight);
                assertTrue(c == whole || c == whole + 1, "count " + c + " for " + n);
                assertEquals(c, Samples.variantCount(run, "scene-" + i, "flip", perScene, weight));
                total += c;
              }
              // Binomial share of scenes with the extra variant: 5 standard deviations.
              double frac = n - whole;
              double sd = Math.sqrt(scenes * frac * (1 - frac));
              assertEquals(n * scenes, total, 5 * sd + 1e-9, "mean count for " + n);
            });
    assertThrows(IllegalArgumentException.class, () -> Samples.variantCount(1, "s", "t", -1, 1));
    assertThrows(
        IllegalArgumentException.class, () -> Samples.variantCount(1, "s", "t", 1, Double.NaN));
  }

  @Test
  void theValidationSplitIsAPerSceneShareOfTheRequestedSize() {
    for (double f : new double[] {0, 0.1, 0.5}) {
      int val = 0;
      for (int i = 0; i < 10_000; i++) {
        boolean v = Samples.inValidation(3, "scene-" + i, f);
        assertEquals(v, Samples.inValidation(3, "scene-" + i, f), "a pure function");
        val += v ? 1 : 0;
      }
      assertEquals(10_000 * f, val, 5 * Math.sqrt(10_000 * f * (1 - f)) + 1e-9, "share " + f);
    }
  }

  @Test
  void defaultOrderSortsByRankAndKeepsTheGivenOrderOfEqualRanks() {
    // Ranks as the built-in tasks declare them (1-5, SPEC order); mirror and zoom keep the default.
    Map<String, Integer> ranks = Map.of("shuffle", 1, "flip", 2, "crop", 3, "depth", 4);
    Map<String, Task> known = new java.util.LinkedHashMap<>();
    for (String id : List.of("crop", "depth", "zoom", "mirror", "flip", "shuffle")) {
      known.put(id, ranked(id, ranks.getOrDefault(id, null)));
    }
    assertEquals(
        List.of("shuffle", "flip", "crop", "depth", "zoom", "mirror"), Tasks.defaultOrder(known));
    assertEquals(List.of(), Tasks.defaultOrder(Map.of()));
    // A built-in task's rank places an extension beside it; of equal ranks, the one given first
    // (mirror, given before flip) comes first.
    known.put("mirror", ranked("mirror", 2));
    assertEquals(
        List.of("shuffle", "mirror", "flip", "crop", "depth", "zoom"), Tasks.defaultOrder(known));
  }

  @Test
  void defaultOrderLeavesOutTheOptInTasksAndKeepsTheOthersInPlace() {
    Map<String, Task> known = new java.util.LinkedHashMap<>();
    known.put("depth", ranked("depth", 4));
    known.put("depth-points", optIn(ranked("depth-points", null)));
    known.put("shuffle", ranked("shuffle", 1));
    known.put("rotation", optIn(ranked("rotation", 2)));
    known.put("mirror", ranked("mirror", null));
    assertEquals(List.of("shuffle", "depth", "mirror"), Tasks.defaultOrder(known));
    // Only opt-in tasks: nothing runs by default.
    assertEquals(List.of(), Tasks.defaultOrder(Map.of("rotation", known.get("rotation"))));
  }

  @Test
  void theCapabilitiesDefaultToWhatAnUnknownTaskGets() {
    Task t = ranked("plain", null);
    assertEquals(Integer.MAX_VALUE, t.defaultRank());
    assertEquals(java.util.Optional.empty(), t.verifier());
    assertEquals(Task.DEFAULT_HEAP_BYTES_PER_PIXEL, t.heapBytesPerPixel());
    assertEquals(0.0, t.presetShare("spatial-ssrl-81k"));
    assertTrue(t.inDefaultRun());
    assertEquals(Map.of(), t.presetParameters("spatial-ssrl-81k"));
    assertEquals(List.of(), t.previewCaptions("A", Map.of(), 2));
  }

  /** The task {@code t}, marked as not run by default. */
  private static Task optIn(Task t) {
    return new Task() {
      @Override
      public String id() {
        return t.id();
      }

      @Override
      public AnswerFormat answerFormat() {
        return t.answerFormat();
      }

      @Override
      public boolean needsDepth() {
        return t.needsDepth();
      }

      @Override
      public Outcome generate(Scene scene, long seed, GenerationOptions options) {
        return t.generate(scene, seed, options);
      }

      @Override
      public int defaultRank() {
        return t.defaultRank();
      }

      @Override
      public boolean inDefaultRun() {
        return false;
      }
    };
  }

  /** A task with an id and, unless null, a rank, run by default: all defaultOrder looks at. */
  private static Task ranked(String id, Integer rank) {
    return new Task() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public AnswerFormat answerFormat() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean needsDepth() {
        return false;
      }

      @Override
      public Outcome generate(Scene scene, long seed, GenerationOptions options) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int defaultRank() {
        return rank == null ? Task.super.defaultRank() : rank;
      }
    };
  }
}
