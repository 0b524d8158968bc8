package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Reward;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Verifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TolerantVerifiersTest {
  private static final Verifier LETTER = Verifiers.optionLetter();

  private static String boxed(String answer) {
    return "<think>reasoning</think>\\boxed{" + answer + "}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C",
        "(C)",
        "C.",
        "C. Left",
        "c",
        " c ",
        "C)",
        "[C]",
        "(c) Left-Back",
        "C: Front",
        "\\text{C}",
        "\\text{(C)}",
        "\\textbf{C.}",
        "C,"
      })
  void optionLetterAcceptsCommonWaysOfNamingTheLetter(String answer) {
    Reward r = LETTER.score(boxed(answer), "C");
    assertEquals(1.0, r.overall(), answer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"B", "Cat", "C2", "Left", "Option C", "", "(B) C", "CC", "\\text{D}"})
  void optionLetterRejectsOtherAnswers(String answer) {
    Reward r = LETTER.score(boxed(answer), "C");
    assertEquals(0, r.accuracy(), answer);
    assertEquals(0.1, r.overall(), answer);
  }

  @Test
  void optionLetterReportsWhetherTheAnswerWasExact() {
    assertEquals(1.0, LETTER.score(boxed("C"), "C").details().get("exact"));
    assertEquals(0.0, LETTER.score(boxed("(C)"), "C").details().get("exact"));
  }

  @Test
  void optionLetterNeedsABox() {
    assertEquals(0, LETTER.score("<think>x</think> C", "C").accuracy());
    assertEquals(0, LETTER.score("<think>x</think> nothing", "None").accuracy());
  }

  @Test
  void optionLetterComparesNonLetterTruthsExactly() {
    assertEquals(1, LETTER.score(boxed("3-0"), "3-0").accuracy());
    assertEquals(0, LETTER.score(boxed("3"), "3-0").accuracy());
  }

  @Test
  void permutationExactMatchScoresOneInEveryMode() {
    for (PartialCredit mode : PartialCredit.values()) {
      Reward r = Verifiers.permutation(mode).score(boxed("0-2-3-1"), "0-2-3-1");
      assertEquals(new Reward(1.0, 1, 1, r.details()), r, mode.name());
      assertEquals(1.0, r.details().get("valid"));
    }
  }

  @Test
  void permutationAcceptsSpacedCommaAndBracketedForms() {
    Verifier v = Verifiers.permutation(PartialCredit.EXACT);
    for (String a : new String[] {"2 - 1 - 3", "2,1,3", "[2, 1, 3]", "(2-1-3)", "\\text{2-1-3}"}) {
      assertEquals(1, v.score(boxed(a), "2-1-3").accuracy(), a);
    }
  }

  @Test
  void fractionCreditCountsPositionsHoldingTheRightLabel() {
    Verifier v = Verifiers.permutation(PartialCredit.FRACTION);
    // 1-0-2-3 against 0-1-2-3: positions 2 and 3 right.
    assertEquals(0.5, v.score(boxed("1-0-2-3"), "0-1-2-3").accuracy());
    assertEquals(0.0, v.score(boxed("2-3-1"), "1-2-3").accuracy(), "no position right");
    assertEquals(1.0 / 3, v.score(boxed("1-3-2"), "1-2-3").accuracy(), 1e-15);
  }

  @Test
  void kendallCreditMapsTauToTheUnitInterval() {
    Verifier v = Verifiers.permutation(PartialCredit.KENDALL);
    // One discordant pair of six: tau = (5 - 1) / 6 = 2/3, credit (2/3 + 1) / 2 = 5/6.
    Reward r = v.score(boxed("1-0-2-3"), "0-1-2-3");
    assertEquals(5.0 / 6, r.accuracy(), 1e-12);
    assertEquals(2.0 / 3, r.details().get("kendallTau"), 1e-12);
    assertEquals(0.5, r.details().get("fraction"));
    // Fully reversed: tau = -1, credit 0.
    assertEquals(0.0, v.score(boxed("3-2-1-0"), "0-1-2-3").accuracy(), 1e-12);
    // Two of three pairs concordant: tau = 1/3, credit 2/3.
    assertEquals(2.0 / 3, v.score(boxed("2-1-3"), "1-2-3").accuracy(), 1e-12);
  }

  @Test
  void exactModeGivesNoPartialCredit() {
    Reward r = Verifiers.permutation(PartialCredit.EXACT).score(boxed("1-0-2-3"), "0-1-2-3");
    assertEquals(0, r.accuracy());
    assertEquals(0.5, r.details().get("fraction"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-1-3", "1-2", "1-2-3-4", "1-2-x", "1--2-3", "", "123", "1-2-3-", "A"})
  void invalidPermutationsEarnNothingInEveryMode(String answer) {
    for (PartialCredit mode : PartialCredit.values()) {
      Reward r = Verifiers.permutation(mode).score(boxed(answer), "1-2-3");
      assertEquals(0, r.accuracy(), answer + " " + mode);
      assertEquals(0.0, r.details().get("valid"), answer);
      assertNull(r.details().get("fraction"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-1-2", "1--2", "", " 1-2", "1-2-"})
  void permutationVerifierRejectsANonPermutationGroundTruthByName(String truth) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Verifiers.permutation(PartialCredit.FRACTION).score(boxed("1-2"), truth));
    assertTrue(e.getMessage().contains("groundTruth"), e.getMessage());
  }

  @Test
  void tolerantVerifiersRejectNullGroundTruthAndScoreNullResponsesZero() {
    for (Verifier v : new Verifier[] {LETTER, Verifiers.permutation(PartialCredit.KENDALL)}) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> v.score("x", null))
              .getMessage()
              .contains("groundTruth"));
      assertEquals(Reward.zero(), v.score(null, "1-2"));
      assertEquals(Reward.zero(), v.score("", "1-2"));
    }
  }

  @Test
  void tolerantVerifiersKeepTheReferenceFormatRule() {
    assertEquals(0.9, LETTER.score("\\boxed{c}", "C").overall());
    assertEquals(0.1, LETTER.score(boxed("none of these"), "C").overall());
  }

  @Test
  void aTaskIsScoredByItsOwnVerifierElseByItsAnswerFormatsDefault() {
    Verifier own = (response, truth) -> new Reward(0.5, 1, 0);
    assertSame(own, Verifiers.forTask(task(AnswerFormat.OPTION_LETTER, own)));
    assertSame(LETTER, Verifiers.forTask(task(AnswerFormat.OPTION_LETTER, null)));
    assertSame(
        Verifiers.permutation(Verifiers.DEFAULT_PARTIAL_CREDIT),
        Verifiers.forTask(task(AnswerFormat.PERMUTATION, null)));
    assertSame(Verifiers.reference(), Verifiers.forTask(task(AnswerFormat.EXACT, null)));
    assertThrows(IllegalArgumentException.class, () -> Verifiers.forTask((Task) null));
  }

  private static Task task(AnswerFormat format, Verifier own) {
    return new Task() {
      @Override
      public String id() {
        return "test";
      }

      @Override
      public AnswerFormat answerFormat() {
        return format;
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
      public Optional<Verifier> verifier() {
        return Optional.ofNullable(own);
      }
    };
  }

  /** The built-in tasks (ssrl-tasks, on this module's test class path) by their answer formats. */
  @Test
  void defaultsPerTaskAndFormat() {
    Verifier perm = Verifiers.permutation(Verifiers.DEFAULT_PARTIAL_CREDIT);
    assertSame(perm, Verifiers.forTask("shuffle"));
    assertSame(perm, Verifiers.forTask("depth"));
    assertSame(LETTER, Verifiers.forTask("crop"));
    assertSame(LETTER, Verifiers.forTask("position"));
    assertSame(Verifiers.reference(), Verifiers.forTask("flip"));
    assertSame(Verifiers.reference(), Verifiers.forTask("no-such-task"));
    assertSame(perm, Verifiers.forFormat(AnswerFormat.PERMUTATION));
    assertSame(LETTER, Verifiers.forFormat(AnswerFormat.OPTION_LETTER));
    assertSame(Verifiers.reference(), Verifiers.forFormat(AnswerFormat.LABEL_DIRECTION));
    assertSame(Verifiers.reference(), Verifiers.forFormat(AnswerFormat.EXACT));
    assertEquals(PartialCredit.FRACTION, Verifiers.DEFAULT_PARTIAL_CREDIT);
  }

  @Test
  void flipAnswersAreComparedExactly() {
    Verifier flip = Verifiers.forTask("flip");
    assertEquals(1, flip.score(boxed("3-0"), "3-0").accuracy());
    assertEquals(0, flip.score(boxed("3 - 0"), "3-0").accuracy());
  }

  @Test
  void factoriesRejectNullArgumentsByName() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Verifiers.forTask((String) null))
            .getMessage()
            .contains("taskId"));
    assertThrows(IllegalArgumentException.class, () -> Verifiers.forFormat(null));
    assertThrows(IllegalArgumentException.class, () -> Verifiers.permutation(null));
  }
}
