package dev.ssrl.cli;

/**
 * MERGE SEAM: where the command line gets its {@link Scoring}. After the merge this returns a
 * {@link Scoring} backed by ssrl-verify ({@code Verifiers.forTask} and its advantages). Until then
 * the reward library is not on the class path, so {@code score} and {@code serve} fail with exit
 * status 1 and this message rather than score with a second, untested copy of the reward.
 */
final class Rewards {
  private Rewards() {}

  /**
   * The reward scoring of this build.
   *
   * @throws IllegalStateException when this build has no reward library
   */
  static Scoring scoring() {
    throw new IllegalStateException(
        "this build of ssrl has no reward library (ssrl-verify is not wired into ssrl-cli yet)");
  }
}
