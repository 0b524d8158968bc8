package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.DepthOrderingTask;
import dev.ssrl.tasks.RelativePositionTask;
import dev.ssrl.tasks.depth.CandidateQuery;
import dev.ssrl.tasks.depth.WindowCandidates;
import dev.ssrl.tasks.depth.WindowStats;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import dev.ssrl.testsupport.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The depth and position tasks give identical samples when their window statistics come through the
 * GPU engine's code path — the kernels' core compiled for the host, wrapped as the engine wraps
 * device results — as on the CPU, on synthetic and real RGB-D scenes; with ssrl-gpu on the class
 * path and {@code ssrl.gpu=true}, the GPU engine is chosen where a GPU is usable and otherwise
 * declined with the reason.
 */
class GpuEngineSamplesTest {

  /** The GPU engine's path with the host-compiled core in place of the device. */
  static final class HostCoreEngine implements WindowStatsEngine {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "host-core";
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.empty();
    }

    final AtomicInteger candidateCalls = new AtomicInteger();
    private final Map<String, WindowCandidates> found =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** The tasks' call: the candidate kernels' core, as GpuWindowCandidates drives it. */
    @Override
    public WindowCandidates candidates(float[] map, int width, int height, CandidateQuery query) {
      candidateCalls.incrementAndGet();
      String key = width + "x" + height + query + "#" + java.util.Arrays.hashCode(map);
      try {
        WindowCandidates cached = found.get(key);
        if (cached == null) {
          cached = HostCoreCandidates.findAll(List.of(map), width, height, query).get(0);
          found.put(key, cached);
        }
        return cached;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    // The tasks normalise the same scene again for every seed; computing each (map, k) once
    // through the harness keeps the test fast (the key is the content, not the array).
    private final Map<String, WindowStats> done = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public WindowStats compute(float[] map, int width, int height, int k) {
      calls.incrementAndGet();
      String key = width + "x" + height + "k" + k + "#" + java.util.Arrays.hashCode(map);
      try {
        WindowStats cached = done.get(key);
        if (cached != null) {
          return cached;
        }
        WindowStats ws = HostCoreWindowStats.compute(map, width, height, k);
        done.put(key, ws);
        return ws;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void samplesThroughTheKernelCoreEqualTheCpuSamples() throws Exception {
    HostCoreEngine engine = new HostCoreEngine();
    List<Scene> scenes = new ArrayList<>(SyntheticScenes.builtIn(2));
    scenes.addAll(realScenes("diode-1", "megadepth-1"));
    int samples = 0;
    for (Scene scene : scenes) {
      for (long seed = 0; seed < 2; seed++) {
        Task[][] pairs = {
          {new DepthOrderingTask(), new DepthOrderingTask(engine)},
          {new RelativePositionTask(), new RelativePositionTask(engine)}
        };
        for (Task[] p : pairs) {
          Outcome cpu = p[0].generate(scene, seed);
          Outcome viaCore = p[1].generate(scene, seed);
          assertEquals(cpu, viaCore, p[0].id() + " " + scene.id() + " seed " + seed);
          if (cpu instanceof Sample) {
            samples++;
          }
        }
      }
    }
    assertTrue(samples >= 8, samples + " samples compared");
    assertTrue(engine.candidateCalls.get() >= 8, engine.candidateCalls + " core calls");
  }

  @Test
  void enabledWithoutAGpuTheGpuEngineIsDeclinedWithTheReason() {
    Assumptions.assumeFalse(GpuContext.available(), "this machine has a usable GPU");
    GenerationOptions on =
        GenerationOptions.defaults().withParameters(Map.of(WindowStatsEngines.PROPERTY, "true"));
    assertEquals(WindowStatsEngines.CPU, WindowStatsEngines.forOptions(on));
    String why = WindowStatsEngines.describe(on);
    assertTrue(why.startsWith("cpu (ssrl.gpu=true but gpu declined: no usable GPU: "), why);
    assertTrue(why.contains(GpuContext.reason()), why);
  }

  @Test
  void enabledWithAGpuTheTasksUseItAndGiveTheCpuSamples() throws Exception {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    GenerationOptions on =
        GenerationOptions.defaults().withParameters(Map.of(WindowStatsEngines.PROPERTY, "true"));
    assertEquals("gpu", WindowStatsEngines.forOptions(on).name(), WindowStatsEngines.describe(on));
    for (Scene scene : realScenes("megadepth-1", "diode-1")) {
      for (Task t : List.of(new DepthOrderingTask(), new RelativePositionTask())) {
        for (long seed = 0; seed < 3; seed++) {
          assertEquals(
              t.generate(scene, seed, GenerationOptions.defaults()),
              t.generate(scene, seed, on),
              t.id() + " " + scene.id() + " seed " + seed);
        }
      }
    }
  }

  /** Those of the named real scenes that ../shared holds (aborts the test when it holds none). */
  private static List<Scene> realScenes(String... names) throws Exception {
    Path dir = SharedData.require("data/rgbd");
    List<Scene> out = new ArrayList<>();
    List<SceneFiles> files = SceneFolder.scan(dir);
    for (String name : names) {
      for (SceneFiles f : files) {
        if (f.id().equals(name) && f.hasDepth()) {
          out.add(f.load());
        }
      }
    }
    Assumptions.assumeFalse(out.isEmpty(), "none of " + List.of(names) + " is in " + dir);
    return out;
  }
}
