package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The candidate kernels on a real GPU ({@link GpuWindowCandidates}) give {@link
 * WindowCandidates#find}'s candidates bit for bit, for maps submitted from many threads at once
 * (batched into shared launches on two lanes), with and without the fallback size, and refuse
 * values outside [0, 1] as the CPU does; skipped, with the reason, where no GPU is usable.
 */
class GpuWindowCandidatesTest {
  private static GpuContext context;
  private static GpuWindowCandidates gpu;

  private static final CandidateQuery DEPTH =
      CandidateQuery.of(
              25, 0.15, false, 0, new double[] {0, 0.35, 0.7}, new double[] {0.3, 0.65, 1})
          .withFallback(11, 0.2);
  private static final CandidateQuery POSITION =
      CandidateQuery.of(15, 0.15, true, 0.05, new double[] {0}, new double[] {1});

  @BeforeAll
  static void open() {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    context = GpuContext.open();
    gpu = new GpuWindowCandidates(context, 2, 8);
  }

  @AfterAll
  static void close() {
    if (gpu != null) {
      gpu.close();
      context.close();
    }
  }

  @Test
  void randomMapsOfManySizesEqualTheReference() {
    SplittableRandom rnd = new SplittableRandom(2828);
    for (int trial = 0; trial < 30; trial++) {
      int w = 25 + rnd.nextInt(200);
      int h = 25 + rnd.nextInt(150);
      CandidateQuery q = rnd.nextBoolean() ? DEPTH : POSITION;
      List<float[]> maps = new ArrayList<>();
      for (int m = 0, n = 1 + rnd.nextInt(5); m < n; m++) {
        maps.add(WindowCandidatesCoreHostTest.patchyMap(rnd, w, h));
      }
      List<WindowCandidates> got = gpu.findAll(maps, w, h, q);
      for (int m = 0; m < maps.size(); m++) {
        WindowCandidatesCoreHostTest.assertSameCandidates(
            WindowCandidates.find(maps.get(m), w, h, q), got.get(m), "trial " + trial + " " + q);
      }
    }
  }

  @Test
  void depthSizedMapsFromManyThreadsEqualTheReference() throws Exception {
    int w = 640;
    int h = 426;
    List<float[]> maps = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(28);
    for (int i = 0; i < 24; i++) {
      maps.add(WindowCandidatesCoreHostTest.patchyMap(rnd, w, h));
    }
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<WindowCandidates[]>> futures = new ArrayList<>();
      for (float[] map : maps) {
        futures.add(
            pool.submit(
                () -> {
                  CompletableFuture<WindowCandidates> d = gpu.submit(map, w, h, DEPTH);
                  CompletableFuture<WindowCandidates> p = gpu.submit(map, w, h, POSITION);
                  return new WindowCandidates[] {
                    GpuWindowCandidates.join(d), GpuWindowCandidates.join(p)
                  };
                }));
      }
      for (int i = 0; i < maps.size(); i++) {
        WindowCandidates[] got = futures.get(i).get();
        WindowCandidatesCoreHostTest.assertSameCandidates(
            WindowCandidates.find(maps.get(i), w, h, DEPTH), got[0], "map " + i + " depth");
        WindowCandidatesCoreHostTest.assertSameCandidates(
            WindowCandidates.find(maps.get(i), w, h, POSITION), got[1], "map " + i + " position");
      }
    } finally {
      pool.shutdown();
    }
    StageTimes.Snapshot s = gpu.stages();
    assertTrue(s.items() >= 48, s.toString());
    assertTrue(s.millis(StageTimes.Stage.KERNEL) > 0, s.toString());
  }

  @Test
  void aValueOutsideZeroToOneIsRefusedAsOnTheCpu() {
    float[] map = new float[40 * 30];
    map[77] = 1.5f;
    IllegalArgumentException cpu =
        assertThrows(
            IllegalArgumentException.class, () -> WindowCandidates.find(map, 40, 30, POSITION));
    IllegalArgumentException viaGpu =
        assertThrows(
            IllegalArgumentException.class, () -> gpu.findAll(List.of(map), 40, 30, POSITION));
    assertEquals(cpu.getMessage(), viaGpu.getMessage());
  }
}
