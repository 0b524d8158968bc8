package dev.ssrl.cli.serve;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
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
 *
 * <p>When nothing of a next request has been read yet (the usual case), the resumed connection only
 * registers for the next read: Jetty's resume would try to read at once, twice (its retry for TLS),
 * and both reads find nothing, because the client has not even read the answer yet. Those were
 * about one failed {@code read} call and a request-buffer lease per answer (strace, issue 26). A
 * next request that did arrive meanwhile is then found by the selector's next pass instead.
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

  /** Kept open, nothing buffered, not yet waiting to read: all a resume would do is read. */
  private static boolean awaitsNextRequest(HttpConnection http) {
    EndPoint endPoint = http.getEndPoint();
    return http.isRequestBufferEmpty()
        && endPoint.isOpen()
        && !endPoint.isOutputShutdown()
        && !endPoint.isInputShutdown()
        && !http.isFillInterested();
  }

  @Override
  public void execute(Runnable job) {
    if (job instanceof Connection && RESUMING.get() == Boolean.TRUE) {
      RESUMING.remove();
      if (job instanceof HttpConnection http && awaitsNextRequest(http)) {
        http.fillInterested();
      } else {
        job.run();
      }
      return;
    }
    super.execute(job);
  }
}
