package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * Candidate windows ({@link WindowCandidates}) of normalised depth maps on the GPU, for the depth
 * and position tasks: only the candidates and a few counts per map come back, not four full
 * per-window grids, and the map stays on the device for both window sizes of a query.
 *
 * <p>Requests from any number of threads go into one queue; {@code lanes} worker threads each take
 * what is queued (up to {@code maxBatch} maps of one size and query per launch), so maps from all
 * generator threads share launches and no caller holds a lock while the device works. Each lane has
 * its own CUDA stream and its own page-locked host and device buffers, reused from batch to batch:
 * while one lane copies, another computes. Per batch: pack (check and copy the maps into pinned
 * memory), one host→device copy, the four kernels of window_candidates.cu per window size, the
 * counts and then the candidates back, unpack into {@link WindowCandidates}. {@link #stages()} adds
 * up the time of each stage (device stages timed with CUDA events).
 *
 * <p>Results equal {@link WindowCandidates#find} bit for bit. Use only when {@link
 * GpuContext#available()}; thread-safe.
 */
public final class GpuWindowCandidates implements AutoCloseable {
  /** Lanes (streams with their buffers) by default: two, so that copies overlap kernels. */
  public static final int DEFAULT_LANES = 2;

  /** Maps per launch by default. */
  public static final int DEFAULT_BATCH = 16;

  private static final int SCAN_THREADS = 1024;

  private final GpuContext context;
  private final CUmodule module;
  private final CUfunction tiles;
  private final CUfunction count;
  private final CUfunction scan;
  private final CUfunction compact;
  private final int maxBatch;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final List<Thread> lanes = new ArrayList<>();
  private final StageTimes times = new StageTimes();
  private volatile boolean closed;

  private record Request(
      float[] map,
      int width,
      int height,
      CandidateQuery query,
      CompletableFuture<WindowCandidates> result) {}

  /**
   * Loads the kernels into {@code context} (which stays owned by the caller) and starts the lanes.
   *
   * @throws IllegalArgumentException if lanes or maxBatch is not positive
   * @throws IllegalStateException if the PTX does not load
   */
  public GpuWindowCandidates(GpuContext context, int lanes, int maxBatch) {
    this.context = Objects.requireNonNull(context, "context");
    if (lanes < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "lanes and maxBatch must be positive, got " + lanes + " and " + maxBatch);
    }
    this.maxBatch = maxBatch;
    try {
      this.module = context.loadModule("window_candidates.ptx");
      this.tiles = GpuContext.function(module, "ssrl_wc_tiles");
      this.count = GpuContext.function(module, "ssrl_wc_count");
      this.scan = GpuContext.function(module, "ssrl_wc_scan");
      this.compact = GpuContext.function(module, "ssrl_wc_compact");
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load the candidate kernels: " + e.getMessage(), e);
    }
    for (int i = 0; i < lanes; i++) {
      Thread t = new Thread(this::laneLoop, "ssrl-gpu-candidates-" + i);
      t.setDaemon(true);
      t.start();
      this.lanes.add(t);
    }
  }

  /**
   * Queues one map; the future gives what {@link WindowCandidates#find} gives (or its exception).
   * Argument errors, values outside [0, 1], and queries the kernels do not take (a window side over
   * 48 or over a side of the map, more than 8 bands) are answered on the calling thread by the CPU
   * reference.
   *
   * @param map kept by the result for the means; must not change afterwards
   */
  public CompletableFuture<WindowCandidates> submit(
      float[] map, int width, int height, CandidateQuery query) {
    if (map == null
        || query == null
        || width <= 0
        || height <= 0
        || (long) width * height != map.length
        || !CandidateKernelArgs.fits(query, width, height)
        || !inRange(map)) {
      try {
        return CompletableFuture.completedFuture(WindowCandidates.find(map, width, height, query));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the GPU candidate search is closed"));
    }
    Request r = new Request(map, width, height, query, new CompletableFuture<>());
    queue.add(r);
    return r.result();
  }

  /**
   * The candidates of each map, in input order (all queued at once, so they share launches).
   *
   * @throws IllegalArgumentException where {@link WindowCandidates#find} throws it
   * @throws IllegalStateException if the device fails
   */
  public List<WindowCandidates> findAll(
      List<float[]> maps, int width, int height, CandidateQuery query) {
    List<CompletableFuture<WindowCandidates>> futures = new ArrayList<>();
    for (float[] m : maps) {
      futures.add(submit(m, width, height, query));
    }
    List<WindowCandidates> out = new ArrayList<>();
    for (CompletableFuture<WindowCandidates> f : futures) {
      out.add(join(f));
    }
    return out;
  }

  /** The result of a future from {@link #submit}, rethrowing its exception unwrapped. */
  public static WindowCandidates join(CompletableFuture<WindowCandidates> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The time spent so far in each stage, summed over lanes and batches. */
  public StageTimes.Snapshot stages() {
    return times.snapshot();
  }

  /** Sets the stage times back to zero. */
  public void resetStages() {
    times.reset();
  }

  /** Stops the lanes (failing what is still queued) and unloads the kernels. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Thread t : lanes) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Request r; (r = queue.poll()) != null; ) {
      r.result().completeExceptionally(new IllegalStateException("the GPU search was closed"));
    }
    synchronized (context) {
      context.makeCurrent();
      cuModuleUnload(module);
    }
  }

  private static boolean inRange(float[] map) {
    for (float v : map) {
      if (!(v >= 0f && v <= 1f) && v == v) {
        return false;
      }
    }
    return true;
  }

  /** One lane: a stream and its buffers, serving batches until closed. */
  private void laneLoop() {
    Lane lane = null;
    try {
      context.makeCurrent();
      lane = new Lane();
      while (!closed) {
        Request first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Request> taken = new ArrayList<>();
        taken.add(first);
        queue.drainTo(taken, maxBatch - 1);
        // One launch per map size and query, in arrival order.
        Map<List<Object>, List<Request>> groups = new LinkedHashMap<>();
        for (Request r : taken) {
          groups
              .computeIfAbsent(List.of(r.width(), r.height(), r.query()), x -> new ArrayList<>())
              .add(r);
        }
        for (List<Request> g : groups.values()) {
          try {
            lane.run(g);
          } catch (RuntimeException | LinkageError e) {
            RuntimeException failure =
                new IllegalStateException("the GPU candidate kernels failed: " + e, e);
            for (Request r : g) {
              r.result().completeExceptionally(failure);
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The lane could not start (no stream or buffers): the other lanes, or the CPU, serve.
      System.getLogger(GpuWindowCandidates.class.getName())
          .log(System.Logger.Level.WARNING, "GPU candidate lane failed to start: " + e);
    } finally {
      if (lane != null) {
        lane.close();
      }
    }
  }

  /** A lane's stream, events and reused buffers. */
  private final class Lane implements AutoCloseable {
    final CUstream stream = new CUstream();
    // 0-3: a level's stages; 4-5: the maps' upload.
    final CUevent[] events = new CUevent[6];
    final PinnedPair maps = new PinnedPair(true);
    final PinnedPair query = new PinnedPair(true);
    final PinnedPair wanted = new PinnedPair(true);
    final PinnedPair starts = new PinnedPair(true);
    final PinnedPair out = new PinnedPair(true);
    final PinnedPair code = new PinnedPair(false);
    final PinnedPair wmin = new PinnedPair(false);
    final PinnedPair wmax = new PinnedPair(false);
    final PinnedPair counts = new PinnedPair(false);

    Lane() {
      cuStreamCreate(stream, 0);
      for (int i = 0; i < events.length; i++) {
        events[i] = new CUevent();
        cuEventCreate(events[i], 0);
      }
    }

    /** Serves one group of requests of one map size and query. */
    void run(List<Request> group) {
      Request r0 = group.get(0);
      int w = r0.width();
      int h = r0.height();
      CandidateQuery q = r0.query();
      int n = group.size();
      long pixels = (long) w * h;
      int bands = q.bands();

      long t0 = System.nanoTime();
      ByteBuffer hostMaps = maps.host(4 * pixels * n);
      for (int i = 0; i < n; i++) {
        hostMaps.asFloatBuffer().put((int) (pixels * i), group.get(i).map());
      }
      times.add(StageTimes.Stage.PACK, System.nanoTime() - t0);

      CUdeviceptr dMaps = maps.device(4 * pixels * n);
      cuEventRecord(events[4], stream);
      cuMemcpyHtoDAsync(dMaps, maps.hostPointer(), 4 * pixels * n, stream);
      cuEventRecord(events[5], stream);

      CandidateKernelArgs.Found[] found = new CandidateKernelArgs.Found[n];
      for (int i = 0; i < n; i++) {
        found[i] = new CandidateKernelArgs.Found(bands);
      }
      int[] masks = new int[n];
      java.util.Arrays.fill(masks, CandidateKernelArgs.allBands(q));
      level(group, q, 0, masks, dMaps, found);
      // level() synchronised the stream: the upload's events are complete.
      times.addDevice(StageTimes.Stage.HOST_TO_DEVICE, events[4], events[5]);
      if (q.hasFallback()) {
        boolean any = false;
        for (int i = 0; i < n; i++) {
          masks[i] = CandidateKernelArgs.missing(q, found[i].index);
          any |= masks[i] != 0;
        }
        if (any) {
          // The maps are still on the device: only the fallback size's kernels run.
          level(group, q, 1, masks, dMaps, found);
        }
      }
      long t1 = System.nanoTime();
      List<WindowCandidates> results = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        results.add(found[i].result(group.get(i).map(), w, h, q));
      }
      times.add(StageTimes.Stage.UNPACK, System.nanoTime() - t1);
      times.count(n);
      for (int i = 0; i < n; i++) {
        group.get(i).result().complete(results.get(i));
      }
    }

    /** One window size over the maps already on the device. */
    private void level(
        List<Request> group,
        CandidateQuery q,
        int level,
        int[] masks,
        CUdeviceptr dMaps,
        CandidateKernelArgs.Found[] found) {
      int n = group.size();
      int w = group.get(0).width();
      int h = group.get(0).height();
      int k = CandidateKernelArgs.k(q, level);
      int bands = q.bands();
      int ow = w - k + 1;
      int oh = h - k + 1;
      long windows = (long) ow * oh;

      ByteBuffer hq = query.host(CandidateKernelArgs.QUERY_BYTES);
      hq.put(CandidateKernelArgs.query(q, level, w, h));
      ByteBuffer hw = wanted.host(4L * n);
      hw.asIntBuffer().put(masks);
      CUdeviceptr dQuery = query.device(CandidateKernelArgs.QUERY_BYTES);
      CUdeviceptr dWanted = wanted.device(4L * n);
      CUdeviceptr dCode = code.device(windows * n);
      CUdeviceptr dMin = wmin.device(4 * windows * n);
      CUdeviceptr dMax = wmax.device(4 * windows * n);
      CUdeviceptr dCounts = counts.device(4L * bands * oh * n);
      CUdeviceptr dStarts = starts.device(4L * (bands + 1) * n);
      // Three arrays (window index, min, max) of n * windows slots each.
      CUdeviceptr dOut = out.device(12 * windows * n);
      CUdeviceptr dOutMin = dOut.withByteOffset(4 * windows * n);
      CUdeviceptr dOutMax = dOut.withByteOffset(8 * windows * n);

      cuEventRecord(events[0], stream);
      cuMemcpyHtoDAsync(dQuery, query.hostPointer(), CandidateKernelArgs.QUERY_BYTES, stream);
      cuMemcpyHtoDAsync(dWanted, wanted.hostPointer(), 4L * n, stream);
      cuEventRecord(events[1], stream);
      int rowBlocks = (oh + CandidateKernelArgs.BLOCK_Y - 1) / CandidateKernelArgs.BLOCK_Y;
      cuLaunchKernel(
          tiles,
          (ow + CandidateKernelArgs.TILE_W - 1) / CandidateKernelArgs.TILE_W,
          (oh + CandidateKernelArgs.TILE_H - 1) / CandidateKernelArgs.TILE_H,
          n,
          32,
          CandidateKernelArgs.BLOCK_Y,
          1,
          CandidateKernelArgs.tileSharedBytes(k),
          stream,
          Pointer.to(
              Pointer.to(dMaps),
              Pointer.to(new int[] {w}),
              Pointer.to(new int[] {h}),
              Pointer.to(new long[] {(long) w * h}),
              Pointer.to(dQuery),
              Pointer.to(dWanted),
              Pointer.to(dCode),
              Pointer.to(dMin),
              Pointer.to(dMax)),
          null);
      cuLaunchKernel(
          count,
          rowBlocks,
          n,
          1,
          32,
          CandidateKernelArgs.BLOCK_Y,
          1,
          0,
          stream,
          Pointer.to(
              Pointer.to(dCode),
              Pointer.to(new int[] {ow}),
              Pointer.to(new int[] {oh}),
              Pointer.to(new int[] {bands}),
              Pointer.to(dCounts)),
          null);
      cuLaunchKernel(
          scan,
          n,
          1,
          1,
          SCAN_THREADS,
          1,
          1,
          4 * SCAN_THREADS,
          stream,
          Pointer.to(
              Pointer.to(dCounts),
              Pointer.to(new int[] {oh}),
              Pointer.to(new int[] {bands}),
              Pointer.to(dStarts)),
          null);
      cuLaunchKernel(
          compact,
          rowBlocks,
          n,
          1,
          32,
          CandidateKernelArgs.BLOCK_Y,
          1,
          0,
          stream,
          Pointer.to(
              Pointer.to(dCode),
              Pointer.to(dMin),
              Pointer.to(dMax),
              Pointer.to(new int[] {ow}),
              Pointer.to(new int[] {oh}),
              Pointer.to(new int[] {bands}),
              Pointer.to(dCounts),
              Pointer.to(new long[] {windows}),
              Pointer.to(dOut),
              Pointer.to(dOutMin),
              Pointer.to(dOutMax)),
          null);
      cuEventRecord(events[2], stream);
      ByteBuffer hs = starts.host(4L * (bands + 1) * n);
      cuMemcpyDtoHAsync(starts.hostPointer(), dStarts, 4L * (bands + 1) * n, stream);
      cuStreamSynchronize(stream);
      int[] st = new int[(bands + 1) * n];
      hs.asIntBuffer().get(st);
      // Only the candidates come back, packed map after map into three host regions.
      long total = 0;
      long[] at = new long[n];
      for (int i = 0; i < n; i++) {
        at[i] = total;
        total += st[i * (bands + 1) + bands];
      }
      ByteBuffer ho = out.host(12 * total);
      for (int i = 0; i < n; i++) {
        long m = st[i * (bands + 1) + bands];
        for (int a = 0; a < 3 && m > 0; a++) {
          cuMemcpyDtoHAsync(
              out.hostPointer().withByteOffset(4 * (a * total + at[i])),
              dOut.withByteOffset(4 * (a * windows * n + windows * i)),
              4 * m,
              stream);
        }
      }
      cuEventRecord(events[3], stream);
      cuStreamSynchronize(stream);
      times.addDevice(StageTimes.Stage.HOST_TO_DEVICE, events[0], events[1]);
      times.addDevice(StageTimes.Stage.KERNEL, events[1], events[2]);
      times.addDevice(StageTimes.Stage.DEVICE_TO_HOST, events[2], events[3]);

      long t0 = System.nanoTime();
      java.nio.IntBuffer outIndex = ho.asIntBuffer();
      java.nio.FloatBuffer outMin =
          ho.position((int) (4 * total)).slice().order(ho.order()).asFloatBuffer();
      java.nio.FloatBuffer outMax =
          ho.position((int) (8 * total)).slice().order(ho.order()).asFloatBuffer();
      for (int i = 0; i < n; i++) {
        found[i].read(k, masks[i], st, i * (bands + 1), outIndex, outMin, outMax, (int) at[i]);
      }
      times.add(StageTimes.Stage.UNPACK, System.nanoTime() - t0);
    }

    @Override
    public void close() {
      for (PinnedPair p : List.of(maps, query, wanted, starts, out, code, wmin, wmax, counts)) {
        try {
          p.close();
        } catch (RuntimeException e) {
          // Freeing after a device failure may fail too; nothing else to do.
        }
      }
      for (CUevent e : events) {
        if (e != null) {
          cuEventDestroy(e);
        }
      }
      cuStreamDestroy(stream);
    }
  }
}
