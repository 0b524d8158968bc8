package dev.ssrl.gpu;

/** How group-relative advantages are normalised (SPEC §5.2). */
public enum AdvantageMode {
  /** GRPO (verl, EasyR1): {@code (r - mean) / (std + 1e-6)} with the Bessel-corrected std. */
  GRPO,
  /** Dr. GRPO: {@code r - mean}, no division by the std. */
  DR_GRPO
}
