package dev.ssrl.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Scores many responses on all cores. Requests are split into contiguous chunks scored in parallel
 * (in the common {@link ForkJoinPool} or one you give); each result is written at its request's
 * index, so the output is in input order and identical whatever the thread count. Immutable and
 * thread-safe; the verifiers it uses must be thread-safe, as {@link Verifier} requires.
 */
public final class BatchScorer {
  /** Below this many requests per chunk, splitting costs more than it saves. */
  private static final int MIN_CHUNK = 64;

  /**
   * One response to score.
   *
   * @param response the model output; null or empty scores zero
   * @param groundTruth the canonical answer
   * @param task the task id used by {@link #perTask()} to choose the verifier; may be null (the
   *     reference reward is used then)
   */
  public record Request(String response, String groundTruth, String task) {
    /**
     * @throws IllegalArgumentException naming {@code groundTruth} if it is null
     */
    public Request {
      if (groundTruth == null) {
        throw new IllegalArgumentException("groundTruth must not be null");
      }
    }

    /** A request without a task id. */
    public Request(String response, String groundTruth) {
      this(response, groundTruth, null);
    }
  }

  private final Function<String, Verifier> verifierForTask;

  private BatchScorer(Function<String, Verifier> verifierForTask) {
    this.verifierForTask = verifierForTask;
  }

  /**
   * A scorer that uses one verifier for every request, whatever its task.
   *
   * @throws IllegalArgumentException if {@code verifier} is null
   */
  public static BatchScorer of(Verifier verifier) {
    if (verifier == null) {
      throw new IllegalArgumentException("verifier must not be null");
    }
    return new BatchScorer(task -> verifier);
  }

  /**
   * A scorer that picks each request's verifier with {@link Verifiers#forTask(String)} (requests
   * without a task get {@link Verifiers#reference()}).
   */
  public static BatchScorer perTask() {
    ConcurrentHashMap<String, Verifier> cache = new ConcurrentHashMap<>();
    return new BatchScorer(
        task ->
            task == null ? Verifiers.reference() : cache.computeIfAbsent(task, Verifiers::forTask));
  }

  /**
   * Scores the requests in the common fork-join pool.
   *
   * @return one reward per request, in input order
   * @throws IllegalArgumentException if {@code requests} or one of them is null, or a verifier
   *     rejects a ground truth (the message names the request's index)
   */
  public List<Reward> score(List<Request> requests) {
    return score(requests, ForkJoinPool.commonPool());
  }

  /**
   * Scores the requests in the given pool (its parallelism bounds the threads used).
   *
   * @return one reward per request, in input order
   * @throws IllegalArgumentException if an argument or a request is null, or a verifier rejects a
   *     ground truth (the message names the request's index)
   */
  public List<Reward> score(List<Request> requests, ForkJoinPool pool) {
    if (requests == null) {
      throw new IllegalArgumentException("requests must not be null");
    }
    if (pool == null) {
      throw new IllegalArgumentException("pool must not be null");
    }
    Request[] in = requests.toArray(new Request[0]);
    Reward[] out = new Reward[in.length];
    int chunks = chunkCount(in.length, pool.getParallelism());
    if (chunks <= 1) {
      scoreRange(in, out, 0, in.length);
    } else {
      int size = (in.length + chunks - 1) / chunks;
      pool.submit(
              () ->
                  IntStream.range(0, chunks)
                      .parallel()
                      .forEach(
                          c -> scoreRange(in, out, c * size, Math.min(in.length, (c + 1) * size))))
          .join();
    }
    return Arrays.asList(out);
  }

  static int chunkCount(int n, int parallelism) {
    // A few chunks per thread balance uneven response lengths without much scheduling overhead.
    int wanted = Math.max(1, parallelism) * 4;
    return Math.max(1, Math.min(wanted, n / MIN_CHUNK));
  }

  private void scoreRange(Request[] in, Reward[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      Request r = in[i];
      if (r == null) {
        throw new IllegalArgumentException("request at index " + i + " is null");
      }
      try {
        out[i] = verifierForTask.apply(r.task()).score(r.response(), r.groundTruth());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("request at index " + i + ": " + e.getMessage(), e);
      }
    }
  }
}
