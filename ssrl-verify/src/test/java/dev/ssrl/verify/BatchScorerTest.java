package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class BatchScorerTest {
  private static final String[] TASKS = {"shuffle", "depth", "crop", "position", "flip", null};
  private static final String[] TRUTHS = {"0-2-3-1", "2-1-3", "C", "B", "3-0", "x"};
  private static final String[] ANSWERS = {"0-2-3-1", "1-2-3", "(c)", "B", "3-0", "y", "2-3-1-0"};

  private static List<BatchScorer.Request> requests(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<BatchScorer.Request> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int t = rnd.nextInt(TASKS.length);
      String response =
          (rnd.nextBoolean() ? "<think>r</think>" : "")
              + "\\boxed{"
              + ANSWERS[rnd.nextInt(ANSWERS.length)]
              + "}";
      out.add(new BatchScorer.Request(response, TRUTHS[t], TASKS[t]));
    }
    return out;
  }

  @Test
  void parallelScoresEqualSequentialScoresInInputOrder() {
    List<BatchScorer.Request> in = requests(5000, 7);
    List<Reward> parallel = BatchScorer.perTask().score(in);
    List<Reward> single = BatchScorer.perTask().score(in, new ForkJoinPool(1));
    assertEquals(in.size(), parallel.size());
    for (int i = 0; i < in.size(); i++) {
      BatchScorer.Request r = in.get(i);
      Verifier v = r.task() == null ? Verifiers.reference() : Verifiers.forTask(r.task());
      Reward expected = v.score(r.response(), r.groundTruth());
      assertEquals(expected, parallel.get(i), "request " + i);
      assertEquals(expected, single.get(i), "request " + i);
    }
  }

  @Test
  void oneVerifierForAllIgnoresTasks() {
    List<BatchScorer.Request> in = List.of(new BatchScorer.Request("\\boxed{(c)}", "C", "crop"));
    assertEquals(0, BatchScorer.of(Verifiers.reference()).score(in).get(0).accuracy());
    assertEquals(1, BatchScorer.perTask().score(in).get(0).accuracy());
  }

  @Test
  void emptyBatchGivesEmptyResult() {
    assertEquals(List.of(), BatchScorer.perTask().score(List.of()));
  }

  @Test
  void badRequestsAreReportedWithTheirIndex() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new BatchScorer.Request("x", null))
            .getMessage()
            .contains("groundTruth"));
    List<BatchScorer.Request> withNull = new ArrayList<>(requests(300, 1));
    withNull.set(200, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BatchScorer.perTask().score(withNull));
    assertTrue(e.getMessage().contains("index 200"), e.getMessage());
    List<BatchScorer.Request> badTruth = new ArrayList<>(requests(300, 2));
    badTruth.set(123, new BatchScorer.Request("\\boxed{1}", "1-1", "shuffle"));
    e = assertThrows(IllegalArgumentException.class, () -> BatchScorer.perTask().score(badTruth));
    assertTrue(e.getMessage().contains("index 123"), e.getMessage());
    assertTrue(e.getMessage().contains("groundTruth"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BatchScorer.perTask().score(null));
    assertThrows(IllegalArgumentException.class, () -> BatchScorer.of(null));
  }

  @Test
  void chunkingCoversEveryRequest() {
    assertEquals(1, BatchScorer.chunkCount(10, 8));
    assertEquals(32, BatchScorer.chunkCount(1_000_000, 8));
    assertEquals(
        Arrays.asList(1, 1), List.of(BatchScorer.chunkCount(0, 4), BatchScorer.chunkCount(64, 4)));
  }
}
