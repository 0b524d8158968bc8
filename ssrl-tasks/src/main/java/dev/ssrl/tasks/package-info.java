/**
 * The five Spatial-SSRL pretext tasks ({@link dev.ssrl.tasks.ShuffleTask}, {@link
 * dev.ssrl.tasks.FlipTask}, {@link dev.ssrl.tasks.CropTask}, {@link
 * dev.ssrl.tasks.DepthOrderingTask}, {@link dev.ssrl.tasks.RelativePositionTask}), two opt-in tasks
 * beyond the paper ({@link dev.ssrl.tasks.DepthPointsTask}, {@link dev.ssrl.tasks.RotationTask}),
 * their prompt profiles and the answer balancing, found through {@link java.util.ServiceLoader} as
 * {@link dev.ssrl.api.Task}s.
 *
 * <p>Owns: what a task asks, how it builds its images from a {@link dev.ssrl.api.Scene}, and why a
 * scene is rejected. Uses the public helpers of {@code image} and {@code depth}; must not read
 * files or know about output formats (a scene arrives already decoded).
 *
 * <p>Public API convention (as in BoofCV): every package of this module whose name does not contain
 * {@code impl} is API; packages named {@code ...impl} are internal and may change in any release
 * even where their classes are public. docs/architecture.md has the map.
 */
package dev.ssrl.tasks;
