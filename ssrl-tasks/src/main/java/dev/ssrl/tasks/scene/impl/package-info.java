/**
 * Internal: the codecs behind {@link dev.ssrl.tasks.scene.SceneLoader} (PNG fast path and header,
 * JPEG header and EXIF orientation, {@code .npy}, PFM and HDF5 readers, bounded byte reading). Not
 * API: classes here are public only so that {@code scene} can call them, and may change in any
 * release. Must not know about tasks.
 */
package dev.ssrl.tasks.scene.impl;
