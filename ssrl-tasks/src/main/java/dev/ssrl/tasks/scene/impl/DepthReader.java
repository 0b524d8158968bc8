package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthFormats;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.EncodedFile;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.awt.image.Raster;
import java.nio.file.Path;

/**
 * Loads a depth map and its optional validity mask (SPEC §1): the depth file through the format
 * {@link DepthFormats#recognise} finds for it (signature first, name as the fallback), the mask as
 * a {@code .npy} of any supported dtype or an 8/16-bit grey PNG, valid where its value is non-zero
 * (a NaN mask value counts as invalid).
 *
 * <p>Zero, NaN and infinite values are kept as they are; {@link DepthMap} treats them as invalid.
 */
public final class DepthReader {
  private DepthReader() {}

  public static DepthMap read(Path depth, Path mask, long maxPixels, double scale)
      throws SceneLoadException {
    return read(DepthSource.of(depth), mask, null, maxPixels, scale);
  }

  /**
   * Decodes a depth file and optional mask held in memory, exactly as {@link #read(Path, Path,
   * long, double)} decodes files; the names only name them in errors (and the depth name's
   * extension is the HDF5 fallback, as for files).
   */
  public static DepthMap decode(EncodedFile depth, EncodedFile mask, long maxPixels, double scale)
      throws SceneLoadException {
    java.util.Objects.requireNonNull(depth, "depth");
    return read(
        DepthSource.of(depth),
        mask == null ? null : DepthSource.of(mask).path(),
        mask == null ? null : mask.bytes(),
        maxPixels,
        scale);
  }

  /** Null mask bytes mean "read the mask file at the path"; otherwise the path only names them. */
  private static DepthMap read(
      DepthSource depth, Path mask, byte[] maskBytes, long maxPixels, double scale)
      throws SceneLoadException {
    DepthMap d;
    try {
      DepthFormat format = DepthFormats.recognise(depth);
      d = format.read(depth, maxPixels, scale);
    } catch (RuntimeException e) {
      // Every format checks its input; this names the file should one still miss a case.
      throw new SceneLoadException(depth.path(), "cannot read depth: " + SceneBytes.describe(e), e);
    }
    if (mask == null) {
      return d;
    }
    MaskPlane mp;
    try {
      mp = readMask(mask, maskBytes, maxPixels);
    } catch (RuntimeException e) {
      throw new SceneLoadException(mask, "cannot read mask: " + SceneBytes.describe(e), e);
    }
    if (mp.width != d.width() || mp.height != d.height()) {
      throw new SceneLoadException(
          mask,
          "mask "
              + mp.width
              + "x"
              + mp.height
              + " does not match depth "
              + d.width()
              + "x"
              + d.height()
              + " of "
              + depth.path().getFileName());
    }
    return DepthMap.of(d.width(), d.height(), d.values(), mp.mask);
  }

  /** A decoded mask: 0/1 bytes. */
  private record MaskPlane(int width, int height, byte[] mask) {}

  private static MaskPlane readMask(Path path, byte[] bytes, long maxPixels)
      throws SceneLoadException {
    byte[] b = bytes == null ? SceneBytes.readAll(path) : SceneBytes.checkNotEmpty(bytes, path);
    if (NpyReader.isNpy(b)) {
      NpyReader.NpyArray a = NpyReader.parse(b, path, maxPixels);
      return new MaskPlane(a.width(), a.height(), a.toMask());
    }
    if (PngHeader.isPng(b)) {
      Raster r = Png16DepthFormat.grey(b, path, maxPixels, false);
      int w = r.getWidth();
      int h = r.getHeight();
      byte[] m = new byte[w * h];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          m[y * w + x] = (byte) (row[x] != 0 ? 1 : 0);
        }
      }
      return new MaskPlane(w, h, m);
    }
    throw new SceneLoadException(
        path, "unsupported mask format (" + RgbReader.sniff(b) + "); expected .npy or grey PNG");
  }
}
