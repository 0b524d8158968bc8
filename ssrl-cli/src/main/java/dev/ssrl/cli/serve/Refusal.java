package dev.ssrl.cli.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Answers a fixed response as soon as the connection opens, then reads and drops what the client
 * still sends until it closes or {@link HttpTransport#LINGER_MILLIS} pass: closing with unread
 * bytes would send a reset, and the client could lose the answer.
 */
final class Refusal extends AbstractConnection {
  private final ByteBuffer answer;
  private final boolean linger;

  Refusal(EndPoint endPoint, Executor executor, byte[] answer, boolean linger) {
    super(endPoint, executor);
    this.answer = ByteBuffer.wrap(answer);
    this.linger = linger;
  }

  @Override
  public void onOpen() {
    super.onOpen();
    getEndPoint().setIdleTimeout(HttpTransport.LINGER_MILLIS);
    getEndPoint().write(Callback.from(this::written, x -> close()), answer);
  }

  private void written() {
    if (!linger) {
      close();
      return;
    }
    getEndPoint().shutdownOutput();
    fillInterested();
  }

  @Override
  public void onFillable() {
    ByteBuffer sink = ByteBuffer.allocate(4096);
    try {
      while (true) {
        sink.clear().flip();
        int n = getEndPoint().fill(sink);
        if (n < 0) {
          close();
          return;
        }
        if (n == 0) {
          fillInterested();
          return;
        }
      }
    } catch (IOException e) {
      close();
    }
  }
}
