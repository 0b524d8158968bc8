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
    assertAgree(RewardCases.adversarial(), 0.1);
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
