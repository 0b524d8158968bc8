package dev.ssrl.gpu;

/** Where {@link RolloutScorers#create} should score. */
public enum ScorerPreference {
  /** On the GPU when one is usable ({@link GpuContext#available()}), otherwise on the CPU. */
  AUTO,
  /** Always on the CPU (all cores), whatever the machine has. */
  CPU,
  /** On the GPU; creation fails with the reason when none is usable. */
  GPU
}
