/**
 * Built-in synthetic RGB-D scenes ({@link dev.ssrl.tasks.synthetic.SyntheticScenes}): deterministic
 * from a seed, for the default run, tests and benchmarks without any data on disk. Depends only on
 * {@code ssrl-api}.
 */
package dev.ssrl.tasks.synthetic;
