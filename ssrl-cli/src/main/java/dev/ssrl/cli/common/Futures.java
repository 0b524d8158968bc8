package dev.ssrl.cli.common;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a worker's result with the worker's own exception, for generate and score. */
public final class Futures {
  private Futures() {}

  /**
   * The result of {@code f}. What the worker threw comes out unwrapped (an unchecked exception, an
   * error such as {@code OutOfMemoryError}, or an {@code IOException}), so that callers report the
   * worker's own message; any other checked exception becomes an {@code IOException} with its
   * message. An interrupt while waiting is kept and reported as an {@code IOException}.
   */
  public static <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException(c.getMessage(), c);
    }
  }
}
