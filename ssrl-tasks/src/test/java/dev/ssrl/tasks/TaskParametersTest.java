package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.ssrl.api.GenerationOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared parameter parser: accepts exactly the documented values, names the key otherwise. */
class TaskParametersTest {
  private static GenerationOptions with(String key, String value) {
    return GenerationOptions.defaults().withParameters(Map.of(key, value));
  }

  @Test
  void aNumberIsAcceptedExactlyWhenItLiesInTheRange() {
    qt().forAll(doubles().between(-1000, 1000))
        .checkAssert(
            v -> {
              GenerationOptions o = with("k", " " + v + " ");
              if (v >= 0 && v <= 255) {
                assertEquals(
                    (double) v, TaskParameters.number(o, "k", -1, 0, 255, "a number in [0, 255]"));
              } else {
                IllegalArgumentException e =
                    assertThrows(
                        IllegalArgumentException.class,
                        () -> TaskParameters.number(o, "k", -1, 0, 255, "a number in [0, 255]"));
                assertEquals("k must be a number in [0, 255], got ' " + v + " '", e.getMessage());
              }
            });
  }

  @Test
  void unsetKeysGiveTheFallbackAndNaNOrTextIsRejected() {
    GenerationOptions none = GenerationOptions.defaults();
    assertEquals(7.5, TaskParameters.number(none, "k", 7.5, 0, 10, "x"));
    assertEquals(true, TaskParameters.bool(none, "k", true));
    for (String bad : new String[] {"NaN", "", "1e400", "0x10", "ten"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TaskParameters.number(with("k", bad), "k", 0, 0, 10, "a number in [0, 10]"),
              bad);
      assertTrue(e.getMessage().startsWith("k must be a number in [0, 10]"), e.getMessage());
    }
  }

  @Test
  void positiveIntegersAndNumbers() {
    qt().forAll(integers().between(-100_000, 100_000))
        .checkAssert(
            v -> {
              GenerationOptions o = with("n", Integer.toString(v));
              if (v > 0) {
                assertEquals(v, TaskParameters.positiveInt(o, "n", "1"));
                assertEquals((double) v, TaskParameters.positive(o, "n", "1"));
              } else {
                assertThrows(
                    IllegalArgumentException.class, () -> TaskParameters.positiveInt(o, "n", "1"));
                assertThrows(
                    IllegalArgumentException.class, () -> TaskParameters.positive(o, "n", "1"));
              }
            });
    assertThrows(
        IllegalArgumentException.class,
        () -> TaskParameters.positive(with("n", "Infinity"), "n", "1"));
    assertEquals(256, TaskParameters.positiveInt(GenerationOptions.defaults(), "n", "256"));
  }

  @Test
  void booleansAreTrueOrFalseInAnyCaseAndNothingElse() {
    qt().forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 6))
        .checkAssert(
            s -> {
              GenerationOptions o = with("b", s);
              String t = s.trim();
              if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                assertEquals(t.equalsIgnoreCase("true"), TaskParameters.bool(o, "b", false));
              } else {
                IllegalArgumentException e =
                    assertThrows(
                        IllegalArgumentException.class, () -> TaskParameters.bool(o, "b", false));
                assertTrue(e.getMessage().startsWith("b must be true or false"), e.getMessage());
              }
            });
  }

  @Test
  void weightsRoundTripAndBadListsNameTheKey() {
    qt().forAll(
            integers().between(0, 1000), integers().between(0, 1000), integers().between(1, 1000))
        .checkAssert(
            (a, b, c) ->
                assertArrayEquals(
                    new int[] {a, b, c},
                    TaskParameters.weights(
                        with("w", a + ", " + b + "," + c), "w", "1,1,1", 3, "w3")));
    for (String bad :
        new String[] {"1,1", "1,1,1,1", "0,0,0", "1,-1,1", "a,b,c", "2147483647,1,0"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TaskParameters.weights(with("w", bad), "w", "1,1,1", 3, "three weights"),
              bad);
      assertTrue(e.getMessage().startsWith("w must be three weights, got '" + bad + "'"), bad);
    }
  }

  @Test
  void aChoiceIsOneOfTheAllowedValuesOrAnErrorListingThem() {
    assertEquals(
        "original",
        TaskParameters.choice(with("r", " original "), "r", "current", "current", "original"));
    assertEquals(
        "current",
        TaskParameters.choice(GenerationOptions.defaults(), "r", "current", "current", "original"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TaskParameters.choice(with("r", "Original"), "r", "a", "a", "b", "original"));
    assertEquals("r must be a, b or original, got 'Original'", e.getMessage());
  }
}
