package dev.ssrl.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The device cores (src/main/cuda/*_core.cuh) compiled for the host as plain C++ with
 * src/test/cuda/harness.cpp, so that tests check the code the kernels run without a GPU. Without a
 * C++ compiler on PATH the tests that need it are skipped with the reason (also under CI=true: a
 * compiler, like a GPU, is optional).
 */
final class HostHarness {
  static final Path CUDA_SOURCES = Path.of("src/main/cuda");
  private static final Path SOURCE = Path.of("src/test/cuda/harness.cpp");
  private static Path binary;

  private HostHarness() {}

  /** The first executable named {@code name} on PATH. */
  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir).resolve(name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The compiled harness, building it on first use; skips the test when no compiler exists. */
  static synchronized Path require() throws IOException, InterruptedException {
    if (binary != null) {
      return binary;
    }
    Optional<Path> cxx = onPath("g++").or(() -> onPath("c++")).or(() -> onPath("clang++"));
    Assumptions.assumeTrue(
        cxx.isPresent(), "no C++ compiler (g++, c++ or clang++) on PATH to build the host harness");
    Path out = Path.of("target/host-harness");
    Files.createDirectories(out);
    Path exe = out.resolve("harness");
    // -ffp-contract=off: no fused multiply-add, as the kernels are built with -fmad=false.
    run(
        List.of(
            cxx.get().toString(),
            "-std=c++17",
            "-O2",
            "-Wall",
            "-Werror",
            "-ffp-contract=off",
            "-I",
            CUDA_SOURCES.toString(),
            SOURCE.toString(),
            "-o",
            exe.toString()),
        120);
    binary = exe;
    return exe;
  }

  /** Runs the harness in {@code mode} on {@code input}; returns its output bytes. */
  static byte[] run(String mode, byte[] input) throws IOException, InterruptedException {
    Path exe = require();
    Path in = Files.createTempFile("harness-", ".in");
    Path out = Files.createTempFile("harness-", ".out");
    try {
      Files.write(in, input);
      run(List.of(exe.toString(), mode, in.toString(), out.toString()), 120);
      return Files.readAllBytes(out);
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
    }
  }

  /** Runs a command; fails with its output when it exits non-zero or outlives the limit. */
  static String run(List<String> command, int seconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    String text = new String(output, java.nio.charset.StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
    }
    return text;
  }
}
