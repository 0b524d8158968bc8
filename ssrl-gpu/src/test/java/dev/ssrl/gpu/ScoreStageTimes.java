package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.ssrl.gpu.bench.GpuBench;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * Where the GPU scorer's time goes, stage by stage, for GpuBench's two batches (65,536 responses of
 * ~1 KB, 4,096 of ~16 KB): pack (UTF-8 and offsets, {@link Utf8Pack}), alloc (the 7 {@code
 * cuMemAlloc}), host→device (pageable copies), kernel (launch and synchronise), device→host, free,
 * unpack (the result object); and the CPU scorer on all cores for the same batch. Each stage is
 * timed with {@link System#nanoTime} after a synchronise, so its time is its own; the median of
 * {@code REPEATS} rounds after one warm-up round is printed, in ms per batch and ns per response.
 *
 * <p>Run by device-check.sh; without a GPU the pack and CPU rows are printed and the GPU stages are
 * reported unavailable with {@link GpuContext#reason()} (exit status 0). Not a JMH benchmark: it
 * attributes time, GpuBench measures throughput.
 */
public final class ScoreStageTimes {
  private static final int REPEATS = 5;
  private static final String[] STAGES = {
    "pack", "alloc", "host->device", "kernel", "device->host", "free", "unpack"
  };

  private ScoreStageTimes() {}

  public static void main(String[] args) {
    System.out.println(
        "# score stage times: median of "
            + REPEATS
            + " rounds after a warm-up; CPU scorer on "
            + ForkJoinPool.commonPool().getParallelism()
            + " threads of "
            + Runtime.getRuntime().availableProcessors()
            + " processors");
    boolean gpu = GpuContext.available();
    if (!gpu) {
      System.out.println("# GPU stages unavailable: " + GpuContext.reason());
    }
    GpuContext context = gpu ? GpuContext.open() : null;
    try {
      if (context != null) {
        System.out.println("# device: " + context.deviceName());
      }
      run(context, "1 KB", 65_536, 1024);
      run(context, "16 KB", 4_096, 16 * 1024);
    } finally {
      if (context != null) {
        context.close();
      }
    }
  }

  private static void run(GpuContext context, String label, int n, int bytes) {
    List<String> r = new ArrayList<>(n);
    List<String> t = new ArrayList<>(n);
    GpuBench.Batches.fill(new SplittableRandom(1), n, bytes, r, t);
    long[][] ns = new long[STAGES.length + 1][REPEATS];
    CUmodule module = null;
    CUfunction kernel = null;
    if (context != null) {
      synchronized (context) {
        module = context.loadModule("reward.ptx");
        kernel = GpuContext.function(module, "ssrl_reward");
      }
    }
    try (RolloutScorer cpu = new CpuRolloutScorer(ForkJoinPool.commonPool(), "stage times")) {
      for (int round = -1; round < REPEATS; round++) {
        long[] s = new long[STAGES.length + 1];
        long t0 = System.nanoTime();
        Utf8Pack rp = Utf8Pack.of(r, true, "responses");
        Utf8Pack tp = Utf8Pack.of(t, false, "ground truths");
        s[0] = System.nanoTime() - t0;
        if (context != null) {
          gpuStages(context, kernel, rp, tp, n, s);
        }
        t0 = System.nanoTime();
        cpu.score(r, t, 0.1);
        s[STAGES.length] = System.nanoTime() - t0;
        if (round >= 0) {
          for (int k = 0; k < s.length; k++) {
            ns[k][round] = s[k];
          }
        }
      }
    } finally {
      if (module != null) {
        synchronized (context) {
          context.makeCurrent();
          cuModuleUnload(module);
        }
      }
    }
    long gpuTotal = 0;
    for (int k = 0; k < STAGES.length; k++) {
      long m = median(ns[k]);
      if (k == 0 || context != null) {
        print(label, STAGES[k], m, n);
        gpuTotal += m;
      }
    }
    if (context != null) {
      print(label, "GPU total", gpuTotal, n);
    } else {
      System.out.println(label + "  GPU stages: unavailable (no usable GPU)");
    }
    print(label, "CPU scorer", median(ns[STAGES.length]), n);
  }

  /** The GPU scorer's steps (as GpuRolloutScorer.score), each timed after a synchronise. */
  private static void gpuStages(
      GpuContext context, CUfunction kernel, Utf8Pack rp, Utf8Pack tp, int n, long[] s) {
    synchronized (context) {
      context.makeCurrent();
      float[] format = new float[n];
      float[] accuracy = new float[n];
      double[] overall = new double[n];
      DeviceBuffers b = new DeviceBuffers();
      long t0 = System.nanoTime();
      CUdeviceptr rb = b.alloc(rp.bytes.length);
      CUdeviceptr ro = b.alloc(8L * rp.offsets.length);
      CUdeviceptr tb = b.alloc(tp.bytes.length);
      CUdeviceptr to = b.alloc(8L * tp.offsets.length);
      CUdeviceptr fo = b.alloc(4L * n);
      CUdeviceptr ao = b.alloc(4L * n);
      CUdeviceptr oo = b.alloc(8L * n);
      cuCtxSynchronize();
      s[1] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      cuMemcpyHtoD(rb, Pointer.to(rp.bytes), rp.bytes.length);
      cuMemcpyHtoD(ro, Pointer.to(rp.offsets), 8L * rp.offsets.length);
      cuMemcpyHtoD(tb, Pointer.to(tp.bytes), tp.bytes.length);
      cuMemcpyHtoD(to, Pointer.to(tp.offsets), 8L * tp.offsets.length);
      cuCtxSynchronize();
      s[2] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      Pointer params =
          Pointer.to(
              Pointer.to(rb),
              Pointer.to(ro),
              Pointer.to(tb),
              Pointer.to(to),
              Pointer.to(new int[] {n}),
              Pointer.to(new double[] {0.1}),
              Pointer.to(fo),
              Pointer.to(ao),
              Pointer.to(oo));
      cuLaunchKernel(kernel, (n + 127) / 128, 1, 1, 128, 1, 1, 0, null, params, null);
      cuCtxSynchronize();
      s[3] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      cuMemcpyDtoH(Pointer.to(format), fo, 4L * n);
      cuMemcpyDtoH(Pointer.to(accuracy), ao, 4L * n);
      cuMemcpyDtoH(Pointer.to(overall), oo, 8L * n);
      s[4] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      b.close();
      cuCtxSynchronize();
      s[5] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      RolloutScores scores = new RolloutScores(format, accuracy, overall);
      s[6] = System.nanoTime() - t0;
      if (scores.size() != n) {
        throw new IllegalStateException("lost items");
      }
    }
  }

  private static void print(String batch, String stage, long ns, int n) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "%-6s %-13s %10.3f ms/batch %10.1f ns/response",
            batch,
            stage,
            ns / 1e6,
            (double) ns / n));
  }

  private static long median(long[] a) {
    long[] c = a.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
