package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuEventElapsedTime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import jcuda.driver.CUevent;

/**
 * Time spent per stage of a GPU path, summed over batches and lanes: host stages by the wall clock,
 * device stages by CUDA events on the lane's stream (so they are device time, and lanes running at
 * once both count). Thread-safe.
 */
public final class StageTimes {
  /** The stages of one batch, in order. */
  public enum Stage {
    /** Checking and copying the inputs into page-locked memory. */
    PACK,
    /** Host to device copies. */
    HOST_TO_DEVICE,
    /** The kernels. */
    KERNEL,
    /** Device to host copies (counts, then the results). */
    DEVICE_TO_HOST,
    /** Building the Java results from the copied bytes. */
    UNPACK
  }

  private final Map<Stage, LongAdder> nanos = new EnumMap<>(Stage.class);
  private final LongAdder items = new LongAdder();

  StageTimes() {
    for (Stage s : Stage.values()) {
      nanos.put(s, new LongAdder());
    }
  }

  void add(Stage stage, long ns) {
    nanos.get(stage).add(ns);
  }

  /** Adds the device time between two completed events. */
  void addDevice(Stage stage, CUevent start, CUevent end) {
    float[] ms = {0};
    cuEventElapsedTime(ms, start, end);
    add(stage, Math.round(ms[0] * 1e6));
  }

  void count(int n) {
    items.add(n);
  }

  void reset() {
    for (LongAdder a : nanos.values()) {
      a.reset();
    }
    items.reset();
  }

  Snapshot snapshot() {
    Map<Stage, Long> m = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      m.put(s, nanos.get(s).sum());
    }
    return new Snapshot(Map.copyOf(m), items.sum());
  }

  /**
   * Stage times in nanoseconds and the number of items (maps) they cover.
   *
   * @param nanos per stage
   * @param items maps served
   */
  public record Snapshot(Map<Stage, Long> nanos, long items) {
    /** The time of one stage in milliseconds. */
    public double millis(Stage s) {
      return nanos.getOrDefault(s, 0L) / 1e6;
    }
  }
}
