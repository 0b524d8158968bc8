package dev.ssrl.cli.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The body of the request being read on one connection, charged to the transport's budget by the
 * bytes it has actually allocated, never by a declared length: the array grows with what arrives
 * (at most doubling, never beyond a declared length), so a declared length that never comes costs
 * nothing (issue 26: sixteen heads declaring 16 MiB once locked everyone out).
 */
final class BodyBuffer {
  private final HttpTransport transport;
  private byte[] bytes = new byte[0];
  private int length;
  private long charged;

  BodyBuffer(HttpTransport transport) {
    this.transport = transport;
  }

  /** The bytes so far (the array may be longer than {@link #length()}). */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /**
   * Appends {@code chunk}; false, with nothing appended, when the budget has no room for it. {@code
   * declared} is the request's Content-Length, or negative when it has none (chunked).
   */
  boolean append(ByteBuffer chunk, long declared) {
    int n = chunk.remaining();
    int need = length + n;
    if (need > bytes.length) {
      long bound = declared >= 0 ? declared : transport.maxBodyBytes();
      int cap = (int) Math.max(need, Math.min(bound, 2L * bytes.length));
      long add = cap - bytes.length;
      if (!transport.charge(add)) {
        return false;
      }
      synchronized (this) {
        charged += add;
      }
      bytes = Arrays.copyOf(bytes, cap);
    }
    chunk.get(bytes, length, n);
    length = need;
    return true;
  }

  /** Counts {@code n} bytes read and dropped (a body whose answer is already known). */
  void skip(int n) {
    length += n;
  }

  /**
   * Gives the charged bytes back to the budget, once, from whichever thread gets here first (the
   * loop when the answer is known, or the close of the connection).
   */
  void release() {
    long c;
    synchronized (this) {
      c = charged;
      charged = 0;
    }
    if (c != 0) {
      transport.charge(-c);
    }
  }
}
