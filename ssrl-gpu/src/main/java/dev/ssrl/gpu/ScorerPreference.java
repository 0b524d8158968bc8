package dev.ssrl.gpu;

/** Where {@link RolloutScorers#create} should score. */
public enum ScorerPreference {
  /**
   * The engine measured faster for this reward: today always the CPU (all cores), because from Java
   * strings the GPU scorer was 10–200× slower on an H200 ({@link RolloutScorers} gives the
   * figures). No GPU is probed.
   */
  AUTO,
  /** Always on the CPU (all cores), whatever the machine has. */
  CPU,
  /**
   * On the GPU; creation fails with the reason when none is usable. Not recommended: slower than
   * {@link #CPU} end to end on every measured workload (docs/gpu.md).
   */
  GPU
}
