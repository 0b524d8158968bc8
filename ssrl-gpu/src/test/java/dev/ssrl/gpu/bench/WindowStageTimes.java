package dev.ssrl.gpu.bench;

import dev.ssrl.api.Scene;
import dev.ssrl.gpu.GpuContext;
import dev.ssrl.gpu.GpuWindowCandidates;
import dev.ssrl.gpu.StageTimes;
import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.DepthNormalizer;
import dev.ssrl.tasks.depth.WindowCandidates;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Candidate windows of a batch of normalised depth maps (default 64 maps of 1600 × 1064, the
 * built-in synthetic scenes at that size), end to end, for the depth task's query (25 × 25, falling
 * back to 11 × 11) and the position task's (15 × 15): the GPU path ({@link GpuWindowCandidates})
 * with its time per stage (pack, host→device, kernel, device→host, unpack; device stages by CUDA
 * events, summed over lanes, so they may add up to more than the wall time when lanes overlap),
 * beside the CPU reference ({@link WindowCandidates#find}) on all cores (one map per thread, as a
 * generate run works) and on one thread in a child JVM started with {@code -Dssrl.parallel=false}
 * (so no map is split over cores either). Without a usable GPU it prints the CPU figures and the
 * reason. Checks that the GPU's candidates equal the CPU's.
 *
 * <p>Run from the test class path: {@code java -cp ... dev.ssrl.gpu.bench.WindowStageTimes [maps
 * [rounds [width height]]]}. Speed claims belong in docs/BENCHMARKS.md with the machine.
 */
public final class WindowStageTimes {
  private WindowStageTimes() {}

  static final CandidateQuery DEPTH =
      CandidateQuery.of(
              25, 0.15, false, 0, new double[] {0, 0.35, 0.7}, new double[] {0.3, 0.65, 1})
          .withFallback(11, 0.2);
  static final CandidateQuery POSITION =
      CandidateQuery.of(15, 0.15, true, 0.05, new double[] {0}, new double[] {1});

  /** The child's first argument: time the CPU on one thread only and print one line per query. */
  private static final String ONE_THREAD = "--one-thread";

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(ONE_THREAD)) {
      oneThread(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int maps = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int width = args.length > 3 ? Integer.parseInt(args[2]) : 1600;
    int height = args.length > 3 ? Integer.parseInt(args[3]) : 1064;
    int cores = Runtime.getRuntime().availableProcessors();
    List<float[]> batch = maps(maps, width, height);
    double[] oneThreadMs = childOneThread(maps, rounds, width, height);
    System.out.printf(
        Locale.ROOT,
        "WindowStageTimes: %d maps of %dx%d, %d rounds (best round reported), %d cores, %s%n",
        maps,
        width,
        height,
        rounds,
        cores,
        GpuContext.available() ? GpuContext.reason() : "no GPU: " + GpuContext.reason());
    GpuContext context = GpuContext.available() ? GpuContext.open() : null;
    GpuWindowCandidates gpu =
        context == null
            ? null
            : new GpuWindowCandidates(
                context, GpuWindowCandidates.DEFAULT_LANES, GpuWindowCandidates.DEFAULT_BATCH);
    try {
      for (CandidateQuery q : List.of(DEPTH, POSITION)) {
        String name = q == DEPTH ? "depth (k=25, fallback 11)" : "position (k=15)";
        List<WindowCandidates> reference = null;
        double allCores = Double.MAX_VALUE;
        double oneThread = Double.MAX_VALUE;
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
          for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            List<Future<WindowCandidates>> f = new ArrayList<>();
            for (float[] m : batch) {
              f.add(pool.submit(() -> WindowCandidates.find(m, width, height, q)));
            }
            List<WindowCandidates> got = new ArrayList<>();
            for (Future<WindowCandidates> x : f) {
              got.add(x.get());
            }
            allCores = Math.min(allCores, (System.nanoTime() - t0) / 1e6);
            reference = got;
          }
        } finally {
          pool.shutdown();
        }
        oneThread = oneThreadMs[q == DEPTH ? 0 : 1];
        long candidates = 0;
        for (WindowCandidates c : reference) {
          for (int b = 0; b < c.bands(); b++) {
            candidates += c.size(b);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%s: %,d candidates in all%n  cpu all cores  %9.1f ms  %8.1f maps/s%n"
                + "  cpu one thread %9.1f ms  %8.1f maps/s  (ssrl.parallel=false)%n",
            name,
            candidates,
            allCores,
            maps * 1000 / allCores,
            oneThread,
            maps * 1000 / oneThread);
        if (gpu == null) {
          System.out.println("  gpu            not measured (no usable GPU)");
          continue;
        }
        double best = Double.MAX_VALUE;
        StageTimes.Snapshot stages = null;
        boolean same = true;
        for (int r = 0; r < rounds; r++) {
          gpu.resetStages();
          long t0 = System.nanoTime();
          List<WindowCandidates> got = gpu.findAll(batch, width, height, q);
          double ms = (System.nanoTime() - t0) / 1e6;
          if (ms < best) {
            best = ms;
            stages = gpu.stages();
          }
          same &= sameCandidates(reference, got);
        }
        System.out.printf(
            Locale.ROOT,
            "  gpu end to end %9.1f ms  %8.1f maps/s  (%.1fx all cores, %.1fx one thread;"
                + " candidates %s the CPU's)%n",
            best,
            maps * 1000 / best,
            allCores / best,
            oneThread / best,
            same ? "equal" : "DIFFER FROM");
        for (StageTimes.Stage s : StageTimes.Stage.values()) {
          System.out.printf(
              Locale.ROOT,
              "    %-15s %9.1f ms%n",
              s.name().toLowerCase(Locale.ROOT),
              stages.millis(s));
        }
        if (!same) {
          System.exit(1);
        }
      }
    } finally {
      if (gpu != null) {
        gpu.close();
        context.close();
      }
    }
  }

  /** The built-in synthetic scenes at this size, normalised as the tasks normalise them. */
  private static List<float[]> maps(int maps, int width, int height) {
    List<float[]> batch = new ArrayList<>();
    for (int i = 0; i < maps; i++) {
      Scene s = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, i, width, height);
      batch.add(DepthNormalizer.normalize(s.depth()).orElseThrow().values());
    }
    return batch;
  }

  /** The child JVM: best time of one map after another on this thread, depth then position. */
  private static void oneThread(String[] args) {
    int maps = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int width = Integer.parseInt(args[2]);
    int height = Integer.parseInt(args[3]);
    List<float[]> batch = maps(maps, width, height);
    for (CandidateQuery q : List.of(DEPTH, POSITION)) {
      double best = Double.MAX_VALUE;
      for (int r = 0; r < Math.min(rounds, 2); r++) {
        long t0 = System.nanoTime();
        for (float[] m : batch) {
          WindowCandidates.find(m, width, height, q);
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e6);
      }
      System.out.println("one-thread-ms " + best);
    }
  }

  /** Runs {@link #oneThread} in a child JVM with -Dssrl.parallel=false; its two times in ms. */
  private static double[] childOneThread(int maps, int rounds, int width, int height)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Dssrl.parallel=false",
                "-cp",
                System.getProperty("java.class.path"),
                WindowStageTimes.class.getName(),
                ONE_THREAD,
                Integer.toString(maps),
                Integer.toString(rounds),
                Integer.toString(width),
                Integer.toString(height))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the one-thread child failed:\n" + out);
    }
    double[] ms = new double[2];
    int i = 0;
    for (String line : out.split("\\R")) {
      if (line.startsWith("one-thread-ms ") && i < 2) {
        ms[i++] = Double.parseDouble(line.substring("one-thread-ms ".length()));
      }
    }
    if (i != 2) {
      throw new IllegalStateException("the one-thread child printed no times:\n" + out);
    }
    return ms;
  }

  private static boolean sameCandidates(List<WindowCandidates> a, List<WindowCandidates> b) {
    for (int i = 0; i < a.size(); i++) {
      WindowCandidates x = a.get(i);
      WindowCandidates y = b.get(i);
      for (int band = 0; band < x.bands(); band++) {
        if (x.k(band) != y.k(band) || x.size(band) != y.size(band)) {
          return false;
        }
        for (int j = 0; j < x.size(band); j++) {
          if (x.left(band, j) != y.left(band, j)
              || x.top(band, j) != y.top(band, j)
              || Float.floatToIntBits(x.min(band, j)) != Float.floatToIntBits(y.min(band, j))
              || Float.floatToIntBits(x.max(band, j)) != Float.floatToIntBits(y.max(band, j))) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
