package dev.ssrl.cli.generate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The exclusive lock of one {@code ssrl generate} run on its output folder: the file {@value #NAME}
 * holding the owner's pid, process start time and boot id, locked with {@link
 * FileChannel#tryLock()}.
 *
 * <p>Two mechanisms, because each alone has a hole. The operating-system lock is what makes two
 * JVMs unable to both win (the kernel arbitrates, and it drops the lock when the owner dies, even
 * by {@code kill -9}); the pid record is what a second run names in its refusal, and what catches a
 * live owner on a file system where locks are not enforced. A record whose process is gone, or
 * whose pid now belongs to a process with another start time or boot (pid reuse), is stale and is
 * taken over. The file is deleted on release; a run that wins the lock on a file that another run
 * has just deleted notices (the path no longer shows its record) and tries again.
 */
final class OutLock implements AutoCloseable {
  static final String NAME = ".ssrl-lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Thread hook;
  private boolean released;

  private OutLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    // SIGTERM / Ctrl-C run shutdown hooks but not the main thread's finally blocks.
    this.hook = new Thread(this::release, "ssrl-out-lock");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Takes the lock on {@code out} (an existing folder) or fails at once, changing nothing in the
   * folder.
   *
   * @throws IOException naming the owner when another live run holds the folder
   */
  static OutLock acquire(Path out, PrintStream err) throws IOException {
    Path file = out.resolve(NAME);
    for (int attempt = 0; attempt < 5; attempt++) {
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        // Another run in this very JVM (in-process callers such as tests) holds it.
        ch.close();
        throw busy(out, file, readRecord(file));
      } catch (IOException e) {
        ch.close();
        throw new IOException("cannot lock " + file + ": " + e.getMessage(), e);
      }
      if (lock == null) {
        Map<String, String> owner = readRecord(file);
        ch.close();
        throw busy(out, file, owner);
      }
      Map<String, String> previous = read(ch);
      if (!previous.isEmpty() && !isSelf(previous) && isAlive(previous)) {
        // A live owner without the kernel lock: locks are not enforced on this file system.
        lock.release();
        ch.close();
        throw busy(out, file, previous);
      }
      String record = record();
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      String onDisk;
      try {
        onDisk = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        onDisk = null;
      }
      if (!record.equals(onDisk)) {
        // We locked a file its previous owner deleted on release; the path is someone else's now.
        lock.release();
        ch.close();
        continue;
      }
      if (!previous.isEmpty() && !isSelf(previous)) {
        err.println(
            "ssrl: taking over the stale lock "
                + file
                + " of pid "
                + previous.getOrDefault("pid", "?")
                + " (started "
                + previous.getOrDefault("started", "?")
                + "): that process is gone");
      }
      return new OutLock(file, ch, lock);
    }
    throw new IOException("cannot lock " + file + ": it keeps being replaced by other runs");
  }

  /** Deletes the lock file and releases the lock; idempotent. */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      // Deleted while still locked, so no other run can have taken it in between.
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover record is harmless: its process is gone, so the next run takes it over.
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // Closing drops the kernel lock in any case.
    }
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs (or ran) anyway; release() is idempotent.
    }
  }

  private static IOException busy(Path out, Path file, Map<String, String> owner) {
    String who =
        owner.isEmpty()
            ? "another ssrl run"
            : "another ssrl run (pid "
                + owner.getOrDefault("pid", "?")
                + ", started "
                + owner.getOrDefault("started", "?")
                + ")";
    return new IOException(
        "output folder "
            + out
            + " is in use by "
            + who
            + "; lock file "
            + file
            + ". Wait for that run to end or choose another --out; nothing was changed.");
  }

  static String record() {
    ProcessHandle self = ProcessHandle.current();
    return "pid="
        + self.pid()
        + "\nstarted="
        + self.info().startInstant().map(Instant::toString).orElse("")
        + "\nboot="
        + bootId()
        + "\n";
  }

  /** Linux's id of this boot: a pid recorded before a reboot says nothing about today's process. */
  static String bootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }

  private static boolean isSelf(Map<String, String> rec) {
    return String.valueOf(ProcessHandle.current().pid()).equals(rec.get("pid"));
  }

  /** Whether the recorded process still runs: same pid, same start time, same boot. */
  static boolean isAlive(Map<String, String> rec) {
    long pid;
    try {
      pid = Long.parseLong(rec.getOrDefault("pid", ""));
    } catch (NumberFormatException e) {
      return false;
    }
    String boot = rec.getOrDefault("boot", "");
    if (!boot.isEmpty() && !boot.equals(bootId())) {
      return false;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return false;
    }
    String started = rec.getOrDefault("started", "");
    Optional<Instant> actual = h.get().info().startInstant();
    return started.isEmpty() || actual.isEmpty() || actual.get().toString().equals(started);
  }

  private static Map<String, String> read(FileChannel ch) throws IOException {
    long size = Math.min(ch.size(), 4096);
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
      // Reads the whole (small) record.
    }
    return parse(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
  }

  private static Map<String, String> readRecord(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  static Map<String, String> parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }
}
