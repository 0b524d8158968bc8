package dev.ssrl.cli.score;

import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Futures;
import dev.ssrl.cli.common.PartialCreditOption;
import dev.ssrl.cli.common.RewardMode;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.common.UsageError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssrl score}: scores a JSONL file of responses. A malformed line stops the run with its
 * line number (exit 1): silently skipping rollouts would shift every later advantage.
 *
 * <p>The file is streamed: the input is read in byte chunks of whole lines, worker threads parse,
 * score and serialise the lines of a chunk, and this thread writes the lines in input order, adding
 * each group's advantages once the group is complete. Memory is bounded by the chunks in flight and
 * the largest group, not by the file. A group is taken to be complete when a line of another group
 * follows it (rollout files keep a group's lines together); a group that comes back later in the
 * file is corrected in a second pass over the output, so the advantages are always those over all
 * lines of the group. The output is written to a temporary file and moved into place (or copied to
 * standard output) only when the whole input was good: a malformed line leaves no output, as
 * before.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores responses. Input JSONL lines: {\"id\", \"group\", \"response\", \"answer\","
          + " \"task\"?, \"grid\"?}; output JSONL in the same order: {\"id\", \"group\","
          + " \"task\", \"overall\", \"format\", \"accuracy\", \"details\", \"advantage\"}.",
      "Advantages are group-relative over all lines of the file with the same group (a line"
          + " without a group is a group of its own, advantage 0). A per-task summary goes to"
          + " standard error. A malformed line is an error naming its line number (exit 1);"
          + " then nothing is written.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl score --in rollouts.jsonl --out scored.jsonl",
      "  ssrl score --in rollouts.jsonl --out scored.jsonl --reward-mode tolerant \\",
      "      --partial-credit shuffle=adjacency,depth=kendall",
      "  cat rollouts.jsonl | ssrl score --in - --out - > scored.jsonl"
    })
public final class ScoreCommand implements Callable<Integer> {
  /** Input is handed to the workers in chunks of about this many bytes (whole lines). */
  static final int CHUNK_BYTES = 1 << 19;

  private final CliContext context;

  public ScoreCommand(CliContext context) {
    this.context = context;
  }

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "Input JSONL, or - for standard input.")
  public String in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output JSONL, or - for standard output.")
  public String out;

  @Option(
      names = "--reward-mode",
      defaultValue = "reference",
      paramLabel = "reference|tolerant",
      description =
          "reference: exactly Spatial-SSRL's reward (a line's task is ignored); tolerant: the"
              + " task's verifier, lenient parsing and partial credit (every line needs a task)"
              + " (default: ${DEFAULT-VALUE}).")
  String rewardMode = "reference";

  @Option(
      names = "--partial-credit",
      paramLabel = "TASK=MODE[,TASK=MODE...]",
      description =
          "With --reward-mode tolerant: the partial credit of permutation tasks, MODE one of"
              + " exact, fraction, kendall, adjacency (default: fraction). adjacency reads a"
              + " line's \"grid\" (CxR, the sample's metadata grid); without one the positions"
              + " are one row (docs/verifiers.md).")
  String partialCredit;

  /** Worker threads; 0 means one per available processor. Tests use small chunks and 1-3. */
  public int threads = 0;

  public int chunkBytes = CHUNK_BYTES;

  @Override
  public Integer call() throws IOException {
    RewardMode mode = RewardMode.fromFlag(rewardMode);
    if (partialCredit != null && mode != RewardMode.TOLERANT) {
      throw new UsageError(
          "--partial-credit applies to --reward-mode tolerant (the reference reward is exact match)");
    }
    Scoring scoring =
        inMode(
            PartialCreditOption.apply(context.scoring().get(), "--partial-credit", partialCredit),
            mode);
    Path target = out.equals("-") ? null : outputTarget();
    InputStream input = openInput();
    Path tmp =
        target == null
            ? Files.createTempFile("ssrl-score-", ".jsonl")
            : Files.createTempFile(
                target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      GroupedOutput.Totals totals;
      try (InputStream is = input;
          OutputStream os = Files.newOutputStream(tmp)) {
        totals = stream(is, os, scoring);
      }
      if (!totals.dirty.isEmpty()) {
        GroupedOutput.regroup(tmp, totals.dirty, scoring);
      }
      if (target == null) {
        Files.copy(tmp, context.out());
        context.out().flush();
      } else {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      summary(totals);
    } finally {
      if (!done || target == null) {
        Files.deleteIfExists(tmp);
      }
    }
    return 0;
  }

  /** Opens {@code --in}, saying exactly what is wrong with an unusable path (exit 2). */
  private InputStream openInput() throws IOException {
    if (in.equals("-")) {
      return context.in();
    }
    Path p = Path.of(in);
    if (Files.isDirectory(p)) {
      throw new UsageError("--in " + in + " is a directory, not a JSONL file");
    }
    try {
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw new UsageError("--in " + in + ": file not found");
    } catch (AccessDeniedException e) {
      throw new UsageError("--in " + in + ": file is not readable (permission denied)");
    }
  }

  /** Where {@code --out} goes: the file itself, or what a symbolic link points to. */
  private Path outputTarget() throws IOException {
    Path p = Path.of(out);
    if (Files.isDirectory(p)) {
      throw new UsageError("--out " + out + " is a directory, not a file");
    }
    if (Files.exists(p) && !Files.isRegularFile(p)) {
      throw new UsageError("--out " + out + " is not a regular file");
    }
    Path parent = p.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      throw new UsageError("--out " + out + ": folder " + parent + " does not exist");
    }
    return Files.isSymbolicLink(p) ? p.toRealPath() : p;
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming pass: chunks of whole lines to the workers, their results in order to the output.

  GroupedOutput.Totals stream(InputStream is, OutputStream os, Scoring scoring) throws IOException {
    int workers = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    boolean strictUtf8 = !in.equals("-");
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "ssrl-score");
              t.setDaemon(true);
              return t;
            });
    GroupedOutput ordered = new GroupedOutput(os, scoring);
    ArrayDeque<Future<ScoredChunk>> inFlight = new ArrayDeque<>();
    try {
      byte[] buf = new byte[chunkBytes];
      int filled = 0;
      boolean eof = false;
      while (!eof) {
        int n = is.read(buf, filled, buf.length - filled);
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
          if (filled < buf.length) {
            continue;
          }
        }
        int cut = eof ? filled : lastCut(buf, filled);
        if (cut < 0) {
          // One line longer than the buffer: read on until it ends.
          buf = Arrays.copyOf(buf, buf.length * 2);
          continue;
        }
        if (cut > 0) {
          byte[] chunk = Arrays.copyOf(buf, cut);
          inFlight.add(pool.submit(() -> ScoredChunk.of(chunk, chunk.length, scoring, strictUtf8)));
        }
        System.arraycopy(buf, cut, buf, 0, filled - cut);
        filled -= cut;
        if (buf.length > chunkBytes && filled < chunkBytes) {
          buf = Arrays.copyOf(buf, Math.max(chunkBytes, filled));
        }
        while (!inFlight.isEmpty() && (inFlight.size() > 2 * workers || inFlight.peek().isDone())) {
          ordered.accept(Futures.await(inFlight.poll()));
        }
      }
      while (!inFlight.isEmpty()) {
        ordered.accept(Futures.await(inFlight.poll()));
      }
      ordered.finish();
      return ordered.totals;
    } finally {
      for (Future<ScoredChunk> f : inFlight) {
        f.cancel(true);
      }
      pool.shutdownNow();
    }
  }

  /**
   * The end of the last complete line in {@code b[0, n)}, or -1 if there is none. A line ends at
   * {@code \n}, {@code \r} or {@code \r\n} as for {@link BufferedReader#readLine}; a {@code \r} as
   * the last byte read does not count yet, since a {@code \n} may follow in the next read.
   */
  static int lastCut(byte[] b, int n) {
    for (int i = n - 1; i >= 0; i--) {
      if (b[i] == '\n' || (b[i] == '\r' && i + 1 < n)) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * The scoring of a mode: reference ignores the task (exactly the reward Spatial-SSRL trained
   * with); tolerant passes it to the task's verifier and refuses a line without one.
   */
  static Scoring inMode(Scoring base, RewardMode mode) {
    return new Scoring() {
      @Override
      public Reward score(String taskIdOrNull, String response, String answer) {
        return base.score(mode.verifierTask(taskIdOrNull), response, answer);
      }

      @Override
      public Reward score(String taskIdOrNull, String response, String answer, String grid) {
        return base.score(mode.verifierTask(taskIdOrNull), response, answer, grid);
      }

      @Override
      public double[] advantages(double[] groupRewards) {
        return base.advantages(groupRewards);
      }
    };
  }

  private void summary(GroupedOutput.Totals totals) {
    context.err().println("ssrl: scored " + totals.count + " responses");
    for (Map.Entry<String, double[]> e : totals.byTask.entrySet()) {
      double[] a = e.getValue();
      context
          .err()
          .println(
              String.format(
                  Locale.ROOT,
                  "  %-12s count %6d  overall %.4f  format %.4f  accuracy %.4f",
                  e.getKey(),
                  (long) a[0],
                  a[1] / a[0],
                  a[2] / a[0],
                  a[3] / a[0]));
    }
  }
}
