package dev.ssrl.bench.tasks;

import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.scene.SceneFiles;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One sample per operation on the real scenes of {@code ../shared/data}, split into its stages so
 * that {@code docs/BENCHMARKS.md} can say where the time goes: {@link #endToEnd} (load, generate,
 * JPEG-encode every image — what the reference timings include), {@link #loadAndGenerate} (what the
 * reference's shuffle and flip timings include), {@link #load}, {@link #generate} on a scene loaded
 * once, and {@link #encode} of that sample's images.
 *
 * <p>Each invocation uses a new seed, so the numbers average over many different samples instead of
 * timing one lucky or unlucky draw. Run with {@code -t 1} and {@code -t 2} for thread scaling.
 *
 * <p>The forked JVM gets {@code -Xmn256m}, as {@code ./ssrl} runs the CLI: with G1's default
 * adaptive young generation (gigabytes on this VM) the freed young regions go cold between
 * collections, the VM's memory reclaim takes their pages back, and every sample pays page faults on
 * fresh memory; two threads then ran 1-4x slower per sample, iteration by iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TaskBenchmark {

  /** task:scene pairs matching the reference measurements. */
  @Param({
    "depth:diode-1",
    "position:megadepth-1",
    "position:megadepth-2",
    "shuffle:scene-1",
    "flip:scene-1",
    "crop:scene-1"
  })
  public String pair;

  private Task task;
  private SceneFiles files;
  private Scene scene;
  private Sample sample;
  private final AtomicLong seeds = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String[] p = pair.split(":");
    task = Tasks.byId(p[0]);
    files = SharedScenes.files(p[1]);
    scene = files.load();
    for (long s = 0; sample == null && s < 100; s++) {
      if (task.generate(scene, s) instanceof Sample ok) {
        sample = ok;
      }
    }
    if (sample == null) {
      throw new IllegalStateException(pair + " rejected 100 seeds in a row");
    }
  }

  @Benchmark
  public void endToEnd(Blackhole bh) throws Exception {
    encodeAll(task.generate(files.load(), seeds.incrementAndGet()), bh);
  }

  /**
   * Load and generate without encoding the output images: what the reference's shuffle and flip
   * timings cover ("no output encode").
   */
  @Benchmark
  public Outcome loadAndGenerate() throws Exception {
    return task.generate(files.load(), seeds.incrementAndGet());
  }

  @Benchmark
  public Scene load() throws Exception {
    return files.load();
  }

  @Benchmark
  public Outcome generate() {
    return task.generate(scene, seeds.incrementAndGet());
  }

  /**
   * Generate and encode on a scene loaded once: the per-sample CPU work without the file reads,
   * whose time on a VM depends on the page cache more than on the code. Thread scaling is measured
   * on this as well as on {@link #endToEnd}.
   */
  @Benchmark
  public void generateAndEncode(Blackhole bh) {
    encodeAll(task.generate(scene, seeds.incrementAndGet()), bh);
  }

  @Benchmark
  public void encode(Blackhole bh) {
    encodeAll(sample, bh);
  }

  /** JPEG-encodes every image of a sample at quality 95, as a dataset writer does. */
  private static void encodeAll(Outcome o, Blackhole bh) {
    if (o instanceof Sample s) {
      for (Raster r : s.images()) {
        bh.consume(ImageCodec.encodeJpeg(r, 95));
      }
    }
    bh.consume(o);
  }
}
