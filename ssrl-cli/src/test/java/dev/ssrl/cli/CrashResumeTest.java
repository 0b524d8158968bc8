package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and disk-failure behaviour of {@code ssrl generate} over the bad-input corpus with the five
 * real tasks, in child JVMs: SIGKILL at random moments, a file-size limit, a folder that turns
 * read-only. In every case the finished dataset must be byte-identical to an uninterrupted run.
 *
 * <p>The number of kills is {@code -Dssrl.crash.kills} (default 4; the {@code soak} profile raises
 * it); the kill moments come from {@code -Dssrl.crash.seed}, random when unset and printed, so a
 * failing schedule can be replayed.
 */
class CrashResumeTest {
  @TempDir Path tmp;

  private static final String[] TASK_ARGS = {
    "--tasks", "shuffle,flip,crop,depth,position", "--per-scene", "1", "--threads", "2"
  };

  /**
   * The common arguments: corpus folder, all tasks, a validation split and both Parquet flavours.
   */
  private static String[] args(Path src, Path out) {
    List<String> a = new ArrayList<>(List.of("generate", "--out", out.toString()));
    a.addAll(List.of(TASK_ARGS));
    a.addAll(List.of("--val-fraction", "0.25", "--parquet", "--verl", src.toString()));
    return a.toArray(String[]::new);
  }

  private static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Process start(Path log, List<String> cmd) throws IOException {
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static int finish(Process p) throws InterruptedException {
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child finished");
    return p.exitValue();
  }

  @Test
  void killedAtRandomMomentsAndResumedEqualsAnUninterruptedRun() throws Exception {
    Path src = tmp.resolve("corpus");
    BadInputCorpus.write(src);
    Path whole = tmp.resolve("whole");
    Path cut = tmp.resolve("cut");
    Path log = tmp.resolve("log.txt");

    long t0 = System.nanoTime();
    assertEquals(0, finish(start(log, javaCommand(args(src, whole)))), () -> read(log));
    long fullMillis = (System.nanoTime() - t0) / 1_000_000;

    int kills = Integer.getInteger("ssrl.crash.kills", 4);
    long seed = Long.getLong("ssrl.crash.seed", System.nanoTime());
    System.out.println(
        "CrashResumeTest: "
            + kills
            + " kills, -Dssrl.crash.seed="
            + seed
            + ", run "
            + fullMillis
            + " ms");
    SplittableRandom rnd = new SplittableRandom(seed);
    int interrupted = 0;
    int completed = 0;
    List<Long> delays = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      // Anywhere from JVM start-up to most of an uninterrupted run. A resumed run has less left
      // to do and may finish first: then it is checked and the next kill starts a fresh folder.
      long delay = (long) (fullMillis * rnd.nextDouble(0.05, 0.8));
      delays.add(delay);
      Process p = start(log, javaCommand(args(src, cut)));
      if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // SIGKILL on Linux and macOS
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      } else {
        assertEquals(0, p.exitValue(), () -> read(log));
      }
      if (complete(cut)) {
        completed++;
        assertEquals(Cli.tree(whole), Cli.tree(cut), "seed " + seed + ", delays " + delays);
        dev.ssrl.cli.common.FileTrees.delete(cut);
      } else {
        interrupted++;
      }
    }
    System.out.println(
        "CrashResumeTest: kill delays (ms) "
            + delays
            + ": "
            + interrupted
            + " interrupted a run, "
            + completed
            + " came after a (resumed) run had finished");
    assertTrue(interrupted >= 1, "at least one kill came before the end of a run");
    assertEquals(0, finish(start(log, javaCommand(args(src, cut)))), () -> read(log));
    assertEquals(Cli.tree(whole), Cli.tree(cut), "seed " + seed + ", delays " + delays);
    assertFalse(Files.exists(cut.resolve(Generator.TMP)));
  }

  /**
   * A write that fails part-way (here: the process's file-size limit, {@code ulimit -f}, which
   * makes writes fail with EFBIG the way a full disk fails them with ENOSPC, without needing root
   * to mount a small file system): exit status 1, an error naming the file, no manifest; resuming
   * without the limit finishes the same dataset as an uninterrupted run.
   */
  @Test
  void aWriteFailingPartWayEndsClearlyAndResumesToTheSameDataset() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash for ulimit");
    Path src = tmp.resolve("corpus");
    BadInputCorpus.write(src);
    Path whole = tmp.resolve("whole");
    Path cut = tmp.resolve("cut");
    Path log = tmp.resolve("log.txt");
    assertEquals(0, Cli.run(args(src, whole)).status);
    long biggest;
    try (Stream<Path> s = Files.walk(whole)) {
      biggest =
          s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max().orElseThrow();
    }
    long trainBytes = Files.size(whole.resolve("train.jsonl"));
    // First a limit below half the final train.jsonl, so a write of the main loop fails (an image
    // or a JSONL append, whichever outgrows it first); then
    // one below the largest file (the verl Parquet file, which holds the images), so a write of
    // the end-of-run phase fails. Each failed run leaves a folder that resumes cleanly.
    for (long limitKb : new long[] {trainBytes / 1024 / 2, biggest / 1024 / 2}) {
      List<String> cmd =
          new ArrayList<>(
              List.of("/bin/bash", "-c", "ulimit -f " + limitKb + " && exec \"$@\"", "bash"));
      cmd.addAll(javaCommand(args(src, cut)));
      Files.deleteIfExists(log);
      int status = finish(start(log, cmd));
      String err = read(log);
      System.out.println("CrashResumeTest: ulimit -f " + limitKb + " -> " + err.strip());
      assertEquals(1, status, err);
      assertTrue(err.contains("ssrl: error: cannot write " + cut), err);
      assertTrue(err.contains("File too large"), err);
      assertFalse(Files.exists(cut.resolve("manifest.json")), "no manifest for a failed run");
    }

    assertEquals(0, finish(start(log, javaCommand(args(src, cut)))), () -> read(log));
    assertEquals(Cli.tree(whole), Cli.tree(cut));
  }

  /**
   * The images folder turns read-only while the run writes into it: exit status 1 with an error
   * naming the image; after permissions are restored the run resumes to the same dataset. Skipped
   * when permissions do not bind (root).
   */
  @Test
  void aFolderTurningReadOnlyMidRunEndsClearlyAndResumes() throws Exception {
    Path probe = tmp.resolve("probe");
    Files.createDirectories(probe);
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("r-xr-xr-x"));
    boolean binds;
    try {
      Files.createFile(probe.resolve("x"));
      binds = false;
    } catch (IOException e) {
      binds = true;
    } finally {
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assumeTrue(
        binds, "a read-only folder is still writable for this user (root): cannot test this here");
    Path src = tmp.resolve("corpus");
    BadInputCorpus.write(src);
    Path whole = tmp.resolve("whole");
    Path cut = tmp.resolve("cut");
    Path log = tmp.resolve("log.txt");
    assertEquals(0, Cli.run(args(src, whole)).status);
    Process p = start(log, javaCommand(args(src, cut)));
    Path images = cut.resolve("images").resolve("crop");
    while (p.isAlive() && !Files.isDirectory(images)) {
      Thread.sleep(2);
    }
    Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(
        cut.resolve(Generator.TMP), PosixFilePermissions.fromString("r-xr-xr-x"));
    int status;
    try {
      status = finish(p);
    } finally {
      Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(
          cut.resolve(Generator.TMP), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    String err = read(log);
    assertEquals(1, status, err);
    assertTrue(err.contains("ssrl: error: cannot write " + cut), err);
    assertFalse(Files.exists(cut.resolve("manifest.json")));
    assertEquals(0, finish(start(log, javaCommand(args(src, cut)))), () -> read(log));
    assertEquals(Cli.tree(whole), Cli.tree(cut));
  }

  /**
   * A real full file system: the output on a tmpfs of half the dataset's size gives ENOSPC
   * part-way; exit status 1 naming the file and "No space left on device", no manifest; after the
   * tmpfs is grown the run resumes to the same dataset. Mounting needs root, so it runs only when
   * asked ({@code -Dssrl.soak=true}, set by the {@code soak} profile) and a mount succeeds.
   */
  @Test
  void aFullFileSystemEndsClearlyAndResumesOnceThereIsRoom() throws Exception {
    assumeTrue(Boolean.getBoolean("ssrl.soak"), "opt-in (mounts a tmpfs): -Psoak");
    Path src = tmp.resolve("corpus");
    BadInputCorpus.write(src);
    Path whole = tmp.resolve("whole");
    assertEquals(0, Cli.run(args(src, whole)).status);
    long total;
    try (Stream<Path> s = Files.walk(whole)) {
      total = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    Path mnt = tmp.resolve("mnt");
    Files.createDirectories(mnt);
    int mounted =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + total / 2048 + "k", "tmpfs", mnt.toString())
            .inheritIO()
            .start()
            .waitFor();
    assumeTrue(mounted == 0, "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)");
    try {
      Path cut = mnt.resolve("cut");
      Path log = tmp.resolve("log.txt");
      int status = finish(start(log, javaCommand(args(src, cut))));
      String err = read(log);
      System.out.println("CrashResumeTest: tmpfs of " + total / 2048 + " KiB -> " + err.strip());
      assertEquals(1, status, err);
      assertTrue(err.contains("ssrl: error: cannot write " + cut), err);
      assertTrue(err.contains("No space left on device"), err);
      assertFalse(Files.exists(cut.resolve("manifest.json")));
      int grown =
          new ProcessBuilder(
                  "mount", "-o", "remount,size=" + total * 2 / 1024 + "k", mnt.toString())
              .inheritIO()
              .start()
              .waitFor();
      assertEquals(0, grown, "tmpfs grown");
      assertEquals(0, finish(start(log, javaCommand(args(src, cut)))), () -> read(log));
      assertEquals(Cli.tree(whole), Cli.tree(cut));
    } finally {
      new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
    }
  }

  /** What a kill between the first journal write and its rename leaves: a fresh start. */
  @Test
  void aFolderHoldingOnlyAHalfSavedFirstJournalStartsAfresh() throws IOException {
    Path out = tmp.resolve("half");
    Files.createDirectories(out);
    Files.writeString(out.resolve(Generator.JOURNAL + ".tmp"), "{\"configHash\":");
    Cli r =
        Cli.run("generate", "--out", out.toString(), "--tasks", "tiles", "--builtin-scenes", "2");
    assertEquals(0, r.status, r::toString);
    Map<String, String> tree = Cli.tree(out);
    assertFalse(tree.containsKey(Generator.JOURNAL + ".tmp"), tree.toString());
    assertEquals(2, GenerateTest.lines(out.resolve("train.jsonl")).size());
  }

  /** Whether the folder holds a finished run (its journal says so). */
  static boolean complete(Path out) throws IOException {
    Path j = out.resolve(Generator.JOURNAL);
    return Files.exists(j) && Json.MAPPER.readTree(j.toFile()).path("complete").asBoolean(false);
  }

  static String read(Path log) {
    return ChildProcessTest.readLog(log);
  }
}
