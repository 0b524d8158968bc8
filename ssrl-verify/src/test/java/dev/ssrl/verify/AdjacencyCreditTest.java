package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Verifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PartialCredit#ADJACENCY} on generated grids of 1–5 × 1–5 cells. */
class AdjacencyCreditTest {
  private static List<String> shuffled(int n, long seed) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add(Integer.toString(i));
    }
    Collections.shuffle(labels, new Random(seed));
    return labels;
  }

  private static double credit(int cols, int rows, List<String> answer, List<String> truth) {
    return Verifiers.permutation(PartialCredit.ADJACENCY, cols, rows)
        .score(
            "<think>t</think> \\boxed{" + String.join("-", answer) + "}", String.join("-", truth))
        .accuracy();
  }

  /**
   * The definition read directly, on (row, column) coordinates: over every ordered pair of labels
   * whose truth cells differ by one step right or one step down, the share whose answer cells
   * differ by the same step.
   */
  private static double bruteForce(int cols, int rows, List<String> answer, List<String> truth) {
    int pairs = 0;
    int kept = 0;
    for (String x : truth) {
      for (String y : truth) {
        int tx = truth.indexOf(x);
        int ty = truth.indexOf(y);
        int dr = ty / cols - tx / cols;
        int dc = ty % cols - tx % cols;
        if ((dr == 0 && dc == 1) || (dr == 1 && dc == 0)) {
          pairs++;
          int ax = answer.indexOf(x);
          int ay = answer.indexOf(y);
          if (ay / cols - ax / cols == dr && ay % cols - ax % cols == dc) {
            kept++;
          }
        }
      }
    }
    return pairs == 0 ? 1 : (double) kept / pairs;
  }

  @Test
  void agreesWithTheDefinitionOnCoordinates() {
    qt().forAll(integers().between(1, 5), integers().between(1, 5), longs().all(), longs().all())
        .checkAssert(
            (cols, rows, s1, s2) -> {
              List<String> truth = shuffled(cols * rows, s1);
              List<String> answer = shuffled(cols * rows, s2);
              double c = credit(cols, rows, answer, truth);
              assertEquals(bruteForce(cols, rows, answer, truth), c, 1e-15);
              assertTrue(c >= 0 && c <= 1, "in [0, 1]: " + c);
            });
  }

  @Test
  void isOneExactlyForTheTruthAndSymmetric() {
    qt().forAll(integers().between(1, 5), integers().between(1, 5), longs().all(), longs().all())
        .checkAssert(
            (cols, rows, s1, s2) -> {
              List<String> truth = shuffled(cols * rows, s1);
              List<String> answer = shuffled(cols * rows, s2);
              double c = credit(cols, rows, answer, truth);
              assertEquals(answer.equals(truth), c == 1.0, answer + " vs " + truth);
              assertEquals(1.0, credit(cols, rows, truth, truth));
              assertEquals(c, credit(cols, rows, truth, answer), 1e-15);
            });
  }

  /** Mirroring both grids left-right and top-bottom, or renaming labels alike, keeps the credit. */
  @Test
  void isInvariantUnderMirrorsAndRelabelling() {
    qt().forAll(integers().between(1, 5), integers().between(1, 5), longs().all(), longs().all())
        .checkAssert(
            (cols, rows, s1, s2) -> {
              int n = cols * rows;
              List<String> truth = shuffled(n, s1);
              List<String> answer = shuffled(n, s2);
              double c = credit(cols, rows, answer, truth);
              assertEquals(
                  c, credit(cols, rows, mirror(answer, cols, true), mirror(truth, cols, true)));
              assertEquals(
                  c, credit(cols, rows, mirror(answer, cols, false), mirror(truth, cols, false)));
              List<String> names = shuffled(n, s1 ^ s2);
              assertEquals(
                  c, credit(cols, rows, rename(answer, names), rename(truth, names)), 1e-15);
            });
  }

  /** A one-row grid and a one-column grid score alike, and as the grid-less verifier does. */
  @Test
  void stripsScoreAsOneRow() {
    qt().forAll(integers().between(2, 9), longs().all(), longs().all())
        .checkAssert(
            (n, s1, s2) -> {
              List<String> truth = shuffled(n, s1);
              List<String> answer = shuffled(n, s2);
              double row = credit(n, 1, answer, truth);
              assertEquals(row, credit(1, n, answer, truth));
              assertEquals(
                  row,
                  Verifiers.permutation(PartialCredit.ADJACENCY)
                      .score(
                          "<think>t</think> \\boxed{" + String.join("-", answer) + "}",
                          String.join("-", truth))
                      .accuracy());
            });
  }

  @Test
  void workedExamples() {
    // 2x2 truth 0 1 / 2 3; answer 1 0 / 3 2 (columns swapped): both vertical pairs kept, 2 of 4.
    assertEquals(0.5, credit(2, 2, List.of("1", "0", "3", "2"), List.of("0", "1", "2", "3")));
    // Rows swapped in a 3x2: every horizontal pair (4) kept, the vertical ones (3) lost: 4/7.
    assertEquals(
        4.0 / 7,
        credit(3, 2, List.of("3", "4", "5", "0", "1", "2"), List.of("0", "1", "2", "3", "4", "5")),
        1e-15);
    // A one-row answer shifted by one: 0-1-2-3 answered 3-0-1-2 keeps 0-1 and 1-2: 2 of 3.
    assertEquals(
        2.0 / 3, credit(4, 1, List.of("3", "0", "1", "2"), List.of("0", "1", "2", "3")), 1e-15);
    Verifier v = Verifiers.permutation(PartialCredit.ADJACENCY, 2, 2);
    assertEquals(0.5, v.score("\\boxed{1-0-3-2}", "0-1-2-3").details().get("adjacency"));
    assertEquals(0.0, v.score("\\boxed{1-0-3}", "0-1-2-3").accuracy(), "not a permutation");
  }

  @Test
  void aGridThatDoesNotFitTheAnswerIsAnError() {
    Verifier v = Verifiers.permutation(PartialCredit.ADJACENCY, 3, 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> v.score("\\boxed{0-1-2-3}", "0-1-2-3"));
    assertTrue(e.getMessage().contains("grid 3x2 has 6 cells"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Verifiers.permutation(PartialCredit.ADJACENCY, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> Verifiers.permutation(null, 2, 2));
  }

  private static List<String> mirror(List<String> cells, int cols, boolean leftRight) {
    int n = cells.size();
    List<String> out = new ArrayList<>(cells);
    for (int p = 0; p < n; p++) {
      int r = p / cols;
      int c = p % cols;
      int q = leftRight ? r * cols + (cols - 1 - c) : (n / cols - 1 - r) * cols + c;
      out.set(q, cells.get(p));
    }
    return out;
  }

  private static List<String> rename(List<String> cells, List<String> names) {
    List<String> out = new ArrayList<>();
    for (String c : cells) {
      out.add("L" + names.get(Integer.parseInt(c)));
    }
    return out;
  }
}
