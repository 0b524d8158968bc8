package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Reward;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PermutationPropertiesTest {
  private static String shuffled(int n, long seed) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add(Integer.toString(i));
    }
    Collections.shuffle(labels, new Random(seed));
    return String.join("-", labels);
  }

  @Test
  void creditIsOneExactlyWhenTheAnswerEqualsTheTruth() {
    qt().forAll(
            integers().between(2, 9),
            longs().all(),
            longs().all(),
            arbitrary().enumValues(PartialCredit.class))
        .checkAssert(
            (n, s1, s2, mode) -> {
              String truth = shuffled(n, s1);
              String answer = shuffled(n, s2);
              Reward r =
                  Verifiers.permutation(mode)
                      .score("<think>t</think>\\boxed{" + answer + "}", truth);
              assertEquals(answer.equals(truth), r.accuracy() == 1.0, answer + " vs " + truth);
              assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1);
              assertEquals(1.0, r.details().get("valid"));
            });
  }

  @Test
  void fractionCreditIsTheShareOfMatchingPositions() {
    qt().forAll(integers().between(2, 9), longs().all(), longs().all())
        .checkAssert(
            (n, s1, s2) -> {
              String[] truth = shuffled(n, s1).split("-");
              String[] answer = shuffled(n, s2).split("-");
              int same = 0;
              for (int i = 0; i < n; i++) {
                same += truth[i].equals(answer[i]) ? 1 : 0;
              }
              double credit =
                  Verifiers.permutation(PartialCredit.FRACTION)
                      .score("\\boxed{" + String.join("-", answer) + "}", String.join("-", truth))
                      .accuracy();
              assertEquals((double) same / n, credit, 1e-15);
            });
  }
}
