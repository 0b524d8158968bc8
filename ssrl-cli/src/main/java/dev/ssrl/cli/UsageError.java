package dev.ssrl.cli;

/** Unusable arguments found after parsing (unknown task, bad mix, ...): exit status 2. */
final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageError(String message) {
    super(message);
  }
}
