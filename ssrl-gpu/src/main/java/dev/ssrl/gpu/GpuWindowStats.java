package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * Window statistics (count, min, max, quantized sum and mean of the valid pixels of every k × k
 * window) of many normalised depth maps at once on the GPU, for the depth tasks' region searches.
 * Input maps hold normalised depth in [0, 1] with NaN for invalid pixels; see {@link WindowGrid}
 * for the definition, which is {@code dev.ssrl.tasks.depth.WindowStats}' (the results are
 * bit-identical).
 *
 * <p>Maps are processed in chunks that fit in half the free device memory; the results are held in
 * Java arrays (about 20 bytes per window), so a batch of 64 maps of 1600 × 1064 needs about 2 GiB
 * of heap. Thread-safe: calls on one context are serialised. Use it only when {@link
 * GpuContext#available()}.
 */
public final class GpuWindowStats implements AutoCloseable {
  private static final int BX = 32;
  private static final int BY = 8;
  // Grid-stride check kernel: enough blocks to fill any current GPU, few enough to launch cheaply.
  private static final int CHECK_BLOCKS = 1024;

  private final GpuContext context;
  private final CUmodule module;
  private final CUfunction checkPass;
  private final CUfunction rowsPass;
  private final CUfunction colsPass;
  private boolean closed;

  /**
   * Loads the window kernels into {@code context}, which stays owned by the caller.
   *
   * @throws IllegalStateException if the PTX does not load
   */
  public GpuWindowStats(GpuContext context) {
    this.context = Objects.requireNonNull(context, "context");
    try {
      this.module = context.loadModule("window_stats.ptx");
      this.checkPass = GpuContext.function(module, "ssrl_ws_check");
      this.rowsPass = GpuContext.function(module, "ssrl_ws_rows");
      this.colsPass = GpuContext.function(module, "ssrl_ws_cols");
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load the window kernels: " + e.getMessage(), e);
    }
  }

  /**
   * The statistics of every k × k window of each map, in input order.
   *
   * @param maps row-major {@code width × height} normalised depth values, NaN = invalid
   * @throws IllegalArgumentException if a size is not positive, k is not in [1, min(width,
   *     height)], a map is null or of the wrong length (naming its index), or a value is neither
   *     NaN nor in [0, 1] (naming the map and index, checked on the device)
   * @throws IllegalStateException if the device fails (e.g. out of memory for a single map)
   */
  public List<WindowGrid> compute(List<float[]> maps, int width, int height, int k) {
    checkArguments(maps, width, height, k);
    int ow = width - k + 1;
    int oh = height - k + 1;
    long pixels = (long) width * height;
    long rowCells = (long) height * ow;
    long windows = (long) oh * ow;
    long perMap = 4 * pixels + 20 * rowCells + 20 * windows;
    List<WindowGrid> out = new ArrayList<>(maps.size());
    if (maps.isEmpty()) {
      return out;
    }
    synchronized (context) {
      if (closed) {
        throw new IllegalStateException("the window statistics are closed");
      }
      context.makeCurrent();
      try (DeviceBuffers b = new DeviceBuffers()) {
        long[] free = {0};
        long[] total = {0};
        cuMemGetInfo(free, total);
        int chunk = (int) Math.max(1, Math.min(Math.min(maps.size(), 65535), free[0] / 2 / perMap));
        CUdeviceptr in = b.alloc(4 * pixels * chunk);
        CUdeviceptr rmin = b.alloc(4 * rowCells * chunk);
        CUdeviceptr rmax = b.alloc(4 * rowCells * chunk);
        CUdeviceptr rcnt = b.alloc(4 * rowCells * chunk);
        CUdeviceptr rsum = b.alloc(8 * rowCells * chunk);
        CUdeviceptr omin = b.alloc(4 * windows * chunk);
        CUdeviceptr omax = b.alloc(4 * windows * chunk);
        CUdeviceptr ocnt = b.alloc(4 * windows * chunk);
        CUdeviceptr osum = b.alloc(8 * windows * chunk);
        CUdeviceptr firstBad = b.alloc(8);
        for (int first = 0; first < maps.size(); first += chunk) {
          int m = Math.min(chunk, maps.size() - first);
          for (int j = 0; j < m; j++) {
            DeviceBuffers.upload(in, 4 * pixels * j, maps.get(first + j));
          }
          // Refuse values outside [0, 1] as WindowStats does, before computing anything.
          long[] noneBad = {-1L};
          cuMemcpyHtoD(firstBad, Pointer.to(noneBad), 8);
          Pointer p0 =
              Pointer.to(Pointer.to(in), Pointer.to(new long[] {pixels * m}), Pointer.to(firstBad));
          cuLaunchKernel(checkPass, CHECK_BLOCKS, 1, 1, 256, 1, 1, 0, null, p0, null);
          cuMemcpyDtoH(Pointer.to(noneBad), firstBad, 8);
          if (noneBad[0] != -1L) {
            int map = first + (int) (noneBad[0] / pixels);
            int index = (int) (noneBad[0] % pixels);
            throw new IllegalArgumentException(
                "map "
                    + map
                    + ": value "
                    + maps.get(map)[index]
                    + " at index "
                    + index
                    + " is neither NaN nor in [0, 1]");
          }
          Pointer p1 =
              Pointer.to(
                  Pointer.to(in),
                  Pointer.to(new int[] {width}),
                  Pointer.to(new int[] {height}),
                  Pointer.to(new int[] {k}),
                  Pointer.to(new int[] {ow}),
                  Pointer.to(rmin),
                  Pointer.to(rmax),
                  Pointer.to(rcnt),
                  Pointer.to(rsum));
          cuLaunchKernel(rowsPass, ceil(ow, BX), ceil(height, BY), m, BX, BY, 1, 0, null, p1, null);
          Pointer p2 =
              Pointer.to(
                  Pointer.to(rmin),
                  Pointer.to(rmax),
                  Pointer.to(rcnt),
                  Pointer.to(rsum),
                  Pointer.to(new int[] {height}),
                  Pointer.to(new int[] {k}),
                  Pointer.to(new int[] {ow}),
                  Pointer.to(new int[] {oh}),
                  Pointer.to(omin),
                  Pointer.to(omax),
                  Pointer.to(ocnt),
                  Pointer.to(osum));
          cuLaunchKernel(colsPass, ceil(ow, BX), ceil(oh, BY), m, BX, BY, 1, 0, null, p2, null);
          cuCtxSynchronize();
          for (int j = 0; j < m; j++) {
            float[] mn = new float[(int) windows];
            float[] mx = new float[(int) windows];
            int[] cnt = new int[(int) windows];
            long[] sum = new long[(int) windows];
            DeviceBuffers.download(mn, omin, 4 * windows * j);
            DeviceBuffers.download(mx, omax, 4 * windows * j);
            DeviceBuffers.download(cnt, ocnt, 4 * windows * j);
            DeviceBuffers.download(sum, osum, 8 * windows * j);
            out.add(new WindowGrid(k, ow, oh, mn, mx, cnt, sum));
          }
        }
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        throw GpuRolloutScorer.deviceFailure("window kernels", e);
      }
    }
    return out;
  }

  /** Unloads the kernels (the context stays open). Idempotent. */
  @Override
  public void close() {
    synchronized (context) {
      if (!closed) {
        closed = true;
        context.makeCurrent();
        cuModuleUnload(module);
      }
    }
  }

  static void checkArguments(List<float[]> maps, int width, int height, int k) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("map size must be positive, got " + width + "x" + height);
    }
    if (k < 1 || k > Math.min(width, height)) {
      throw new IllegalArgumentException(
          "window size " + k + " must be in [1, " + Math.min(width, height) + "]");
    }
    long pixels = (long) width * height;
    for (int i = 0; i < maps.size(); i++) {
      float[] m = maps.get(i);
      if (m == null) {
        throw new IllegalArgumentException("map " + i + " is null");
      }
      if (m.length != pixels) {
        throw new IllegalArgumentException(
            "map " + i + " has " + m.length + " values, expected " + width + "x" + height);
      }
    }
  }

  private static int ceil(int n, int d) {
    return (n + d - 1) / d;
  }
}
