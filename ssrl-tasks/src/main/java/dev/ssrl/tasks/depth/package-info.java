/**
 * Depth statistics: normalising a raw {@link dev.ssrl.api.DepthMap} ({@link
 * dev.ssrl.tasks.depth.DepthNormalizer}), the count/min/max/sum of every square window ({@link
 * dev.ssrl.tasks.depth.WindowStats}), the candidate windows the depth and position tasks read
 * ({@link dev.ssrl.tasks.depth.CandidateQuery}, {@link dev.ssrl.tasks.depth.WindowCandidates}), and
 * the engine seam through which an accelerator computes them instead ({@link
 * dev.ssrl.tasks.depth.WindowStatsEngine}, chosen by {@link
 * dev.ssrl.tasks.depth.WindowStatsEngines}; {@code ssrl-gpu} provides one), and resampling a depth
 * map to another size ({@link dev.ssrl.tasks.depth.DepthResampling}, nearest neighbour).
 *
 * <p>Owns: the definition of the statistics that every engine must reproduce bit for bit, and how
 * depth is resampled. Must not know about images, files or tasks.
 */
package dev.ssrl.tasks.depth;
