package dev.ssrl.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wall time of one whole {@code ssrl generate} run, as a user starts it: a fresh JVM running the
 * shaded jar over all of {@code ../shared/data} (13 scenes, five tasks, {@code --per-scene 16} by
 * default), writing JPEGs, {@code train.jsonl}, {@code rejects.jsonl} and the manifest to a new
 * folder. Samples per second = samples written / seconds per operation; the run's sample count is
 * printed to the benchmark's output after each operation so the division uses what was actually
 * written.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class GenerateBenchmark {

  @Param({"1", "2"})
  public int threads;

  /** Variants per scene: 16 gives about 720 samples, enough for the JIT to settle. */
  @Param({"16"})
  public int perScene;

  private Path jar;
  private Path data;
  private Path out;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    jar = Path.of(System.getProperty("ssrl.jar", "ssrl-cli/target/ssrl.jar"));
    data = Path.of(System.getProperty("ssrl.data", "../shared/data"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw package");
    }
    if (!Files.isDirectory(data.resolve("rgbd"))) {
      throw new IllegalStateException(data.toAbsolutePath() + " has no rgbd folder");
    }
    out = Files.createTempDirectory("ssrl-generate-bench");
  }

  @Setup(Level.Invocation)
  public void clean() throws IOException {
    if (Files.exists(out)) {
      try (Stream<Path> walk = Files.walk(out)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(out)) {
            Files.delete(p);
          }
        }
      }
    }
  }

  @Benchmark
  public long generate() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(List.of(java, "-Xmn256m", "-jar", jar.toString(), "generate"));
    cmd.addAll(
        List.of(
            "--out",
            out.resolve("ds").toString(),
            "--per-scene",
            Integer.toString(perScene),
            "--threads",
            Integer.toString(threads),
            data.resolve("rgbd").toString(),
            data.resolve("rgb").toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("ssrl generate exited with " + rc);
    }
    long lines;
    try (Stream<String> s = Files.lines(out.resolve("ds").resolve("train.jsonl"))) {
      lines = s.count();
    }
    System.out.println("[generate] threads=" + threads + " samples=" + lines);
    return lines;
  }
}
