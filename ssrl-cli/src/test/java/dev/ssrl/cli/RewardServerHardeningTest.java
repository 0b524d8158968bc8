package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.verify.Verifiers;
import org.junit.jupiter.api.Test;

/** The reward server's resource limits: a bounded verifier cache and unusable arguments. */
class RewardServerHardeningTest {
  @Test
  void unknownTaskStringsShareOneVerifierAndScoreAsBefore() {
    Rewards.VerifyScoring scoring = (Rewards.VerifyScoring) Rewards.scoring();
    String response = "<think>x</think> \\boxed{B}";
    Object shared = scoring.verifier("no-such-task-0");
    for (int i = 0; i < 5000; i++) {
      // 3 KB names, as in the attack: none may be remembered.
      String task = "t" + i + "x".repeat(3000);
      assertSame(shared, scoring.verifier(task), "unknown tasks are not cached one by one");
      if (i % 500 == 0) {
        Reward expected = Verifiers.forTask(task).score(response, "B");
        assertEquals(expected, scoring.score(task, response, "B"));
      }
    }
    for (String known : new String[] {"shuffle", "flip", "crop", "depth", "position"}) {
      assertSame(scoring.verifier(known), scoring.verifier(known));
      for (String answer : new String[] {"B", "(B)", "2-1-3", "1-2-3"}) {
        String r = "<think>x</think> \\boxed{" + answer + "}";
        assertEquals(
            Verifiers.forTask(known).score(r, "B"), scoring.score(known, r, "B"), known + answer);
      }
    }
  }

  @Test
  void anUnusablePortOrGraceIsExitTwoWithAUsageMessage() {
    for (String[] args :
        new String[][] {
          {"serve", "--port", "99999"},
          {"serve", "--port", "-1"},
          {"serve", "--grace-seconds", "-1"}
        }) {
      Cli r = Cli.run(args);
      assertEquals(2, r.status, r::toString);
      assertTrue(r.err.startsWith("ssrl: --"), r.err);
      assertTrue(r.err.contains("must be"), r.err);
    }
  }
}
