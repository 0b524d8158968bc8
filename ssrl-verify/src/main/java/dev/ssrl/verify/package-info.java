/**
 * Rewards for Spatial-SSRL answers: {@link dev.ssrl.verify.SpatialSsrlReward} (the reference
 * reward, bit-compatible and linear-time), {@link dev.ssrl.verify.Verifiers} (tolerant option
 * letters, permutation partial credit, per-task defaults), {@link dev.ssrl.verify.Advantages} (GRPO
 * and Dr. GRPO) and {@link dev.ssrl.verify.BatchScorer} (parallel scoring in input order). See
 * {@code docs/verifiers.md}.
 */
package dev.ssrl.verify;
