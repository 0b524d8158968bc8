package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardPropertiesTest {
  private static final List<Verifier> ALL =
      List.of(
          Verifiers.reference(),
          Verifiers.optionLetter(),
          Verifiers.permutation(PartialCredit.EXACT),
          Verifiers.permutation(PartialCredit.FRACTION),
          Verifiers.permutation(PartialCredit.KENDALL),
          SpatialSsrlReward.withFormatWeight(0.37));

  @Test
  void formatCheckMatchesTheReferenceRegexOnNormalisedText() {
    qt().withExamples(3000)
        .forAll(Gens.soup(14))
        .checkAssert(s -> assertEquals(PythonOracle.format(s), SpatialSsrlReward.hasFormat(s), s));
  }

  @Test
  void extractionMatchesTheReferenceAlgorithmOnNormalisedText() {
    qt().withExamples(3000)
        .forAll(Gens.soup(14))
        .checkAssert(
            s -> assertEquals(PythonOracle.extract(s), SpatialSsrlReward.extractAnswer(s), s));
  }

  @Test
  void accuracyIsOneExactlyWhenTheOracleExtractionEqualsTheTruth() {
    qt().withExamples(2000)
        .forAll(Gens.soup(12), arbitrary().pick("2-1-3", "a", "", "None", "1/2", "{", "a b"))
        .checkAssert(
            (s, truth) ->
                assertEquals(
                    // Deliberate deviation: an empty response scores zero (the Verifier contract)
                    // even against the truth "None", which the reference would match.
                    !s.isEmpty() && PythonOracle.extract(s).equals(truth) ? 1.0 : 0.0,
                    SpatialSsrlReward.standard().score(s, truth).accuracy(),
                    s));
  }

  @Test
  void normalisationMatchesTheReferenceSubstitution() {
    qt().forAll(Gens.soup(20))
        .checkAssert(s -> assertEquals(PythonOracle.normalise(s), SpatialSsrlReward.normalize(s)));
  }

  @Test
  void normalisationIsIdempotent() {
    qt().forAll(Gens.soup(20))
        .checkAssert(
            s -> {
              String once = SpatialSsrlReward.normalize(s);
              assertEquals(once, SpatialSsrlReward.normalize(once));
            });
    qt().forAll(Gens.anyUnits(40))
        .checkAssert(
            s -> {
              String once = SpatialSsrlReward.normalize(s);
              assertEquals(once, SpatialSsrlReward.normalize(once));
            });
  }

  @Test
  void aBalancedAnswerPlacedInTheLastBoxIsExtractedExactly() {
    // Text after the box may hold anything but a backslash, so the box stays the last one.
    qt().forAll(
            Gens.soup(10),
            Gens.balancedAnswer(),
            strings().basicLatinAlphabet().ofLengthBetween(0, 20))
        .checkAssert(
            (before, answer, after) -> {
              String tail = after.replace("\\", "");
              String response = before + "\\boxed{" + answer + "}" + tail;
              assertEquals(answer, SpatialSsrlReward.extractAnswer(response), response);
              assertEquals(1, SpatialSsrlReward.standard().score(response, answer).accuracy());
            });
  }

  @Test
  void everyVerifierGivesRewardsInTheUnitIntervalAndNeverThrowsOnResponses() {
    qt().withExamples(1000)
        .forAll(Gens.soup(16), Gens.anyUnits(30), arbitrary().pick(ALL))
        .checkAssert(
            (soup, units, verifier) -> {
              for (String response : new String[] {soup, units, soup + units, units + soup}) {
                for (String truth : new String[] {"2-1-3", "C", "0-1-2-3"}) {
                  Reward r = verifier.score(response, truth);
                  assertInUnit(r.overall());
                  assertInUnit(r.format());
                  assertInUnit(r.accuracy());
                }
              }
            });
  }

  private static void assertInUnit(double v) {
    assertTrue(v >= 0 && v <= 1, "value " + v);
  }
}
