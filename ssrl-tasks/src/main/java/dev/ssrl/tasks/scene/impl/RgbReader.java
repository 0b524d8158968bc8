package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG bytes into an 8-bit interleaved RGB {@link Raster}.
 *
 * <p>The format is taken from the file's signature, not its extension, so a PNG named {@code .jpg}
 * still loads. Header checks (pixel budget, minimum size, truncation) run before any pixel is
 * decoded. Conversions, chosen to match what an image viewer shows:
 *
 * <ul>
 *   <li>grey → R = G = B; 16-bit samples → 8-bit by rounding {@code v / 257}; 1/2/4-bit grey
 *       stretched to 0…255;
 *   <li>alpha (grey+alpha, RGBA, palette with tRNS) is composited over white, because transparent
 *       pixels often hold arbitrary colour that a viewer never shows;
 *   <li>palette → the palette colour;
 *   <li>CMYK/YCCK JPEG → RGB by the naive formula {@code R = 255·(1−C)(1−K)} (no ICC colour
 *       management), honouring the Adobe convention that APP14-marked CMYK is stored inverted;
 *   <li>embedded ICC profiles and PNG gamma are ignored (samples are taken as sRGB), as PIL does;
 *   <li>the JPEG EXIF orientation tag is applied (rotation/mirroring), so width and height are
 *       those of the displayed image.
 * </ul>
 */
public final class RgbReader {
  private RgbReader() {}

  /**
   * Images smaller than this in either dimension are refused (SPEC §1); {@code
   * SceneLoader.MIN_SIDE} publishes it. Defined here, where it is checked, so that the decoder
   * needs nothing of the API class that calls it (no import cycle between the two packages'
   * classes).
   */
  public static final int MIN_SIDE = 64;

  public static Raster read(Path path, long maxPixels) throws SceneLoadException {
    return decode(SceneBytes.readAll(path), path, maxPixels);
  }

  /** Decodes a whole JPEG or PNG file held in memory; {@code path} only names it in errors. */
  public static Raster decode(byte[] bytes, Path path, long maxPixels) throws SceneLoadException {
    if (bytes.length == 0) {
      throw new SceneLoadException(path, "empty file (0 bytes)");
    }
    if (JpegHeader.isJpeg(bytes)) {
      return decodeJpeg(bytes, path, maxPixels);
    }
    if (PngHeader.isPng(bytes)) {
      return decodePng(bytes, path, maxPixels);
    }
    throw new SceneLoadException(
        path, "not a JPEG or PNG image (" + sniff(bytes) + "; extension is ignored)");
  }

  /**
   * {width, height, bytes a pixel of the decoded image takes} of a JPEG or PNG file, from its
   * header alone: a PNG's IHDR (channels × bytes per sample, at least 1), or a JPEG's frame header
   * as ImageIO reads it (markers up to the frame header, not the scan data; 4 bytes a pixel). Width
   * and height are those stored, before any EXIF rotation.
   *
   * @throws SceneLoadException if the file is missing, unreadable or empty, or neither header can
   *     be read
   */
  public static int[] probe(Path path) throws SceneLoadException {
    byte[] head = SceneBytes.head(path, 33);
    if (PngHeader.isPng(head)) {
      PngHeader h = PngHeader.parse(head, path);
      int channels =
          switch (h.colorType()) {
            case PngHeader.GREY, PngHeader.PALETTE -> 1;
            case PngHeader.GREY_ALPHA -> 2;
            case PngHeader.RGB -> 3;
            default -> 4;
          };
      return new int[] {h.width(), h.height(), channels * Math.max(1, h.bitDepth() / 8)};
    }
    if (!JpegHeader.isJpeg(head)) {
      throw new SceneLoadException(
          path, "not a JPEG or PNG image (" + sniff(head) + "; extension is ignored)");
    }
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(path);
        ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
      if (!readers.hasNext()) {
        throw new SceneLoadException(path, "no ImageIO reader for jpeg");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(iis, true, true);
        return new int[] {r.getWidth(0), r.getHeight(0), 4};
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new SceneLoadException(path, "cannot read JPEG header: " + SceneBytes.describe(e), e);
    }
  }

  /** The ImageIO route for a PNG, bypassing {@link PngFastPath}; tests compare the two. */
  static byte[] decodePngWithImageIo(byte[] bytes, Path path) throws SceneLoadException {
    return toRgb(readImage(bytes, "png", path), path);
  }

  private static Raster decodePng(byte[] bytes, Path path, long maxPixels)
      throws SceneLoadException {
    PngHeader h = PngHeader.parse(bytes, path);
    checkSize(h.width(), h.height(), path, maxPixels);
    PngHeader.checkComplete(bytes, path);
    byte[] fast = PngFastPath.decode(bytes, h.width(), h.height());
    if (fast != null) {
      return Raster.of(h.width(), h.height(), fast);
    }
    BufferedImage img = readImage(bytes, "png", path);
    return Raster.of(img.getWidth(), img.getHeight(), toRgb(img, path));
  }

  private static Raster decodeJpeg(byte[] bytes, Path path, long maxPixels)
      throws SceneLoadException {
    JpegHeader h = JpegHeader.parse(bytes, path);
    checkSize(h.width(), h.height(), path, maxPixels);
    if (h.precision() != 8) {
      throw new SceneLoadException(
          path, h.precision() + "-bit JPEG is not supported (only 8-bit samples)");
    }
    if (h.components() != 1 && h.components() != 3 && h.components() != 4) {
      throw new SceneLoadException(
          path, "JPEG with " + h.components() + " components is not supported");
    }
    byte[] rgb;
    int w;
    int hh;
    if (h.fourComponent()) {
      java.awt.image.Raster r = readRaster(bytes, path);
      w = r.getWidth();
      hh = r.getHeight();
      rgb = cmykToRgb(r, h.ycck(), h.adobeTransform() != JpegHeader.NO_ADOBE);
    } else {
      BufferedImage img = null;
      try {
        img = readImage(bytes, "jpeg", path);
      } catch (SceneLoadException e) {
        // The JDK reader refuses some 3-component JPEGs at its colour-conversion step
        // ("Unsupported Image Type", typically an unusual embedded ICC profile) although the
        // samples decode fine; take the raw samples and convert them ourselves.
        if (h.components() != 3 || !(e.getCause() instanceof javax.imageio.IIOException)) {
          throw e;
        }
      }
      if (img != null) {
        w = img.getWidth();
        hh = img.getHeight();
        rgb = toRgb(img, path);
      } else {
        java.awt.image.Raster r = readRaster(bytes, path);
        w = r.getWidth();
        hh = r.getHeight();
        rgb = threeComponentToRgb(r, h.adobeTransform() != 0);
      }
    }
    int[] size = new int[2];
    byte[] oriented = ExifOrientation.apply(rgb, w, hh, h.orientation(), size);
    return Raster.of(size[0], size[1], oriented);
  }

  static void checkSize(long w, long h, Path path, long maxPixels) throws SceneLoadException {
    if (w * h > maxPixels) {
      throw new SceneLoadException(
          path,
          "image "
              + w
              + "x"
              + h
              + " ("
              + (w * h)
              + " pixels) exceeds the pixel budget of "
              + maxPixels
              + "; refused before decoding");
    }
    if (w < MIN_SIDE || h < MIN_SIDE) {
      throw new SceneLoadException(
          path,
          "image " + w + "x" + h + " is smaller than the minimum " + MIN_SIDE + "x" + MIN_SIDE);
    }
  }

  private interface ReadOp<T> {
    T read(ImageReader reader) throws IOException;
  }

  private static <T> T withReader(byte[] bytes, String format, Path path, ReadOp<T> op)
      throws SceneLoadException {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
    if (!it.hasNext()) {
      throw new SceneLoadException(path, "no ImageIO reader for " + format);
    }
    ImageReader reader = it.next();
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    // A memory-cached stream: ImageIO.createImageInputStream may spill to a temporary file.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      T result = op.read(reader);
      for (String w : warnings) {
        String lower = w.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("eoi") || lower.contains("trunc")) {
          // The header checks have already refused files cut short (a JPEG without its EOI
          // marker, a PNG without IEND), so here the file is complete and the decoder ran out
          // of compressed data because the data is damaged: that is corruption, not truncation.
          throw new SceneLoadException(
              path,
              "corrupt "
                  + format.toUpperCase(java.util.Locale.ROOT)
                  + ": "
                  + w
                  + " (the file is complete; its compressed data is damaged)");
        }
      }
      return result;
    } catch (SceneLoadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof OutOfMemoryError) {
          // ImageIO wraps an OutOfMemoryError in "Caught exception during read: ".
          throw new SceneLoadException(path, SceneBytes.OUT_OF_MEMORY, e);
        }
      }
      throw new SceneLoadException(
          path, "cannot decode " + format.toUpperCase() + ": " + SceneBytes.describe(e), e);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(path, SceneBytes.OUT_OF_MEMORY, e);
    } finally {
      reader.dispose();
    }
  }

  static BufferedImage readImage(byte[] bytes, String format, Path path) throws SceneLoadException {
    return withReader(bytes, format, path, r -> r.read(0));
  }

  /** Raw 3-component JPEG samples to RGB: YCbCr (JFIF, BT.601 full range) or already RGB. */
  public static byte[] threeComponentToRgb(java.awt.image.Raster r, boolean ycbcr) {
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w * 3];
    for (int y = 0; y < h; y++) {
      r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
      int o = y * w * 3;
      for (int s = 0; s < row.length; s += 3, o += 3) {
        if (ycbcr) {
          double yy = row[s];
          double cb = row[s + 1] - 128.0;
          double cr = row[s + 2] - 128.0;
          out[o] = (byte) clamp(yy + 1.402 * cr);
          out[o + 1] = (byte) clamp(yy - 0.344136 * cb - 0.714136 * cr);
          out[o + 2] = (byte) clamp(yy + 1.772 * cb);
        } else {
          out[o] = (byte) row[s];
          out[o + 1] = (byte) row[s + 1];
          out[o + 2] = (byte) row[s + 2];
        }
      }
    }
    return out;
  }

  public static java.awt.image.Raster readRaster(byte[] bytes, Path path)
      throws SceneLoadException {
    // ImageIO cannot colour-convert CMYK JPEGs to a BufferedImage, but hands out the raw samples.
    return withReader(bytes, "jpeg", path, r -> r.readRaster(0, null));
  }

  /** Converts any ImageIO image to interleaved 8-bit RGB from its raw samples. */
  static byte[] toRgb(BufferedImage img, Path path) throws SceneLoadException {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    java.awt.image.WritableRaster r = img.getRaster();
    ColorModel cm = img.getColorModel();
    SampleModel sm = r.getSampleModel();
    int bands = r.getNumBands();
    if (fastByteRgb(r, cm, out)) {
      return out;
    }
    int[] row = new int[w * bands];
    if (cm instanceof IndexColorModel icm) {
      int[] argb = new int[icm.getMapSize()];
      icm.getRGBs(argb);
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          // An index past the palette is a broken file; show it black rather than fail.
          int c = row[x] < argb.length ? argb[row[x]] : 0xFF000000;
          put(out, (y * w + x) * 3, c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF, c >>> 24, false);
        }
      }
      return out;
    }
    boolean grey = cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    boolean alpha = cm.hasAlpha();
    int colourBands = grey ? 1 : 3;
    if (bands != colourBands + (alpha ? 1 : 0)) {
      throw new SceneLoadException(
          path, "unsupported image layout: " + bands + " bands, colour model " + cm);
    }
    int[] max = new int[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = (1 << sm.getSampleSize(b)) - 1;
    }
    boolean pre = cm.isAlphaPremultiplied();
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int s = x * bands;
        int red = to8(row[s], max[0]);
        int green = grey ? red : to8(row[s + 1], max[1]);
        int blue = grey ? red : to8(row[s + 2], max[2]);
        int a = alpha ? to8(row[s + colourBands], max[colourBands]) : 255;
        put(out, (y * w + x) * 3, red, green, blue, a, pre);
      }
    }
    return out;
  }

  /** Direct copy for the common 8-bit, 3-band interleaved layouts (RGB or BGR byte order). */
  private static boolean fastByteRgb(java.awt.image.WritableRaster r, ColorModel cm, byte[] out) {
    if (!(r.getDataBuffer() instanceof DataBufferByte db)
        || !(r.getSampleModel() instanceof ComponentSampleModel csm)
        || cm instanceof IndexColorModel
        || cm.hasAlpha()
        || r.getNumBands() != 3
        || cm.getColorSpace().getType() != java.awt.color.ColorSpace.TYPE_RGB
        || csm.getPixelStride() != 3
        || db.getNumBanks() != 1
        || r.getSampleModelTranslateX() != 0
        || r.getSampleModelTranslateY() != 0) {
      return false;
    }
    for (int b = 0; b < 3; b++) {
      if (csm.getSampleSize(b) != 8) {
        return false;
      }
    }
    int[] off = csm.getBandOffsets();
    int stride = csm.getScanlineStride();
    byte[] src = db.getData();
    int base = db.getOffset();
    int w = r.getWidth();
    int h = r.getHeight();
    int o = 0;
    for (int y = 0; y < h; y++) {
      int s = base + y * stride;
      for (int x = 0; x < w; x++, s += 3) {
        out[o++] = src[s + off[0]];
        out[o++] = src[s + off[1]];
        out[o++] = src[s + off[2]];
      }
    }
    return true;
  }

  private static int to8(int v, int max) {
    if (max == 255) {
      return v;
    }
    return (int) Math.round(v * 255.0 / max);
  }

  /** Stores a pixel composited over white. */
  private static void put(byte[] out, int i, int r, int g, int b, int a, boolean premultiplied) {
    if (a != 255) {
      int white = 255 * (255 - a);
      if (premultiplied) {
        r = r + 255 - a;
        g = g + 255 - a;
        b = b + 255 - a;
      } else {
        r = (r * a + white + 127) / 255;
        g = (g * a + white + 127) / 255;
        b = (b * a + white + 127) / 255;
      }
    }
    out[i] = (byte) r;
    out[i + 1] = (byte) g;
    out[i + 2] = (byte) b;
  }

  /**
   * Four-component JPEG samples to RGB. YCCK is first turned back into CMYK exactly as libjpeg
   * does; Adobe-marked files store CMYK inverted (255 = no ink).
   */
  static byte[] cmykToRgb(java.awt.image.Raster r, boolean ycck, boolean inverted) {
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w * 4];
    for (int y = 0; y < h; y++) {
      r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int s = x * 4;
        int c = row[s];
        int m = row[s + 1];
        int ye = row[s + 2];
        int k = row[s + 3];
        if (ycck) {
          double yy = c;
          double cb = m - 128.0;
          double cr = ye - 128.0;
          c = 255 - clamp(yy + 1.402 * cr);
          m = 255 - clamp(yy - 0.344136 * cb - 0.714136 * cr);
          ye = 255 - clamp(yy + 1.772 * cb);
        }
        if (!inverted) {
          c = 255 - c;
          m = 255 - m;
          ye = 255 - ye;
          k = 255 - k;
        }
        // Now every value is "255 minus ink", so R = 255·(1−C)(1−K) is a plain product.
        int o = (y * w + x) * 3;
        out[o] = (byte) ((c * k + 127) / 255);
        out[o + 1] = (byte) ((m * k + 127) / 255);
        out[o + 2] = (byte) ((ye * k + 127) / 255);
      }
    }
    return out;
  }

  private static int clamp(double v) {
    long r = Math.round(v);
    return (int) Math.max(0, Math.min(255, r));
  }

  /** A short description of what the first bytes look like, for error messages. */
  public static String sniff(byte[] b) {
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
      return "looks like GIF";
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return "looks like BMP";
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[8] == 'W' && b[9] == 'E') {
      return "looks like WebP";
    }
    if (b.length >= 4
        && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42) || (b[0] == 'M' && b[1] == 'M'))) {
      return "looks like TIFF";
    }
    StringBuilder sb = new StringBuilder("first bytes");
    for (int i = 0; i < Math.min(8, b.length); i++) {
      sb.append(String.format(" %02X", b[i] & 0xFF));
    }
    return sb.toString();
  }
}
