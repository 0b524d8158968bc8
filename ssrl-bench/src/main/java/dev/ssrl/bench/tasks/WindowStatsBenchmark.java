package dev.ssrl.bench.tasks;

import dev.ssrl.tasks.depth.WindowStats;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Window statistics over a whole normalised depth map, at growing map sizes (same aspect as
 * MegaDepth's 1600×1064) and window sizes: time per pixel should stay flat in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WindowStatsBenchmark {

  @Param({"400", "800", "1600"})
  public int width;

  @Param({"11", "25"})
  public int k;

  private float[] map;
  private int height;

  @Setup
  public void setUp() {
    height = width * 1064 / 1600;
    map = new float[width * height];
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < map.length; i++) {
      // A smooth ramp with noise and 10% invalid pixels, like a real normalised map.
      map[i] =
          rnd.nextInt(10) == 0
              ? Float.NaN
              : (float) ((i % width) / (double) width * 0.9 + rnd.nextDouble() * 0.1);
    }
  }

  @Benchmark
  public WindowStats compute() {
    return WindowStats.compute(map, width, height, k);
  }
}
