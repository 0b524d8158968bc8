package dev.ssrl.tasks.image.impl;

import java.io.ByteArrayOutputStream;

/**
 * Joins baseline JPEGs of consecutive horizontal strips of one image into a single JPEG with
 * restart markers (ITU T.81 §B.2.4.4, §F.1.2.3): the headers of the first strip with the frame
 * height set to the whole image and a DRI segment added, then each strip's entropy-coded data,
 * separated by RST0..RST7 in turn. This is valid because each strip's data starts with DC
 * predictions at zero and ends padded to a byte with one-bits — exactly what a decoder expects
 * around a restart marker — and all strips share the same tables (same quality, standard Huffman
 * tables).
 */
public final class JpegStrips {
  private JpegStrips() {}

  private static final int SOF0 = 0xC0;
  private static final int SOS = 0xDA;

  /**
   * The joined JPEG.
   *
   * @param strips the JPEG of each strip, top to bottom; all but the last hold the same whole
   *     number of MCU rows
   * @param height the whole image's height
   * @param interval MCUs per strip: the restart interval
   * @throws IllegalStateException if a strip is not the baseline JPEG the writer is expected to
   *     give
   */
  public static byte[] join(byte[][] strips, int height, int interval) {
    if (interval <= 0 || interval > 0xFFFF) {
      throw new IllegalStateException("restart interval out of range: " + interval);
    }
    int total = 16;
    for (byte[] s : strips) {
      total += s.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(total);
    for (int i = 0; i < strips.length; i++) {
      byte[] s = strips[i];
      int sos = findMarker(s, SOS);
      int scanStart = sos + 2 + u16(s, sos + 2);
      int end = s.length - 2;
      if (end < scanStart || (s[end] & 0xFF) != 0xFF || (s[end + 1] & 0xFF) != 0xD9) {
        throw new IllegalStateException("strip " + i + " does not end with EOI");
      }
      if (i == 0) {
        byte[] header = java.util.Arrays.copyOf(s, sos);
        int sof = findMarker(s, SOF0);
        // SOF0: FF C0, length (2), precision (1), height (2), width (2), ...
        header[sof + 5] = (byte) (height >>> 8);
        header[sof + 6] = (byte) height;
        out.write(header, 0, header.length);
        out.write(
            new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, (byte) (interval >>> 8), (byte) interval},
            0,
            6);
        out.write(s, sos, scanStart - sos);
      } else {
        out.write(0xFF);
        out.write(0xD0 + ((i - 1) & 7));
      }
      out.write(s, scanStart, end - scanStart);
    }
    out.write(0xFF);
    out.write(0xD9);
    return out.toByteArray();
  }

  /** The offset of the first marker {@code code} among the header segments (before the scan). */
  private static int findMarker(byte[] s, int code) {
    int p = 2; // after SOI
    while (p + 3 < s.length) {
      if ((s[p] & 0xFF) != 0xFF) {
        throw new IllegalStateException("corrupt JPEG header at byte " + p);
      }
      int marker = s[p + 1] & 0xFF;
      if (marker == code) {
        return p;
      }
      if (marker == SOS) {
        break;
      }
      p += 2 + u16(s, p + 2);
    }
    throw new IllegalStateException(String.format("no marker FF%02X before the scan", code));
  }

  private static int u16(byte[] s, int p) {
    return (s[p] & 0xFF) << 8 | (s[p + 1] & 0xFF);
  }
}
