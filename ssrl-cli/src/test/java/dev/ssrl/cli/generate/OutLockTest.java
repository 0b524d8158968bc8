package dev.ssrl.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.cli.ChildProcessTest;
import dev.ssrl.cli.Cli;
import dev.ssrl.cli.GenerateTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One {@code --out}, one run: the lock file, its refusal, and stale locks after kill -9. */
class OutLockTest {
  @TempDir Path tmp;

  private static final String[] SLOW = {
    "generate",
    "--tasks",
    "slow",
    "--builtin-scenes",
    "40",
    "--param",
    "slow.ms=150",
    "--threads",
    "1"
  };

  private static String[] slow(Path out, String... more) {
    return GenerateTest.concat(
        GenerateTest.concat(SLOW, new String[] {"--out", out.toString()}), more);
  }

  private static void waitFor(Process p, Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(file) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(Files.exists(file), "the first run created " + file);
  }

  @Test
  void aSecondRunIntoTheSameFolderExitsOneAtOnceAndChangesNothing() throws Exception {
    Path whole = tmp.resolve("whole");
    Cli reference = Cli.run(slow(whole));
    assertEquals(0, reference.status, reference::toString);

    Path out = tmp.resolve("out");
    Path logA = tmp.resolve("a.txt");
    Process a = ChildProcessTest.start(logA, "-Xmx256m", slow(out));
    waitFor(a, out.resolve("train.jsonl"));
    assertTrue(Files.exists(out.resolve(OutLock.NAME)));

    // Even --overwrite (which would delete the dataset) and other arguments (which would be a
    // usage error after reading the journal) are refused before the folder is looked at.
    for (String[] second :
        new String[][] {slow(out), slow(out, "--overwrite"), slow(out, "--seed", "9")}) {
      Path logB = tmp.resolve("b.txt");
      long started = System.nanoTime();
      int status = ChildProcessTest.runToEnd(logB, "-Xmx256m", second);
      String log = ChildProcessTest.readLog(logB);
      assertEquals(1, status, log);
      assertTrue(log.contains("is in use by another ssrl run (pid " + a.pid() + ", started "), log);
      assertTrue(log.contains("nothing was changed"), log);
      assertTrue(a.isAlive(), "the second run was refused while the first still ran");
      assertTrue(
          System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60), "refused without waiting");
    }
    assertTrue(a.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, a.exitValue(), () -> ChildProcessTest.readLog(logA));
    assertFalse(Files.exists(out.resolve(OutLock.NAME)), "released on normal exit");
    assertEquals(Cli.tree(whole), Cli.tree(out));
  }

  @Test
  void aKilledRunLeavesAStaleLockThatTheNextRunTakesOverAndResumes() throws Exception {
    Path whole = tmp.resolve("whole");
    assertEquals(0, Cli.run(slow(whole)).status);

    Path out = tmp.resolve("out");
    Path log = tmp.resolve("log.txt");
    Process a = ChildProcessTest.start(log, "-Xmx256m", slow(out));
    Path train = out.resolve("train.jsonl");
    while (a.isAlive() && !(Files.exists(train) && Files.size(train) > 0)) {
      Thread.sleep(5);
    }
    // Past the first chunk's journal commit (ms after its lines), long before the next chunk.
    Thread.sleep(200);
    a.destroyForcibly();
    a.waitFor(30, TimeUnit.SECONDS);
    assertFalse(Files.exists(out.resolve(Generator.MANIFEST)), "killed before the end");
    String stale = Files.readString(out.resolve(OutLock.NAME));
    assertTrue(stale.contains("pid=" + a.pid() + "\n"), stale);

    assertEquals(0, ChildProcessTest.runToEnd(log, "-Xmx256m", slow(out)));
    String text = ChildProcessTest.readLog(log);
    assertTrue(text.contains("taking over the stale lock"), text);
    assertTrue(text.contains("of pid " + a.pid()), text);
    assertTrue(text.contains("resuming"), text);
    assertFalse(Files.exists(out.resolve(OutLock.NAME)));
    assertEquals(Cli.tree(whole), Cli.tree(out));
  }

  @Test
  void aLivePidWithAnotherStartTimeIsStaleButTheRealOwnerIsNot() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      String realStart = sleeper.info().startInstant().orElseThrow().toString();
      Path out = tmp.resolve("reused");
      Files.createDirectories(out);
      // The pid was reused by an unrelated process: a stale record, taken over.
      Files.writeString(
          out.resolve(OutLock.NAME),
          "pid=" + sleeper.pid() + "\nstarted=" + Instant.EPOCH + "\nboot=" + OutLock.bootId());
      Cli run = Cli.run("generate", "--out", out.toString(), "--tasks", "tiles");
      assertEquals(0, run.status, run::toString);
      assertTrue(run.err.contains("taking over the stale lock"), run.err);

      // A record from another boot says nothing about today's pid either.
      Path otherBoot = tmp.resolve("boot");
      Files.createDirectories(otherBoot);
      Files.writeString(
          otherBoot.resolve(OutLock.NAME),
          "pid=" + sleeper.pid() + "\nstarted=" + realStart + "\nboot=another-boot");
      assertEquals(
          0, Cli.run("generate", "--out", otherBoot.toString(), "--tasks", "tiles").status);

      // The owner is alive (same pid, start and boot) but holds no kernel lock, as on a file
      // system that does not enforce locks: refused, and the folder is left as it was.
      Path live = tmp.resolve("live");
      Files.createDirectories(live);
      String record =
          "pid=" + sleeper.pid() + "\nstarted=" + realStart + "\nboot=" + OutLock.bootId() + "\n";
      Files.writeString(live.resolve(OutLock.NAME), record);
      Cli refused = Cli.run("generate", "--out", live.toString(), "--tasks", "tiles");
      assertEquals(1, refused.status, refused::toString);
      assertTrue(
          refused.err.contains("(pid " + sleeper.pid() + ", started " + realStart), refused.err);
      assertEquals(record, Files.readString(live.resolve(OutLock.NAME)));
      try (var files = Files.list(live)) {
        assertEquals(1, files.count(), "only the owner's lock file");
      }
    } finally {
      sleeper.destroy();
    }
  }

  @Test
  void theLockIsReleasedWhenTheRunFails() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(0, Cli.run("generate", "--out", out.toString(), "--tasks", "tiles").status);
    // A resume with other arguments fails (exit 2) after the lock was taken.
    Cli other = Cli.run("generate", "--out", out.toString(), "--tasks", "tiles", "--seed", "3");
    assertEquals(2, other.status, other::toString);
    assertFalse(Files.exists(out.resolve(OutLock.NAME)), "released on failure");
    Cli again = Cli.run("generate", "--out", out.toString(), "--tasks", "tiles");
    assertEquals(0, again.status, again::toString);
    assertFalse(again.err.contains("stale"), again.err);
  }
}
