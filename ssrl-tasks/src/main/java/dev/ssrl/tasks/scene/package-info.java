/**
 * Scene loading: {@link dev.ssrl.tasks.scene.SceneLoader} decodes an RGB image and an optional
 * depth map (PNG, JPEG, {@code .npy}, PFM, HDF5) into a {@link dev.ssrl.api.Scene}, {@link
 * dev.ssrl.tasks.scene.SceneFolder} pairs the files of a folder, and every failure is a {@link
 * dev.ssrl.tasks.scene.SceneLoadException} naming the file and the cause.
 *
 * <p>Owns: limits on what a file may make us allocate, and the names shown for files. Must not know
 * about tasks, image operations or output formats. The decoders live in {@code scene.impl}.
 */
package dev.ssrl.tasks.scene;
