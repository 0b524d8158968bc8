package dev.ssrl.cli.generate;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.FileTrees;
import dev.ssrl.cli.common.Futures;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.AtomicFiles;
import dev.ssrl.dataset.Counts;
import dev.ssrl.dataset.DatasetConfig;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.DatasetJson;
import dev.ssrl.dataset.GenerateOptions;
import dev.ssrl.dataset.Manifest;
import dev.ssrl.dataset.ParquetExport;
import dev.ssrl.dataset.RejectLine;
import dev.ssrl.dataset.SampleLine;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.dataset.WorkItem;
import dev.ssrl.tasks.SampleSplit;
import dev.ssrl.tasks.Sizing;
import dev.ssrl.tasks.audit.BlindAudit;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Writes a dataset (SPEC §6) crash-safely and deterministically.
 *
 * <p>Work items are (scene, task, variant) in scene order, then task order, then variant. Scenes
 * are processed in chunks: the scenes of a chunk are loaded and generated in parallel (each worker
 * writes its images to a temporary file and renames it into place), then the main thread appends
 * the chunk's lines to the JSONL files in item order, forces them to disk and replaces the progress
 * journal {@value #JOURNAL}, which records how many scenes are committed and the byte length of
 * every JSONL file. After a crash, a run with the same configuration truncates each file to its
 * journalled length and goes on with the next scene; images of the uncommitted chunk are simply
 * written again with the same bytes. The trainer layouts' files and the manifest are derived from
 * the JSONL files at the end, each written to a temporary file and renamed.
 */
public final class Generator {
  public static final String JOURNAL = ".ssrl-progress";
  public static final String TMP = ".ssrl-tmp";
  public static final String TRAIN = DatasetFormat.jsonl(DatasetFormat.TRAIN);
  public static final String VAL = DatasetFormat.jsonl(DatasetFormat.VAL);
  public static final String REJECTS = DatasetFormat.REJECTS;
  public static final String MANIFEST = DatasetFormat.MANIFEST;

  private final DatasetConfig config;
  private final Map<String, Task> tasks;
  private final Path out;
  private final int threads;
  // Scenes generated at once: never more than the cores, since a worker beyond them adds no
  // throughput, only time-slicing, memory and contention (issue 27, docs/cli.md "Sizing").
  private final int workers;
  private final PrintStream err;
  private final MemoryGuard memory;

  // Where window statistics are computed (--gpu); null: the config's choice (set in runLocked).
  private WindowStatsChoice windowStats;

  /** Test hook: stop (as if killed) after this many chunks were committed by this run; -1 never. */
  public int stopAfterChunks = -1;

  public Generator(
      DatasetConfig config, Map<String, Task> tasks, Path out, int threads, PrintStream err) {
    this.config = config;
    this.tasks = tasks;
    this.out = out;
    this.threads = threads;
    this.workers = Math.min(threads, Runtime.getRuntime().availableProcessors());
    this.err = err;
    this.memory = new MemoryGuard(MemoryBudget.ofRuntime(workers), tasks.values(), err);
  }

  /** Thrown by the {@link #stopAfterChunks} hook. */
  public static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped by test hook");
    }
  }

  /** Output of one scene, in item order. */
  record SceneResult(List<String> train, List<String> val, List<String> rejects) {}

  /** {@code --gpu}'s choice of window-statistics engine ({@link WindowStatsChoice#of}). */
  Generator windowStats(WindowStatsChoice choice) {
    this.windowStats = choice;
    return this;
  }

  /** Runs (or resumes) generation over the given scenes, then writes parquet and manifest. */
  public void run(List<SceneSource> allScenes, boolean overwrite) throws IOException {
    createOut();
    // Before anything in the folder is read or changed: a second run must leave it untouched.
    try (OutLock lock = OutLock.acquire(out, err)) {
      runLocked(allScenes, overwrite);
    }
  }

  private void createOut() throws IOException {
    try {
      Files.createDirectories(out);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("output path " + out + " exists and is not a folder", e);
    } catch (IOException e) {
      throw new IOException("cannot create output folder " + out + " (" + e + ")", e);
    }
    if (!Files.isWritable(out)) {
      throw new IOException("output folder " + out + " is not writable");
    }
  }

  private void runLocked(List<SceneSource> allScenes, boolean overwrite) throws IOException {
    if (windowStats == null) {
      windowStats = WindowStatsChoice.of(config, tasks.values(), false);
    }
    if (windowStats.device() != null) {
      err.println("ssrl: " + windowStats.logLine());
    }
    List<SceneSource> scenes =
        config.limitScenes() > 0 && allScenes.size() > config.limitScenes()
            ? allScenes.subList(0, config.limitScenes())
            : allScenes;
    Journal journal = prepare(overwrite, fingerprint(scenes));
    long totalItems = 0;
    for (SceneSource s : scenes) {
      totalItems += itemsOf(s.id()).size();
    }
    long doneItems = 0;
    for (int i = 0; i < journal.scenesDone && i < scenes.size(); i++) {
      doneItems += itemsOf(scenes.get(i).id()).size();
    }
    Progress progress = Progress.create(err, "generate", totalItems);
    progress.update(doneItems);
    for (String t : config.tasks()) {
      Files.createDirectories(out.resolve(DatasetFormat.IMAGES).resolve(t));
    }
    Files.createDirectories(out.resolve(TMP));
    GenerationOptions base = windowStats.base();
    ExecutorService pool = Executors.newFixedThreadPool(workers, Generator::daemon);
    int chunk = Math.max(4, 2 * workers);
    int committedThisRun = 0;
    SampleSplit.Scope split = SampleSplit.forWorkers(workers);
    try (FileChannel train = open(TRAIN, journal);
        FileChannel val = config.valFraction() > 0 ? open(VAL, journal) : null;
        FileChannel rejects = open(REJECTS, journal)) {
      // The next chunk's scenes are submitted before this chunk is awaited, so that a worker that
      // is done with its last scene of the chunk starts on the next one instead of waiting for the
      // chunk's slowest scene (with few, unequal scenes per chunk that wait was most of a 2-thread
      // run's loss; issue 17). Commits stay per chunk, in scene order: the bytes do not change.
      Map<Integer, Future<SceneResult>> inFlight = new HashMap<>();
      int submitted = journal.scenesDone;
      for (int start = journal.scenesDone; start < scenes.size(); start += chunk) {
        int end = Math.min(scenes.size(), start + chunk);
        for (int ahead = Math.min(scenes.size(), end + chunk); submitted < ahead; submitted++) {
          SceneSource s = scenes.get(submitted);
          inFlight.put(submitted, pool.submit(() -> memory.run(s, this, base)));
        }
        StringBuilder t = new StringBuilder();
        StringBuilder v = new StringBuilder();
        StringBuilder r = new StringBuilder();
        for (int i = start; i < end; i++) {
          SceneResult res = Futures.await(inFlight.remove(i));
          res.train.forEach(line -> t.append(line).append('\n'));
          res.val.forEach(line -> v.append(line).append('\n'));
          res.rejects.forEach(line -> r.append(line).append('\n'));
          doneItems += res.train.size() + res.val.size() + res.rejects.size();
        }
        append(train, TRAIN, t);
        if (val != null) {
          append(val, VAL, v);
        }
        append(rejects, REJECTS, r);
        journal.scenesDone = end;
        journal.lengths.put(TRAIN, train.size());
        if (val != null) {
          journal.lengths.put(VAL, val.size());
        }
        journal.lengths.put(REJECTS, rejects.size());
        journal.save(out);
        progress.update(doneItems);
        if (++committedThisRun == stopAfterChunks) {
          throw new Stopped();
        }
      }
    } finally {
      split.close();
      pool.shutdownNow();
      // Scenes submitted ahead may still be running after a failure or a stop: none may write
      // into the folder once this method has returned and the folder lock is released.
      boolean interrupted = false;
      while (true) {
        try {
          if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    progress.finish();
    finish(journal);
  }

  /** SHA-256 over the scene ids in order: a resumed run must see the same scenes. */
  static String fingerprint(List<SceneSource> scenes) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      for (SceneSource s : scenes) {
        d.update(s.id().getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
      }
      return scenes.size() + ":" + java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "ssrl-generate");
    t.setDaemon(true);
    return t;
  }

  /** The work items of one scene in order ({@link DatasetConfig#itemsOf}). */
  List<WorkItem> itemsOf(String sceneId) {
    return config.itemsOf(sceneId);
  }

  /** Loads and generates one scene; {@code attempt} is {@link MemoryGuard}'s view of it. */
  SceneResult generateScene(SceneSource source, GenerationOptions base, MemoryGuard.Attempt attempt)
      throws IOException {
    List<WorkItem> items = itemsOf(source.id());
    List<String> samples = new ArrayList<>();
    List<String> rejects = new ArrayList<>();
    Scene scene;
    try {
      scene = source.loader().call();
    } catch (Exception | OutOfMemoryError e) {
      // Not enough heap while others work: MemoryGuard frees the scene and retries it alone.
      attempt.outOfMemoryOnLoad(e);
      String reason = "load: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      // The manifest counts rejections by cause: with the file name in the key, a million
      // broken files would give the manifest a million keys. rejects.jsonl keeps the full reason.
      String cause = e instanceof SceneLoadException sle ? "load: " + sle.reason() : reason;
      for (WorkItem item : items) {
        rejects.add(
            new RejectLine(source.id(), item.task(), item.variant(), reason, cause, source.origin())
                .toJson());
      }
      return new SceneResult(List.of(), List.of(), rejects);
    }
    String over = attempt.afterLoad(scene);
    if (over != null) {
      return rejectAll(source.id(), items, over, MemoryGuard.OVER_BUDGET);
    }
    // Scaled into the trainer's pixel range once; every item of the scene runs on it.
    Sizing.Fitted fitted = config.sizing().fit(scene);
    for (WorkItem item : items) {
      Task task = tasks.get(item.task());
      long seed = item.seed(config.seed(), source.id());
      Outcome outcome;
      try {
        outcome = fitted.generate(task, seed, base.withVariant(item.variant()));
      } catch (IllegalArgumentException e) {
        throw new UsageError("task " + item.task() + ": " + e.getMessage());
      } catch (RuntimeException e) {
        // A generator bug must not end a long batch: count it, say where, go on.
        err.println(
            "ssrl: warning: task "
                + item.task()
                + " failed on scene "
                + source.origin()
                + ": "
                + e);
        rejects.add(
            RejectLine.ofTask(
                    source.id(),
                    item,
                    item.task() + ": generator error " + e.getClass().getSimpleName())
                .toJson());
        continue;
      }
      if (outcome instanceof Rejection rej) {
        rejects.add(RejectLine.ofTask(source.id(), item, rej.reason()).toJson());
      } else if (outcome instanceof Sample sample) {
        samples.add(writeSample(withProvenance(sample, task, source), item.task(), attempt));
      }
    }
    boolean val = DatasetFormat.VAL.equals(config.splitOf(source.id()));
    return new SceneResult(val ? List.of() : samples, val ? samples : List.of(), rejects);
  }

  /**
   * A sample of a depth task made from estimated depth says so, and by which model (name and
   * SHA-256; docs/depth-models.md). Other samples are left as they are.
   */
  static Sample withProvenance(Sample s, Task task, SceneSource source) {
    if (source.estimatedBy() == null || !task.needsDepth()) {
      return s;
    }
    Map<String, Object> m = new LinkedHashMap<>(s.metadata());
    m.putAll(source.estimatedBy().metadata());
    return new Sample(s.id(), s.sceneId(), s.taskId(), s.problem(), s.images(), s.answer(), m);
  }

  /** Every item of a scene rejected for one reason. */
  SceneResult rejectAll(String scene, List<WorkItem> items, String reason, String cause) {
    List<String> rejects = new ArrayList<>();
    for (WorkItem item : items) {
      rejects.add(new RejectLine(scene, item.task(), item.variant(), reason, cause, null).toJson());
    }
    return new SceneResult(List.of(), List.of(), rejects);
  }

  private String writeSample(Sample sample, String taskId, MemoryGuard.Attempt attempt)
      throws IOException {
    List<String> paths = new ArrayList<>();
    List<Raster> images = sample.images();
    for (int k = 0; k < images.size(); k++) {
      String rel = DatasetFormat.imagePath(taskId, sample.id(), k);
      Path target = out.resolve(rel);
      // Recorded before the write: a scene that fails later has its images deleted again.
      attempt.written(target);
      writeAtomically(target, ImageCodec.encodeJpeg(images.get(k), config.jpegQuality()));
      paths.add(
          config.layouts().imagePaths().name(out.toAbsolutePath().normalize().toString(), rel));
    }
    return SampleLine.of(
        sample.id(),
        taskId,
        sample.problem(),
        sample.answer(),
        paths,
        DatasetJson.write(sample.metadata()));
  }

  // Names of temporary files. Files.createTempFile draws each name from the JVM's one
  // SecureRandom, a lock every worker took for every image (2.3 s of 3.3 s of monitor waits at 16
  // workers, issue 27); a counter with CREATE_NEW is unique as well.
  private final AtomicLong tmpNames = new AtomicLong();

  /** Writes to a unique temporary file in {@value #TMP}, then renames it over {@code target}. */
  void writeAtomically(Path target, byte[] bytes) throws IOException {
    try {
      Path tmp = newTemp();
      try {
        Files.write(tmp, bytes);
        AtomicFiles.move(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw AtomicFiles.writeFailed(target, e);
    }
  }

  private Path newTemp() throws IOException {
    while (true) {
      try {
        return Files.createFile(
            out.resolve(TMP).resolve("w" + tmpNames.incrementAndGet() + ".tmp"));
      } catch (FileAlreadyExistsException e) {
        // Left there by something else: take the next name.
      }
    }
  }

  private void append(FileChannel ch, String name, CharSequence text) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    try {
      while (buf.hasRemaining()) {
        ch.write(buf, ch.size());
      }
      ch.force(false);
    } catch (IOException e) {
      throw AtomicFiles.writeFailed(out.resolve(name), e);
    }
  }

  private FileChannel open(String name, Journal journal) throws IOException {
    Path p = out.resolve(name);
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long length = journal.lengths.getOrDefault(name, 0L);
    if (ch.size() < length) {
      ch.close();
      throw new IOException(
          p
              + " is shorter ("
              + Files.size(p)
              + " bytes) than the progress journal records ("
              + length
              + "); it was changed outside ssrl: start again with --overwrite");
    }
    // Drops whatever a killed run appended after its last commit (e.g. half a line).
    ch.truncate(length);
    ch.force(true);
    return ch;
  }

  /** Checks the folder, then loads the journal of a run to resume or starts a new one. */
  private Journal prepare(boolean overwrite, String scenesFingerprint) throws IOException {
    Path journalFile = out.resolve(JOURNAL);
    if (overwrite) {
      clean();
    } else if (Files.exists(journalFile)) {
      Journal j = Journal.load(journalFile);
      if (!j.configHash.equals(config.hash())) {
        throw new UsageError(
            out
                + " holds a dataset generated with other arguments; it can only be resumed with"
                + " the same ones (differences: "
                + Journal.differences(j.config, Json.MAPPER.valueToTree(config.toMap()))
                + "). Use --overwrite to start again, or choose another --out.");
      }
      if (!j.scenes.equals(scenesFingerprint)) {
        throw new UsageError(
            out
                + " was generated from another list of scenes (files were added, removed or"
                + " renamed in the source folders); use --overwrite to start again");
      }
      FileTrees.delete(out.resolve(TMP));
      if (j.scenesDone > 0) {
        err.println("ssrl: resuming " + out + " after " + j.scenesDone + " committed scenes");
      }
      return j;
    } else if (!isEmpty(out) && !onlyJournalTemp(out)) {
      throw new UsageError(
          "output folder "
              + out
              + " is not empty and holds no ssrl progress journal; use --overwrite to replace its"
              + " dataset, or choose an empty folder");
    }
    Journal j = new Journal();
    j.configHash = config.hash();
    j.config = Json.MAPPER.valueToTree(config.toMap());
    j.scenes = scenesFingerprint;
    j.started = Instant.now().toString();
    j.save(out);
    return j;
  }

  private void clean() throws IOException {
    FileTrees.delete(out.resolve(JOURNAL));
    FileTrees.delete(out.resolve(TMP));
    for (String name : DatasetFormat.entries()) {
      FileTrees.delete(out.resolve(name));
    }
  }

  /**
   * Whether the folder holds nothing but the temporary file of a first journal save: what a run
   * killed between writing that file and renaming it leaves behind. It is a fresh start.
   */
  private static boolean onlyJournalTemp(Path dir) throws IOException {
    if (namesBesideLock(dir).equals(List.of(JOURNAL + ".tmp"))) {
      Files.delete(dir.resolve(JOURNAL + ".tmp"));
      return true;
    }
    return false;
  }

  /** Empty but for this run's own lock file. */
  private static boolean isEmpty(Path dir) throws IOException {
    return namesBesideLock(dir).isEmpty();
  }

  /** The names in the folder other than this run's lock file, which it holds before looking. */
  private static List<String> namesBesideLock(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(OutLock.NAME)).toList();
    }
  }

  /** Writes parquet and manifest from the committed JSONL files and marks the run complete. */
  private void finish(Journal journal) throws IOException {
    Counts counts = new Counts(config.tasks(), config.valFraction());
    BlindAudit audit = new BlindAudit();
    List<String> splits = DatasetFormat.splits(config.valFraction());
    // Only a run with --depth-model counts scenes by depth source (other manifests stay as they
    // were).
    SampleTally.DepthScenes depth =
        config.parameters().containsKey(GenerateOptions.DEPTH_MODEL_PARAMETER)
            ? new SampleTally.DepthScenes(tasks)
            : null;
    for (String split : splits) {
      SampleTally.count(out.resolve(DatasetFormat.jsonl(split)), split, counts, audit, depth);
    }
    if (depth != null) {
      counts.depthScenes(depth.sensor, depth.estimated);
    }
    Path rejectsFile = out.resolve(REJECTS);
    try (BufferedReader r = Files.newBufferedReader(rejectsFile)) {
      int n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        RejectLine rl = RejectLine.parse(line, rejectsFile + " line " + ++n);
        counts.rejects(rl.task(), rl.countKey(), 1);
      }
    }
    List<String> files = new ArrayList<>();
    splits.forEach(split -> files.add(DatasetFormat.jsonl(split)));
    files.add(REJECTS);
    // Every layout the same way: its file of each split, derived from the split's JSONL.
    for (TrainerLayout layout : config.layouts().resolve()) {
      for (String split : splits) {
        String f = layout.file(split);
        Path target = out.resolve(f);
        Files.createDirectories(target.getParent());
        ParquetExport.write(layout, out.resolve(DatasetFormat.jsonl(split)), target, split, out);
        files.add(f);
      }
    }
    // Run facts that differ between identical datasets live under "run" only.
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("started", journal.started);
    run.put("finished", Instant.now().toString());
    run.put("threads", threads);
    if (windowStats.device() != null) {
      // The engine of the run that finished the dataset (the samples are the same on any).
      run.put("windowStatsEngine", windowStats.device());
    }
    List<String> sources = config.sources().isEmpty() ? List.of("builtin") : config.sources();
    Map<String, Object> m =
        Manifest.of(CliContext.version(), config, sources, counts, audit, files, null, run);
    writeAtomically(out.resolve(MANIFEST), Manifest.toBytes(m));
    journal.complete = true;
    journal.save(out);
    FileTrees.delete(out.resolve(TMP));
    err.println(
        "ssrl: wrote "
            + counts.train()
            + " train"
            + (splits.size() > 1 ? " + " + counts.val() + " val" : "")
            + " samples, "
            + counts.rejected()
            + " rejections to "
            + out);
    AuditWarnings.print(err, audit);
  }
}
