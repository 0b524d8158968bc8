package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs that break regex- or recursion-based rewards: they must score (without a stack overflow or
 * a super-linear blow-up) and give the reward the rules define.
 */
class AdversarialInputTest {
  private static final int MB = 1 << 20;
  private static final List<Verifier> ALL =
      List.of(
          Verifiers.reference(),
          Verifiers.optionLetter(),
          Verifiers.permutation(PartialCredit.KENDALL));

  @Test
  void aMegabyteOfOpeningBracesAfterABoxHasNoAnswer() {
    String s = "<think>x</think>\\boxed{" + "{".repeat(MB);
    assertEquals("None", SpatialSsrlReward.extractAnswer(s));
    assertEquals(new Reward(0, 0, 0), Verifiers.reference().score(s, "A"));
    for (Verifier v : ALL) {
      v.score(s, "2-1-3");
    }
  }

  @Test
  void aMegabyteOfNestedBracesThatCloseIsExtracted() {
    String inner = "{".repeat(MB / 2) + "}".repeat(MB / 2);
    String s = "<think>x</think>\\boxed{" + inner + "}";
    assertEquals(inner, SpatialSsrlReward.extractAnswer(s));
    assertEquals(1.0, Verifiers.reference().score(s, inner).overall());
  }

  @Test
  void aMegabyteOfRepeatedThinkTagsHasNoFormat() {
    String s = "<think>".repeat(MB / 7);
    assertEquals(0, Verifiers.reference().score(s, "A").format());
    String spaced = "< think >".repeat(MB / 9) + "< /";
    assertEquals(0, Verifiers.reference().score(spaced, "A").format());
    String opens = "<" + " ".repeat(MB) + "<";
    assertEquals(0, Verifiers.reference().score(opens, "A").format());
  }

  @Test
  void aMegabyteOfTagLikeClosersBeforeTheBoxHasNoFormat() {
    String s = "<think>" + "> \t".repeat(MB / 3) + "\\boxed{A}";
    assertEquals(new Reward(0.9, 0, 1), Verifiers.reference().score(s, "A"));
    String t = "<think>" + " think>".repeat(MB / 7) + "\\boxed{A}";
    assertEquals(new Reward(0.9, 0, 1), Verifiers.reference().score(t, "A"));
    String u = "<think>" + "/ think >".repeat(MB / 9) + "\\boxed{A}";
    assertEquals(new Reward(0.9, 0, 1), Verifiers.reference().score(u, "A"));
  }

  @Test
  void aTenMegabyteResponseScores() {
    String filler = "patch texture 😀 深度 { } < / > ".repeat(10 * MB / 30);
    String s = "<think>" + filler + "</think>The answer is \\boxed{ 2-1-3 }.";
    for (Verifier v : ALL) {
      Reward r = v.score(s, "2-1-3");
      assertEquals(1.0, r.overall(), v.toString());
    }
  }

  @Test
  void manyBoxesAndClosingTagsScore() {
    String s = "<think>" + "</think>\\boxed{".repeat(MB / 16) + "A}";
    assertEquals(new Reward(1.0, 1, 1), Verifiers.reference().score(s, "A"));
  }

  @Test
  void loneSurrogatesAndNulsAreOrdinaryCharacters() {
    String s = "\ud800<think>\u0000</think>\\boxed{\udc00\u0000}\ud83d";
    for (Verifier v : ALL) {
      v.score(s, "C");
    }
    assertEquals("\udc00\u0000", SpatialSsrlReward.extractAnswer(s));
    assertEquals(0, Verifiers.reference().score(s, "x").format());
    String t = "<think>\ud800</think>\\boxed{\udc00\u0000}";
    assertEquals(new Reward(1.0, 1, 1), Verifiers.reference().score(t, "\udc00\u0000"));
  }
}
