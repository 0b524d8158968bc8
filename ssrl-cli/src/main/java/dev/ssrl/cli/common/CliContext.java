package dev.ssrl.cli.common;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What the commands share: the streams they read and write, and where the reward scoring comes from
 * (tests pass fakes). Made by {@code dev.ssrl.cli.Main} for each command line.
 */
public record CliContext(
    Supplier<Scoring> scoring, InputStream in, PrintStream out, PrintStream err) {

  /** The version of this build, from the jar manifest ({@code dev} when run from classes). */
  public static String version() {
    String v = CliContext.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
