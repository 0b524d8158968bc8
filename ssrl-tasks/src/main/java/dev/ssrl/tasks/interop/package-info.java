/**
 * Adapters between the {@code dev.ssrl.api} images ({@link dev.ssrl.api.Raster}, {@link
 * dev.ssrl.api.DepthMap}) and the image types of ImgLib2 (Fiji) and BoofCV, for users who already
 * hold their pixels in one of those libraries: {@link dev.ssrl.tasks.interop.ImgLib2Interop} and
 * {@link dev.ssrl.tasks.interop.BoofCvInterop}. Each method's comment says whether it shares the
 * array (zero-copy: later writes on one side are seen on the other) or copies.
 */
package dev.ssrl.tasks.interop;
