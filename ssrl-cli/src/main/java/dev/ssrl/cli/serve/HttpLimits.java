package dev.ssrl.cli.serve;

import dev.ssrl.cli.common.UsageError;
import java.time.Duration;
import java.util.List;

/**
 * The limits of the reward server's transport ({@link HttpTransport}): the connection cap, the
 * head, request and idle timeouts, and the body bytes it may buffer.
 *
 * @param maxConnections open connections served at once; one more is answered 503
 * @param headerTimeout time from a request's first byte (or the connection) to its blank line
 * @param requestTimeout time from a request's first byte to its last
 * @param idleTimeout time a keep-alive connection may wait for its next request, and the longest a
 *     read or write may stall
 * @param maxBufferedBytes request body bytes held at once, over all connections and the queue
 */
public record HttpLimits(
    int maxConnections,
    Duration headerTimeout,
    Duration requestTimeout,
    Duration idleTimeout,
    long maxBufferedBytes) {
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  static final int DEFAULT_HEADER_SECONDS = 10;
  static final int DEFAULT_REQUEST_SECONDS = 120;
  static final int DEFAULT_IDLE_SECONDS = 30;

  public HttpLimits {
    if (maxConnections < 1 || maxBufferedBytes < 1) {
      throw new UsageError("--max-connections must be >= 1");
    }
    for (Duration d : List.of(headerTimeout, requestTimeout, idleTimeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new UsageError("timeouts must be positive, got " + d);
      }
    }
  }

  /**
   * The defaults of {@code ssrl serve}; bodies may take a quarter of the heap, at most 256 MiB, but
   * always one body of the largest size.
   */
  public static HttpLimits defaults(int maxBodyBytes) {
    return new HttpLimits(
        DEFAULT_MAX_CONNECTIONS,
        Duration.ofSeconds(DEFAULT_HEADER_SECONDS),
        Duration.ofSeconds(DEFAULT_REQUEST_SECONDS),
        Duration.ofSeconds(DEFAULT_IDLE_SECONDS),
        bodyBudget(maxBodyBytes));
  }

  static long bodyBudget(int maxBodyBytes) {
    return Math.max(maxBodyBytes, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
  }
}
