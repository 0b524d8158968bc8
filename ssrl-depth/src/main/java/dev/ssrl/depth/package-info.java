/**
 * Monocular depth estimation: plain photos become RGB-D scenes.
 *
 * <p>{@link dev.ssrl.depth.DepthEstimator} turns a {@link dev.ssrl.api.Raster} into a {@link
 * dev.ssrl.api.DepthMap} in the project's convention (nearer is smaller, invalid pixels masked);
 * {@link dev.ssrl.depth.OnnxDepthEstimator} implements it with ONNX Runtime for Depth Anything V2
 * and models exported the same way ({@code pixel_values} in, {@code predicted_depth} relative
 * inverse depth out). {@link dev.ssrl.depth.DepthModel} names the model file (name and SHA-256) for
 * the provenance each estimated sample carries. Users supply the model file; nothing here downloads
 * weights (docs/depth-models.md).
 *
 * <p>A module of its own, not a package of ssrl-tasks: ssrl-tasks reads scene files only and
 * carries no native code, while this needs ONNX Runtime (a 54 MB jar of native libraries) and reads
 * a model file. Only the front ends that offer {@code --depth-model} depend on it.
 */
package dev.ssrl.depth;
