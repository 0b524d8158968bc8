package dev.ssrl.depth;

import dev.ssrl.api.Raster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures {@link OnnxDepthEstimator} on the CPU (not a test; docs/BENCHMARKS.md, "Monocular
 * depth"): per-image latency on one thread (median of {@code n}) and throughput with {@code
 * threads} callers sharing one estimator, on random {@code w × h} photos.
 *
 * <p>Usage: {@code DepthThroughputMain MODEL.onnx THREADS N W H}
 */
public final class DepthThroughputMain {
  private DepthThroughputMain() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    int w = Integer.parseInt(args[3]);
    int h = Integer.parseInt(args[4]);
    List<Raster> photos = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < Math.max(n, threads); i++) {
      byte[] px = new byte[w * h * 3];
      for (int k = 0; k < px.length; k++) {
        px[k] = (byte) rng.nextInt(256);
      }
      photos.add(Raster.of(w, h, px));
    }
    long t0 = System.nanoTime();
    try (OnnxDepthEstimator e =
        OnnxDepthEstimator.open(model, OnnxDepthEstimator.Settings.cpu(threads))) {
      double open = (System.nanoTime() - t0) / 1e6;
      int[] in = e.inputSize(w, h);
      e.estimate(photos.get(0)); // warm-up
      e.estimate(photos.get(1));
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        e.estimate(photos.get(i));
        ms[i] = (System.nanoTime() - s) / 1e6;
      }
      Arrays.sort(ms);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long s = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Raster p = photos.get(i);
        fs.add(pool.submit(() -> e.estimate(p)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      double secs = (System.nanoTime() - s) / 1e9;
      pool.shutdown();
      System.out.printf(
          Locale.ROOT,
          "%s %dx%d (input %dx%d): open %.0f ms; 1 thread latency median %.1f ms (min %.1f,"
              + " max %.1f); %d threads: %.2f images/s%n",
          model.getFileName(),
          w,
          h,
          in[0],
          in[1],
          open,
          ms[n / 2],
          ms[0],
          ms[n - 1],
          threads,
          n / secs);
    }
  }
}
