package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Portable float map ({@code .pfm}) reader: {@code Pf} (one channel) or {@code PF} (three),
 * whitespace-separated width, height (positive integers) and scale (a non-zero decimal number), one
 * line end (LF, CRLF or CR; or a space), then 32-bit floats. A negative scale means little-endian,
 * a positive one big-endian; rows are stored bottom to top. The scale's magnitude is not applied:
 * Middlebury and most writers put 1 there.
 *
 * <p>A {@code PF} file is accepted only when its three channels are identical (a grey map saved as
 * colour), and then gives that channel; a true colour PFM is not a depth map and is refused rather
 * than silently reduced to one channel.
 */
public final class PfmReader {
  private PfmReader() {}

  static boolean isPfm(byte[] b) {
    return b.length >= 3 && b[0] == 'P' && (b[1] == 'f' || b[1] == 'F') && isSpace(b[2]);
  }

  /** Width, height and row-major top-to-bottom values. */
  public record Pfm(int width, int height, float[] values) {}

  public static Pfm parse(byte[] b, Path path, long maxPixels) throws SceneLoadException {
    Header hd = header(b, path, maxPixels);
    long w = hd.width();
    long h = hd.height();
    int channels = hd.channels();
    double scale = hd.scale();
    long need = hd.need();
    int start = dataStart(b, hd.scaleEnd(), need, path);
    long have = b.length - (long) start;
    if (have < need) {
      throw new SceneLoadException(
          path,
          "truncated PFM: header declares "
              + w
              + "x"
              + h
              + "x"
              + channels
              + " floats ("
              + need
              + " bytes) but only "
              + Math.max(0, have)
              + " bytes follow");
    }
    ByteBuffer buf =
        ByteBuffer.wrap(b, start, (int) need)
            .slice()
            .order(scale < 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int width = (int) w;
    int height = (int) h;
    float[] out = new float[width * height];
    for (int fileRow = 0; fileRow < height; fileRow++) {
      int y = height - 1 - fileRow;
      for (int x = 0; x < width; x++) {
        int off = ((fileRow * width + x) * channels) * 4;
        float v = buf.getFloat(off);
        if (channels == 3) {
          int g = Float.floatToRawIntBits(buf.getFloat(off + 4));
          int bl = Float.floatToRawIntBits(buf.getFloat(off + 8));
          int r = Float.floatToRawIntBits(v);
          if (g != r || bl != r) {
            throw new SceneLoadException(
                path,
                "colour PFM ('PF') with differing channels at ("
                    + x
                    + ", "
                    + y
                    + ") is not a depth map; save depth as single-channel 'Pf'");
          }
        }
        out[y * width + x] = v;
      }
    }
    return new Pfm(width, height, out);
  }

  /** What the header says, and where its scale token ends. */
  record Header(int width, int height, int channels, double scale, long need, int scaleEnd) {}

  /**
   * Parses the header of {@code b} (the whole file, or enough of its start to hold the header),
   * checking all that {@link #parse} checks before it looks for the data.
   */
  static Header header(byte[] b, Path path, long maxPixels) throws SceneLoadException {
    if (!isPfm(b)) {
      throw new SceneLoadException(path, "not a PFM file (expected 'Pf' or 'PF')");
    }
    int channels = b[1] == 'F' ? 3 : 1;
    int[] pos = {2};
    String ws = token(b, pos, path, "width");
    String hs = token(b, pos, path, "height");
    String ss = token(b, pos, path, "scale");
    if (!INTEGER.matcher(ws).matches() || !INTEGER.matcher(hs).matches()) {
      throw new SceneLoadException(
          path, "corrupt PFM header: size '" + ws + " " + hs + "' is not two positive integers");
    }
    if (!DECIMAL.matcher(ss).matches()) {
      throw new SceneLoadException(
          path, "corrupt PFM header: scale '" + ss + "' is not a decimal number");
    }
    long w;
    long h;
    try {
      w = Long.parseLong(ws);
      h = Long.parseLong(hs);
    } catch (NumberFormatException e) {
      w = -1; // more digits than a long holds
      h = -1;
    }
    double scale = Double.parseDouble(ss);
    if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new SceneLoadException(path, "corrupt PFM header: invalid size " + ws + "x" + hs);
    }
    if (scale == 0 || !Double.isFinite(scale)) {
      throw new SceneLoadException(
          path, "corrupt PFM header: scale " + ss + " must be a non-zero number");
    }
    if (h > maxPixels / w) { // w * h > maxPixels, without overflowing
      throw new SceneLoadException(
          path,
          "map "
              + w
              + "x"
              + h
              + " exceeds the pixel budget of "
              + maxPixels
              + "; refused before reading");
    }
    long need;
    try {
      need = Math.multiplyExact(Math.multiplyExact(w, h), channels * 4L);
    } catch (ArithmeticException e) {
      throw new SceneLoadException(path, "map " + w + "x" + h + " is too large to read");
    }
    return new Header((int) w, (int) h, channels, scale, need, pos[0]);
  }

  /**
   * Where the floats begin: after the scale token and its line end, which may be LF, CRLF or CR
   * (Windows and old Mac writers) or one space or tab. CR followed by a data byte 0x0A reads like
   * CRLF; the data length decides: CRLF is taken only when the floats then fit the file exactly, or
   * (a file with trailing bytes) still fit in it.
   */
  private static int dataStart(byte[] b, int p, long need, Path path) throws SceneLoadException {
    if (p >= b.length) {
      throw new SceneLoadException(path, "truncated PFM: the header has no line end");
    }
    byte c = b[p];
    if (c == '\r' && p + 1 < b.length && b[p + 1] == '\n') {
      long afterCrLf = b.length - (long) (p + 2);
      long afterCr = afterCrLf + 1;
      boolean crLf = afterCrLf == need || (afterCr != need && afterCrLf >= need);
      return crLf ? p + 2 : p + 1;
    }
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      return p + 1;
    }
    throw new SceneLoadException(
        path,
        String.format(
            java.util.Locale.ROOT,
            "corrupt PFM header: byte 0x%02X after the scale, expected a line end",
            c & 0xFF));
  }

  private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[0-9]+");

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  /** The next whitespace-separated header token (at most 32 bytes). */
  private static String token(byte[] b, int[] pos, Path path, String what)
      throws SceneLoadException {
    int p = pos[0];
    while (p < b.length && isSpace(b[p])) {
      p++;
    }
    int begin = p;
    while (p < b.length && !isSpace(b[p])) {
      if (p - begin == 32) {
        throw new SceneLoadException(path, "corrupt PFM header: " + what + " is too long");
      }
      p++;
    }
    if (begin == p || p >= b.length) {
      throw new SceneLoadException(path, "corrupt PFM header: missing " + what);
    }
    pos[0] = p;
    return new String(b, begin, p - begin, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** ASCII whitespace (space, tab, LF, VT, FF, CR), the separators of the PFM header. */
  private static boolean isSpace(byte c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
}
