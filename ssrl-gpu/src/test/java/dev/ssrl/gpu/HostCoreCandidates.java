package dev.ssrl.gpu;

import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * For tests: {@link WindowCandidates} from the candidate kernels' core (window_candidates_core.cuh)
 * compiled for the host, with the same query bytes ({@link CandidateKernelArgs#query}), the same
 * two levels (the fallback size for the bands the first leaves empty) and the same unpacking
 * ({@link CandidateKernelArgs.Found}) as {@link GpuWindowCandidates} — its path minus the device.
 */
public final class HostCoreCandidates {
  private HostCoreCandidates() {}

  /** The candidates of each map (all of one size) through the host-compiled core. */
  public static List<WindowCandidates> findAll(
      List<float[]> maps, int width, int height, CandidateQuery q) throws Exception {
    int n = maps.size();
    CandidateKernelArgs.Found[] found = new CandidateKernelArgs.Found[n];
    int[] masks = new int[n];
    for (int i = 0; i < n; i++) {
      found[i] = new CandidateKernelArgs.Found(q.bands());
      masks[i] = CandidateKernelArgs.allBands(q);
    }
    level(maps, width, height, q, 0, masks, found);
    if (q.hasFallback()) {
      boolean any = false;
      for (int i = 0; i < n; i++) {
        masks[i] = CandidateKernelArgs.missing(q, found[i].index);
        any |= masks[i] != 0;
      }
      if (any) {
        level(maps, width, height, q, 1, masks, found);
      }
    }
    List<WindowCandidates> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(found[i].result(maps.get(i), width, height, q));
    }
    return out;
  }

  private static void level(
      List<float[]> maps,
      int w,
      int h,
      CandidateQuery q,
      int level,
      int[] masks,
      CandidateKernelArgs.Found[] found)
      throws Exception {
    int n = maps.size();
    ByteBuffer in =
        ByteBuffer.allocate(12 + CandidateKernelArgs.QUERY_BYTES + 4 * n + 4 * n * w * h)
            .order(ByteOrder.LITTLE_ENDIAN);
    in.putInt(w).putInt(h).putInt(n);
    in.put(CandidateKernelArgs.query(q, level, w, h));
    for (int m : masks) {
      in.putInt(m);
    }
    for (float[] map : maps) {
      for (float v : map) {
        in.putFloat(v);
      }
    }
    ByteBuffer out =
        ByteBuffer.wrap(HostHarness.run("candidates", in.array())).order(ByteOrder.LITTLE_ENDIAN);
    int bands = q.bands();
    int k = CandidateKernelArgs.k(q, level);
    for (int i = 0; i < n; i++) {
      // The device's layout: each band's first slot; index, min and max arrays band after band.
      int[] starts = new int[bands + 1];
      List<int[]> index = new ArrayList<>();
      List<float[]> lo = new ArrayList<>();
      List<float[]> hi = new ArrayList<>();
      for (int b = 0; b < bands; b++) {
        int count = out.getInt();
        starts[b + 1] = starts[b] + count;
        int[] idx = new int[count];
        float[] mn = new float[count];
        float[] mx = new float[count];
        for (int j = 0; j < count; j++) {
          idx[j] = out.getInt();
          mn[j] = out.getFloat();
          mx[j] = out.getFloat();
        }
        index.add(idx);
        lo.add(mn);
        hi.add(mx);
      }
      IntBuffer outIndex = IntBuffer.allocate(starts[bands]);
      FloatBuffer outMin = FloatBuffer.allocate(starts[bands]);
      FloatBuffer outMax = FloatBuffer.allocate(starts[bands]);
      for (int b = 0; b < bands; b++) {
        outIndex.put(index.get(b));
        outMin.put(lo.get(b));
        outMax.put(hi.get(b));
      }
      found[i].read(k, masks[i], starts, 0, outIndex, outMin, outMax, 0);
    }
    if (out.hasRemaining()) {
      throw new AssertionError(out.remaining() + " bytes left over: " + Arrays.toString(masks));
    }
  }
}
