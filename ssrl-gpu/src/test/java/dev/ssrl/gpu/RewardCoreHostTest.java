package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssrl.gpu.RewardCases.Case;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reward rules of reward_core.cuh, i.e. exactly what the reward kernel runs, compiled for the
 * host: they must reproduce the reference on its 3,000 cases, agree with an independent regex
 * transcription of the reference on random token soups, and stay linear and exact on adversarial
 * inputs.
 */
class RewardCoreHostTest {

  @Test
  void agreesWithTheReferenceOnAll3000Cases() throws Exception {
    List<Case> cases = RewardCases.reference();
    assertEquals(3000, cases.size());
    assertAgree(cases, 0.1);
  }

  @Test
  void agreesWithTheRegexOracleOnRandomTokenSoups() throws Exception {
    List<Case> cases = RewardCases.random(20260101L, 4000, 40);
    // The soup must reach every (format, accuracy) outcome, or it proves little.
    java.util.Set<String> outcomes = new java.util.TreeSet<>();
    for (Case c : cases) {
      outcomes.add(c.format() + "/" + c.accuracy());
    }
    assertEquals(4, outcomes.size(), "outcomes " + outcomes);
    assertAgree(cases, 0.1);
  }

  @Test
  void overallUsesTheGivenFormatWeight() throws Exception {
    List<String> r =
        List.of("<think>a</think>\\boxed{A}", "<think>a</think>\\boxed{B}", "\\boxed{A}");
    List<String> t = List.of("A", "A", "A");
    double[][] s = RewardCases.hostScores(r, t, 0.25);
    assertEquals(1.0, s[0][2]);
    assertEquals(0.25, s[1][2]);
    assertEquals(0.75, s[2][2]);
  }

  @Test
  void survivesAdversarialInputsWithTheReferenceAnswers() throws Exception {
    List<Case> cases = new ArrayList<>();
    String megaOpen = "{".repeat(1 << 20);
    // 1 MiB of '{' after the box: never closed, so the answer is the literal "None" (which a
    // ground truth "None" matches, as in the reference) and there is no format credit.
    cases.add(new Case("<think>t</think>\\boxed{" + megaOpen, "None", 0, 1, 0.9));
    cases.add(new Case("<think>t</think>\\boxed{" + megaOpen, "x", 0, 0, 0));
    // 1 MiB of '{' before a box: the last box wins.
    cases.add(new Case("<think>" + megaOpen + "</think>\\boxed{ 7 }", "7", 1, 1, 1));
    // 100,000 nested braces inside the box are kept verbatim.
    String nested = "{".repeat(100_000) + "ans" + "}".repeat(100_000);
    cases.add(new Case("<think>t</think>\\boxed{" + nested + "}", nested, 1, 1, 1));
    // Unicode whitespace around delimiters, multi-byte content, 4-byte characters.
    cases.add(
        new Case(
            "\u3000< \u2003think\u00a0>思考😀</think>\u2028\\boxed{\u00a0答案😀\u3000}",
            "答案😀",
            1,
            1,
            1));
    // U+001C..U+001F and U+0085 are whitespace to Python; U+200B and U+FEFF are not.
    cases.add(new Case("<think>\u001c</ think>\\boxed{\u001fA\u0085}", "A", 1, 1, 1));
    cases.add(new Case("\u200b<think></think>\\boxed{A}", "A", 0, 1, 0.9));
    cases.add(new Case("<think></think>\\boxed{\ufeffA}", "A", 1, 0, 0.1));
    // Whitespace next to '/' inside the answer goes, other inner whitespace stays.
    cases.add(new Case("<think></think>\\boxed{ a / b  c }", "a/b  c", 1, 1, 1));
    // Empty response: no box, so "None".
    cases.add(new Case("", "None", 0, 1, 0.9));
    cases.add(new Case("", "", 0, 0, 0));
    // A long well-formed text (about 1.5 MB of mixed-width characters) with the box at the end.
    StringBuilder longText = new StringBuilder("<think>");
    for (int i = 0; i < 100_000; i++) {
      longText.append("深度 é 😀 < / > { } ");
    }
    longText.append("</think> \\boxed{2-1-3}");
    cases.add(new Case(longText.toString(), "2-1-3", 1, 1, 1));
    assertAgree(cases, 0.1);
  }

  @Test
  void agreesWithTheRegexOracleOnLongRandomTexts() throws Exception {
    assertAgree(RewardCases.random(7L, 40, 3000), 0.1);
  }

  static void assertAgree(List<Case> cases, double formatWeight) throws Exception {
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (Case c : cases) {
      r.add(c.response());
      t.add(c.truth());
    }
    double[][] s = RewardCases.hostScores(r, t, formatWeight);
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String what = "case " + i + " " + abbreviate(c.response()) + " / " + c.truth();
      assertEquals(c.format(), s[i][0], "format of " + what);
      assertEquals(c.accuracy(), s[i][1], "accuracy of " + what);
      assertEquals(c.overall(), s[i][2], "overall of " + what);
    }
  }

  static String abbreviate(String s) {
    String q = s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " chars)" : s;
    return "\"" + q.replace("\n", "\\n") + "\"";
  }
}
