package dev.ssrl.cli.serve;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's thread pool for {@link HttpTransport}, except that a connection resumed by an answer
 * written in {@link #resumingHere} runs on the thread that wrote it. Jetty resumes a connection
 * whose request was answered off its own thread by handing the connection to the pool; that costs a
 * thread hand-off per request, and on two cores the hand-offs and their context switches took more
 * CPU than the scoring (issue 26's load figures). The transport writes scoring answers on Jetty's
 * selector thread, so the resumed connection runs there, as the next read would: it reads what has
 * arrived (usually nothing yet: the client is still reading the answer), parses a pipelined request
 * if any, and registers for the next read; a request it finds is routed as on any thread (a scoring
 * request goes to the queue).
 */
final class ResumeInlinePool extends QueuedThreadPool {
  /** Set while {@link #resumingHere} runs its write. */
  private static final ThreadLocal<Boolean> RESUMING = new ThreadLocal<>();

  ResumeInlinePool(int max, int min) {
    super(max, min);
    // No reserved threads: every task Jetty runs here is short, and a reserved thread spins.
    setReservedThreads(0);
  }

  /** Runs {@code write}; the first connection it resumes runs on this thread, not the pool. */
  static void resumingHere(Runnable write) {
    RESUMING.set(Boolean.TRUE);
    try {
      write.run();
    } finally {
      RESUMING.remove();
    }
  }

  @Override
  public void execute(Runnable job) {
    if (job instanceof Connection && RESUMING.get() == Boolean.TRUE) {
      RESUMING.remove();
      job.run();
      return;
    }
    super.execute(job);
  }
}
