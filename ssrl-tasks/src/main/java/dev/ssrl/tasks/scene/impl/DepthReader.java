package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a depth map and its optional validity mask (SPEC §1), choosing the format by the file's
 * signature (extension only as a fallback for HDF5 files with a user block):
 *
 * <ul>
 *   <li>{@code .npy}: float values as stored; integer values times the depth scale;
 *   <li>HDF5: dataset {@code depth} (see {@link Hdf5DepthReader});
 *   <li>PNG: single-channel 16-bit grey, value × depth scale (default 0.001 m, i.e. millimetres);
 *   <li>PFM: see {@link PfmReader}.
 * </ul>
 *
 * <p>Zero, NaN and infinite values are kept as they are; {@link DepthMap} treats them as invalid. A
 * mask ({@code .npy} of any supported dtype, or an 8/16-bit grey PNG) marks a pixel valid when its
 * value is non-zero; a NaN mask value counts as invalid.
 */
public final class DepthReader {
  private DepthReader() {}

  public static DepthMap read(Path depth, Path mask, long maxPixels, double scale)
      throws SceneLoadException {
    return read(depth, null, mask, null, maxPixels, scale);
  }

  /**
   * Decodes a depth file and optional mask held in memory, exactly as {@link #read(Path, Path,
   * long, double)} decodes files; the paths only name them in errors (and the depth path's
   * extension is the HDF5 fallback, as for files).
   */
  public static DepthMap decode(
      byte[] depth, Path depthName, byte[] mask, Path maskName, long maxPixels, double scale)
      throws SceneLoadException {
    java.util.Objects.requireNonNull(depth, "depth");
    if (mask != null) {
      java.util.Objects.requireNonNull(maskName, "maskName");
    }
    return read(depthName, depth, maskName, mask, maxPixels, scale);
  }

  /** Null bytes mean "read the file at the path"; otherwise the path only names the bytes. */
  private static DepthMap read(
      Path depth, byte[] depthBytes, Path mask, byte[] maskBytes, long maxPixels, double scale)
      throws SceneLoadException {
    Plane d;
    try {
      d = readPlane(depth, depthBytes, maxPixels, scale);
    } catch (RuntimeException e) {
      // Every reader checks its input; this names the file should one still miss a case.
      throw new SceneLoadException(depth, "cannot read depth: " + SceneBytes.describe(e), e);
    }
    byte[] m = null;
    if (mask != null) {
      Plane mp;
      try {
        mp = readMaskPlane(mask, maskBytes, maxPixels);
      } catch (RuntimeException e) {
        throw new SceneLoadException(mask, "cannot read mask: " + SceneBytes.describe(e), e);
      }
      if (mp.width != d.width || mp.height != d.height) {
        throw new SceneLoadException(
            mask,
            "mask "
                + mp.width
                + "x"
                + mp.height
                + " does not match depth "
                + d.width
                + "x"
                + d.height
                + " of "
                + depth.getFileName());
      }
      m = mp.mask;
    }
    try {
      return DepthMap.of(d.width, d.height, d.values, m);
    } catch (IllegalArgumentException e) {
      throw new SceneLoadException(depth, "invalid depth map: " + e.getMessage(), e);
    }
  }

  /** One decoded single-channel image: depth values, or (for masks) 0/1 bytes. */
  private record Plane(int width, int height, float[] values, byte[] mask) {}

  private static Plane readPlane(Path path, byte[] bytes, long maxPixels, double scale)
      throws SceneLoadException {
    byte[] head = bytes == null ? head(path) : SceneBytes.checkNotEmpty(bytes, path);
    boolean otherSignature =
        NpyReader.isNpy(head) || PngHeader.isPng(head) || PfmReader.isPfm(head);
    // An HDF5 file with a user block has its signature at byte 512 or later: trust the extension.
    if (Hdf5DepthReader.isHdf5(head) || (!otherSignature && isHdf5Name(path))) {
      Hdf5DepthReader.Hdf5Depth h =
          bytes == null
              ? Hdf5DepthReader.read(path, maxPixels, scale)
              : Hdf5DepthReader.read(bytes, path, maxPixels, scale);
      return new Plane(h.width(), h.height(), h.values(), null);
    }
    byte[] b = bytes == null ? SceneBytes.readAll(path) : bytes;
    if (NpyReader.isNpy(b)) {
      NpyReader.NpyArray a = NpyReader.parse(b, path, maxPixels);
      float[] v = a.toFloats(a.integral() ? scale : 1.0);
      return new Plane(a.width(), a.height(), v, null);
    }
    if (PfmReader.isPfm(b)) {
      PfmReader.Pfm p = PfmReader.parse(b, path, maxPixels);
      return new Plane(p.width(), p.height(), p.values(), null);
    }
    if (PngHeader.isPng(b)) {
      Raster r = pngGrey(b, path, maxPixels, true);
      int w = r.getWidth();
      int h = r.getHeight();
      float[] v = new float[w * h];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          v[y * w + x] = (float) (row[x] * scale);
        }
      }
      return new Plane(w, h, v, null);
    }
    throw new SceneLoadException(
        path,
        "unsupported depth format ("
            + RgbReader.sniff(b)
            + "); expected .npy, HDF5 (.h5), 16-bit PNG or PFM");
  }

  private static Plane readMaskPlane(Path path, byte[] bytes, long maxPixels)
      throws SceneLoadException {
    byte[] b = bytes == null ? SceneBytes.readAll(path) : SceneBytes.checkNotEmpty(bytes, path);
    if (NpyReader.isNpy(b)) {
      NpyReader.NpyArray a = NpyReader.parse(b, path, maxPixels);
      return new Plane(a.width(), a.height(), null, a.toMask());
    }
    if (PngHeader.isPng(b)) {
      Raster r = pngGrey(b, path, maxPixels, false);
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
      return new Plane(w, h, null, m);
    }
    throw new SceneLoadException(
        path, "unsupported mask format (" + RgbReader.sniff(b) + "); expected .npy or grey PNG");
  }

  /** Decodes a single-channel grey PNG (16-bit only when {@code need16}) to its raw samples. */
  private static Raster pngGrey(byte[] b, Path path, long maxPixels, boolean need16)
      throws SceneLoadException {
    PngHeader h = PngHeader.parse(b, path);
    if (h.colorType() != PngHeader.GREY || (need16 && h.bitDepth() != 16)) {
      throw new SceneLoadException(
          path,
          (need16 ? "depth PNG must be 16-bit single-channel grey" : "mask PNG must be grey")
              + ", got "
              + h.describe());
    }
    if ((long) h.width() * h.height() > maxPixels) {
      throw new SceneLoadException(
          path,
          "PNG "
              + h.width()
              + "x"
              + h.height()
              + " exceeds the pixel budget of "
              + maxPixels
              + "; refused before decoding");
    }
    PngHeader.checkComplete(b, path);
    BufferedImage img = RgbReader.readImage(b, "png", path);
    return img.getRaster();
  }

  private static boolean isHdf5Name(Path path) {
    String ext = SceneBytes.extension(path);
    return ext.equals("h5") || ext.equals("hdf5") || ext.equals("hdf");
  }

  /** The first 16 bytes (fewer for a shorter file), after the usual readability checks. */
  private static byte[] head(Path path) throws SceneLoadException {
    SceneBytes.checkReadable(path);
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(16);
    } catch (IOException e) {
      throw SceneBytes.wrap(path, e);
    }
  }
}
