/**
 * Internal: the resampling and digest code behind {@link dev.ssrl.depth.OnnxDepthEstimator}. Not
 * API (docs/architecture.md: a package whose name ends in {@code impl} is internal).
 */
package dev.ssrl.depth.impl;
