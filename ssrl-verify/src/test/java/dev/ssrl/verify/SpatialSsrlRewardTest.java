package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Reward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpatialSsrlRewardTest {
  private static final SpatialSsrlReward R = SpatialSsrlReward.standard();

  /** Every character Python 3's str.isspace() accepts. */
  static final char[] PYTHON_SPACES = {
    '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f', ' ', '\u0085',
    '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006',
    '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'
  };

  @Test
  void whitespaceSetIsExactlyPythonsStrIsspace() {
    int count = 0;
    for (int c = 0; c <= 0xFFFF; c++) {
      boolean expected = false;
      for (char s : PYTHON_SPACES) {
        expected |= s == c;
      }
      assertEquals(expected, Scan.isSpace((char) c), "U+" + Integer.toHexString(c));
      count += expected ? 1 : 0;
    }
    assertEquals(29, count);
  }

  @Test
  void normalisationRemovesWhitespaceRunsTouchingAngleBracketsAndSlashes() {
    assertEquals("a<b>c/d", SpatialSsrlReward.normalize("a \t< \u3000b\n>  c /\u00a0d"));
    assertEquals("1/2", SpatialSsrlReward.normalize("1 / 2"));
    assertEquals("</think>", SpatialSsrlReward.normalize("< / think >"));
  }

  @Test
  void normalisationKeepsWhitespaceAwayFromDelimiters() {
    assertEquals("a  b\u2003c", SpatialSsrlReward.normalize("a  b\u2003c"));
    assertEquals("x y</", SpatialSsrlReward.normalize("x y </"));
  }

  @Test
  void normalisationTreatsEveryPythonSpaceAsWhitespace() {
    for (char s : PYTHON_SPACES) {
      assertEquals(
          "<a>", SpatialSsrlReward.normalize(s + "<" + s + s + "a" + s + ">" + s), "U+" + (int) s);
    }
  }

  @Test
  void normalisationKeepsCharactersJavaButNotPythonCallsWhitespace() {
    // U+200B (zero-width space) and U+FEFF are not Python whitespace.
    assertEquals("a\u200b<\ufeffb", SpatialSsrlReward.normalize("a\u200b<\ufeffb"));
  }

  @Test
  void wellFormedCorrectResponseScoresOne() {
    Reward r = R.score("<think>tiles</think>The answer is \\boxed{2-1-3}.", "2-1-3");
    assertEquals(new Reward(1.0, 1, 1), r);
  }

  @Test
  void correctAnswerWithoutThinkTagsScoresAccuracyWeightOnly() {
    Reward r = R.score("The answer is \\boxed{C}", "C");
    assertEquals(0.9, r.overall());
    assertEquals(0, r.format());
    assertEquals(1, r.accuracy());
  }

  @Test
  void wellFormedWrongAnswerScoresFormatWeightOnly() {
    Reward r = R.score("<think>x</think>\\boxed{B}", "C");
    assertEquals(0.1, r.overall());
    assertEquals(1, r.format());
    assertEquals(0, r.accuracy());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<think>a</think>\\boxed{x}",
        "<think></think>\\boxed{}",
        " \n<think>a</think>b\\boxed{x}c",
        "< think >a< / think >\\boxed{x}",
        "\u3000<\tthink\u00a0>a</think>\n\\boxed{x}",
        "<think>\nmulti\nline\n</think>\n\\boxed{\nx\n}\ntrailing\n",
        "<think>a</think>\\boxed{\\boxed{x}",
        "<think><think></think></think>\\boxed{}}"
      })
  void formatAcceptsTheThinkThenBoxShape(String response) {
    assertTrue(SpatialSsrlReward.hasFormat(response), response);
    assertTrue(PythonOracle.format(response), response);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x<think>a</think>\\boxed{x}",
        "<think>a\\boxed{x}</think>",
        "<think>a</think>",
        "<think>a</think>\\boxed{x",
        "\\boxed{x}<think>a</think>",
        "<think>a</ think>\\boxed x}",
        "<thinking>a</think>\\boxed{x}",
        "<think>a</th ink>\\boxed{x}",
        "<think>a</think>\\boxed {x}",
        "<think>a</think>\\fbox{x}",
        "<think>a<think>\\boxed{x}",
        "<Think>a</Think>\\boxed{x}",
        ""
      })
  void formatRejectsOtherShapes(String response) {
    assertFalse(SpatialSsrlReward.hasFormat(response), response);
    assertEquals(PythonOracle.format(response), SpatialSsrlReward.hasFormat(response));
  }

  @Test
  void extractionTakesTheLastBox() {
    assertEquals("B", SpatialSsrlReward.extractAnswer("\\boxed{A} then \\boxed{B}"));
  }

  @Test
  void extractionBalancesNestedBraces() {
    assertEquals("\\frac{1}{2}", SpatialSsrlReward.extractAnswer("\\boxed{\\frac{1}{2}}"));
    assertEquals("{a}", SpatialSsrlReward.extractAnswer("\\boxed{{a}}}}"));
  }

  @Test
  void extractionStripsUnicodeWhitespaceAndNormalisesSlashes() {
    assertEquals("3-1-2", SpatialSsrlReward.extractAnswer("\\boxed{\u3000\n3-1-2 \u2003}"));
    assertEquals("1/2", SpatialSsrlReward.extractAnswer("\\boxed{ 1 / 2 }"));
    assertEquals("a  b", SpatialSsrlReward.extractAnswer("\\boxed{a  b}"));
  }

  @Test
  void extractionGivesLiteralNoneWithoutABoxOrClosingBrace() {
    assertEquals("None", SpatialSsrlReward.extractAnswer("no box here"));
    assertEquals("None", SpatialSsrlReward.extractAnswer("\\boxed{A} and \\boxed{B"));
    assertEquals("None", SpatialSsrlReward.extractAnswer(null));
  }

  @Test
  void groundTruthNoneMatchesAResponseWithoutABoxAsInTheReference() {
    assertEquals(1, R.score("nothing", "None").accuracy());
  }

  @Test
  void accuracyIsExactStringEquality() {
    assertEquals(0, R.score("\\boxed{c}", "C").accuracy());
    assertEquals(0, R.score("\\boxed{(C)}", "C").accuracy());
    assertEquals(0, R.score("\\boxed{2 - 1 - 3}", "2-1-3").accuracy());
    assertEquals(1, R.score("\\boxed{ 2-1-3 }", "2-1-3").accuracy());
    assertEquals(1, R.score("\\boxed{1 / 2}", "1/2").accuracy());
    assertEquals(0, R.score("\\boxed{1 / 2}", "1 / 2").accuracy());
    assertEquals(1, R.score("\\boxed{a \u3000 b}", "a \u3000 b").accuracy());
    assertEquals(0, R.score("\\boxed{a b}", "a  b").accuracy());
    assertEquals(1, R.score("\\boxed{}", "").accuracy());
  }

  @Test
  void nullOrEmptyResponseScoresZero() {
    assertEquals(Reward.zero(), R.score(null, "A"));
    assertEquals(Reward.zero(), R.score("", "A"));
    assertEquals(Reward.zero(), R.score("", "None"));
  }

  @Test
  void nullGroundTruthIsRejectedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> R.score("\\boxed{A}", null));
    assertTrue(e.getMessage().contains("groundTruth"), e.getMessage());
  }

  @Test
  void weightsAreConfigurable() {
    SpatialSsrlReward half = SpatialSsrlReward.withFormatWeight(0.5);
    assertEquals(0.5, half.score("\\boxed{A}", "A").overall());
    assertEquals(0.5, half.accuracyWeight());
    SpatialSsrlReward accOnly = SpatialSsrlReward.withAccuracyWeight(1);
    assertEquals(0, accOnly.score("<think></think>\\boxed{B}", "A").overall());
    assertEquals(1, accOnly.score("<think></think>\\boxed{A}", "A").overall());
    assertSame(SpatialSsrlReward.standard(), Verifiers.reference());
  }

  @Test
  void invalidWeightsAreRejectedByName() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SpatialSsrlReward.withFormatWeight(-0.1))
            .getMessage()
            .contains("formatWeight"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> SpatialSsrlReward.withAccuracyWeight(Double.NaN))
            .getMessage()
            .contains("accuracyWeight"));
  }
}
