package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code ssrl} in child JVMs: killed part-way (like kill -9), and under a small heap. */
public class ChildProcessTest {
  @TempDir Path tmp;

  public static Process start(Path log, String heap, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  public static int runToEnd(Path log, String heap, String... args)
      throws IOException, InterruptedException {
    Process p = start(log, heap, args);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
    return p.exitValue();
  }

  /** Waits until the child has committed some output (or ended), then kills it forcibly. */
  public static void killAfterSomeOutput(Process p, Path out, long minBytes)
      throws InterruptedException, IOException {
    Path train = out.resolve("train.jsonl");
    while (p.isAlive()) {
      if (Files.exists(train) && Files.size(train) >= minBytes) {
        break;
      }
      Thread.sleep(5);
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void aKilledRunResumedWithTheSameArgumentsEqualsAnUninterruptedOne() throws Exception {
    Path whole = tmp.resolve("whole");
    Path cut = tmp.resolve("cut");
    Path log = tmp.resolve("log.txt");
    String[] common = {
      "generate",
      "--tasks",
      "slow,picky",
      "--builtin-scenes",
      "60",
      "--param",
      "slow.ms=15",
      "--threads",
      "2",
      "--val-fraction",
      "0.25",
      "--parquet",
      "--verl"
    };
    Cli reference = Cli.run(GenerateTest.concat(common, new String[] {"--out", whole.toString()}));
    assertEquals(0, reference.status, reference::toString);

    String[] cutArgs = GenerateTest.concat(common, new String[] {"--out", cut.toString()});
    killAfterSomeOutput(start(log, "-Xmx256m", cutArgs), cut, 1);
    long firstCut = Files.size(cut.resolve("train.jsonl"));
    // Kill a second run part-way too, later than the first: resume works more than once.
    killAfterSomeOutput(start(log, "-Xmx256m", cutArgs), cut, firstCut + 1);
    assertFalse(
        Files.exists(cut.resolve("manifest.json")), "the kills came before the end of the run");

    int status = runToEnd(log, "-Xmx256m", cutArgs);
    assertEquals(0, status, () -> readLog(log));
    assertTrue(readLog(log).contains("resuming"), () -> readLog(log));
    assertEquals(Cli.tree(whole), Cli.tree(cut));
  }

  /**
   * Memory is bounded by the chunk, not the dataset: 600 samples (JSONL and Parquet) under a 48 MB
   * heap. docs/RELIABILITY.md reports the 10,000-sample run under -Xmx512m.
   */
  @Test
  void generationStreamsUnderASmallHeap() throws Exception {
    Path out = tmp.resolve("big");
    Path log = tmp.resolve("big.txt");
    int status =
        runToEnd(
            log,
            "-Xmx48m",
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "tiles",
            "--builtin-scenes",
            "150",
            "--per-scene",
            "4",
            "--threads",
            "2",
            "--parquet");
    assertEquals(0, status, () -> readLog(log));
    assertEquals(600, Files.readAllLines(out.resolve("train.jsonl")).size());
  }

  public static String readLog(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
