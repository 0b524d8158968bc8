package dev.ssrl.tasks.scene;

/**
 * What a scene's file headers say, read by {@link SceneLoader#probe} before any pixel is decoded:
 * enough to plan the memory a load will take.
 *
 * @param width the image's stored width (before any EXIF rotation)
 * @param height the image's stored height
 * @param decodeBytesPerPixel bytes a pixel of the decoder's image takes before it becomes 8-bit RGB
 *     (4 for JPEG; a PNG's channels × bytes per sample)
 * @param depth the depth file's header, or null for an RGB-only scene
 * @param fileBytes the size of the scene's files together (image, depth, mask)
 */
public record SceneHeader(
    int width, int height, int decodeBytesPerPixel, DepthHeader depth, long fileBytes) {

  /** {@code width × height} of the image. */
  public long pixels() {
    return (long) width * height;
  }

  /** Whether the scene has a depth file. */
  public boolean hasDepth() {
    return depth != null;
  }
}
