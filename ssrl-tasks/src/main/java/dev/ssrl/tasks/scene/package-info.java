/**
 * Scene loading: {@link dev.ssrl.tasks.scene.SceneLoader} decodes an RGB image and an optional
 * depth map (PNG, JPEG, {@code .npy}, PFM, HDF5) into a {@link dev.ssrl.api.Scene}, {@link
 * dev.ssrl.tasks.scene.SceneFolder} pairs the files of a folder, and every failure is a {@link
 * dev.ssrl.tasks.scene.SceneLoadException} naming the file and the cause. A depth file format is
 * one {@link dev.ssrl.tasks.scene.DepthFormat} (recognise, pair, probe, read); {@link
 * dev.ssrl.tasks.scene.DepthFormats} lists the built-in ones and those added on the class path, and
 * loading, pairing and {@link dev.ssrl.tasks.scene.SceneLoader#probe probing} all use that list.
 *
 * <p>Owns: limits on what a file may make us allocate, and the names shown for files. Must not know
 * about tasks, image operations or output formats. The decoders and the built-in depth formats live
 * in {@code scene.impl}.
 */
package dev.ssrl.tasks.scene;
