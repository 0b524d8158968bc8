/**
 * Image operations over {@link dev.ssrl.api.Raster} for task authors: crops, rotations, flips,
 * resizing and differences ({@link dev.ssrl.tasks.image.RasterOps}), tiles and their decoration
 * ({@link dev.ssrl.tasks.image.Tiles}), markers and rectangles ({@link dev.ssrl.tasks.image.Draw}),
 * and JPEG/PNG encoding ({@link dev.ssrl.tasks.image.ImageCodec}).
 *
 * <p>Owns: pixel arithmetic whose results the tasks' answers rest on. Must not know about scenes on
 * disk, depth or tasks.
 */
package dev.ssrl.tasks.image;
