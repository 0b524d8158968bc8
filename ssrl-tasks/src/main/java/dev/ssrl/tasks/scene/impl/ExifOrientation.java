package dev.ssrl.tasks.scene.impl;

/**
 * The EXIF orientation tag (0x0112) and the pixel transform it asks for.
 *
 * <p>Values (EXIF 2.3, TIFF 6.0): 1 as stored; 2 mirrored left-right; 3 rotated 180°; 4 mirrored
 * top-bottom; 5 transposed (mirrored about the main diagonal); 6 needs a 90° clockwise rotation; 7
 * transversed (mirrored about the anti-diagonal); 8 needs a 90° counter-clockwise rotation.
 */
public final class ExifOrientation {
  private ExifOrientation() {}

  private static final int ORIENTATION_TAG = 0x0112;

  /**
   * Reads the orientation from a TIFF structure occupying {@code b[start, end)} (the bytes after
   * {@code "Exif\0\0"}). Malformed or missing data gives 1: a damaged EXIF block must not make an
   * otherwise good image unloadable, and "as stored" is what a viewer falls back to as well.
   */
  public static int parse(byte[] b, int start, int end) {
    if (end - start < 8) {
      return 1;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    if (u16(b, start + 2, little) != 42) {
      return 1;
    }
    long ifd = u32(b, start + 4, little);
    if (ifd < 8 || start + ifd + 2 > end) {
      return 1;
    }
    int p = (int) (start + ifd);
    int count = u16(b, p, little);
    p += 2;
    for (int i = 0; i < count; i++, p += 12) {
      if (p + 12 > end) {
        return 1;
      }
      if (u16(b, p, little) == ORIENTATION_TAG) {
        int type = u16(b, p + 2, little);
        // SHORT is the type the standard prescribes; some writers use LONG.
        int value =
            type == 3 ? u16(b, p + 8, little) : type == 4 ? (int) u32(b, p + 8, little) : -1;
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  /** Applies the transform that orientation {@code o} asks for; 1 returns the input itself. */
  static byte[] apply(byte[] rgb, int w, int h, int o, int[] outSize) {
    boolean swap = o >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    outSize[0] = ow;
    outSize[1] = oh;
    if (o <= 1 || o > 8) {
      return rgb;
    }
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (o) {
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> {
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> { // 8
            sx = w - 1 - y;
            sy = x;
          }
        }
        int si = (sy * w + sx) * 3;
        int di = (y * ow + x) * 3;
        out[di] = rgb[si];
        out[di + 1] = rgb[si + 1];
        out[di + 2] = rgb[si + 2];
      }
    }
    return out;
  }

  private static int u16(byte[] b, int i, boolean little) {
    int a = b[i] & 0xFF;
    int c = b[i + 1] & 0xFF;
    return little ? c << 8 | a : a << 8 | c;
  }

  private static long u32(byte[] b, int i, boolean little) {
    long v = 0;
    for (int k = 0; k < 4; k++) {
      int shift = little ? 8 * k : 8 * (3 - k);
      v |= (long) (b[i + k] & 0xFF) << shift;
    }
    return v;
  }
}
