package dev.ssrl.cli.common;

/** Unusable arguments found after parsing (unknown task, bad mix, ...): exit status 2. */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageError(String message) {
    super(message);
  }
}
