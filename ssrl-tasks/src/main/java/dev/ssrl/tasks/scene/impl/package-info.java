/**
 * Internal: the codecs behind {@link dev.ssrl.tasks.scene.SceneLoader} (PNG fast path and header,
 * JPEG header and EXIF orientation, {@code .npy}, PFM and HDF5 readers, the four built-in {@link
 * dev.ssrl.tasks.scene.DepthFormat}s, bounded byte reading). Not API: classes here are public only
 * so that {@code scene} can call them, and may change in any release. Must not know about tasks nor
 * use {@code SceneLoader} or {@code SceneFolder}, and a built-in format must not use {@code
 * DepthFormats}: each would close a class cycle through two packages.
 */
package dev.ssrl.tasks.scene.impl;
