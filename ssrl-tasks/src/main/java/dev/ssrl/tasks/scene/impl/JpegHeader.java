package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.nio.file.Path;

/**
 * What the loader needs from a JPEG's marker structure, read without decoding any pixels: frame
 * size, precision and component count (SOF), the Adobe APP14 colour transform, the EXIF orientation
 * (APP1), and whether the stream reaches its EOI marker.
 *
 * <p>We walk the markers ourselves because ImageIO decodes a truncated JPEG "successfully", filling
 * the missing part with grey, and because ImageIO ignores EXIF orientation.
 */
record JpegHeader(
    int width,
    int height,
    int precision,
    int components,
    int sofMarker,
    int adobeTransform,
    int orientation) {

  /** No Adobe APP14 marker present. */
  static final int NO_ADOBE = -1;

  static boolean isJpeg(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
  }

  /** Whether the image is stored as CMYK or YCCK (four components). */
  boolean fourComponent() {
    return components == 4;
  }

  /** Whether the four components are YCCK rather than plain CMYK (Adobe transform 2). */
  boolean ycck() {
    return adobeTransform == 2;
  }

  /**
   * Parses the marker structure of a complete JPEG file.
   *
   * @throws SceneLoadException if the stream is not a JPEG, has no frame header, or ends before EOI
   */
  static JpegHeader parse(byte[] b, Path path) throws SceneLoadException {
    if (!isJpeg(b)) {
      throw new SceneLoadException(path, "not a JPEG file (no SOI marker)");
    }
    int width = -1;
    int height = -1;
    int precision = 0;
    int components = 0;
    int sof = 0;
    int adobe = NO_ADOBE;
    int orientation = 1;
    boolean exifSeen = false;
    int p = 2;
    int n = b.length;
    while (true) {
      // Find the next marker: 0xFF, optional 0xFF fill bytes, then the marker code.
      if (p >= n) {
        throw truncated(path, "ends before the EOI marker");
      }
      if ((b[p] & 0xFF) != 0xFF) {
        throw new SceneLoadException(
            path, "corrupt JPEG: expected a marker at byte " + p + ", found 0x" + hex(b[p]));
      }
      while (p < n && (b[p] & 0xFF) == 0xFF) {
        p++;
      }
      if (p >= n) {
        throw truncated(path, "ends before the EOI marker");
      }
      int marker = b[p] & 0xFF;
      p++;
      if (marker == 0xD9) {
        break; // EOI: the stream is complete; trailing bytes after it are ignored, as decoders do.
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // Standalone markers carry no length.
      }
      if (marker == 0xD8 || marker == 0x00) {
        throw new SceneLoadException(
            path,
            "corrupt JPEG: unexpected marker 0x" + hex((byte) marker) + " at byte " + (p - 1));
      }
      if (p + 2 > n) {
        throw truncated(path, "ends inside a marker segment");
      }
      int len = u16(b, p);
      if (len < 2) {
        throw new SceneLoadException(path, "corrupt JPEG: segment length " + len + " at byte " + p);
      }
      if (p + len > n) {
        throw truncated(path, "ends inside a marker segment");
      }
      int seg = p + 2;
      int segEnd = p + len;
      if (isSof(marker)) {
        if (len < 8) {
          throw new SceneLoadException(path, "corrupt JPEG: frame header too short");
        }
        if (sof == 0) {
          sof = marker;
          precision = b[seg] & 0xFF;
          height = u16(b, seg + 1);
          width = u16(b, seg + 3);
          components = b[seg + 5] & 0xFF;
        }
      } else if (marker == 0xE1 && !exifSeen && len >= 8 && isExif(b, seg)) {
        exifSeen = true;
        orientation = ExifOrientation.parse(b, seg + 6, segEnd);
      } else if (marker == 0xEE && adobe == NO_ADOBE && len >= 14 && isAdobe(b, seg)) {
        adobe = b[seg + 11] & 0xFF;
      }
      p = segEnd;
      if (marker == 0xDA) {
        p = skipEntropyData(b, p, path);
      }
    }
    if (sof == 0) {
      throw new SceneLoadException(path, "corrupt JPEG: no frame header (SOF marker)");
    }
    return new JpegHeader(width, height, precision, components, sof, adobe, orientation);
  }

  /** Returns the offset of the 0xFF that starts the marker ending the entropy-coded data. */
  private static int skipEntropyData(byte[] b, int p, Path path) throws SceneLoadException {
    int n = b.length;
    while (p < n) {
      if ((b[p] & 0xFF) == 0xFF) {
        if (p + 1 >= n) {
          break;
        }
        int next = b[p + 1] & 0xFF;
        // 0xFF00 is a stuffed data byte, 0xFFD0-D7 are restart markers, 0xFFFF is fill.
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
          p += 2;
          continue;
        }
        if (next == 0xFF) {
          p++;
          continue;
        }
        return p;
      }
      p++;
    }
    throw truncated(path, "ends inside the compressed image data (no EOI marker)");
  }

  private static boolean isSof(int m) {
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
  }

  private static boolean isExif(byte[] b, int i) {
    return b[i] == 'E' && b[i + 1] == 'x' && b[i + 2] == 'i' && b[i + 3] == 'f' && b[i + 4] == 0;
  }

  private static boolean isAdobe(byte[] b, int i) {
    return b[i] == 'A' && b[i + 1] == 'd' && b[i + 2] == 'o' && b[i + 3] == 'b' && b[i + 4] == 'e';
  }

  private static SceneLoadException truncated(Path path, String where) {
    return new SceneLoadException(path, "truncated JPEG: file " + where);
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
  }

  private static String hex(byte v) {
    return String.format("%02X", v & 0xFF);
  }
}
