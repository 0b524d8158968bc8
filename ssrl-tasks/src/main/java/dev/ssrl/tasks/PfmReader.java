package dev.ssrl.tasks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Portable float map ({@code .pfm}) reader: {@code Pf} (one channel) or {@code PF} (three),
 * whitespace-separated width, height and scale, one whitespace byte, then 32-bit floats. A negative
 * scale means little-endian, a positive one big-endian; rows are stored bottom to top. The scale's
 * magnitude is not applied: Middlebury and most writers put 1 there.
 *
 * <p>A {@code PF} file is accepted only when its three channels are identical (a grey map saved as
 * colour), and then gives that channel; a true colour PFM is not a depth map and is refused rather
 * than silently reduced to one channel.
 */
final class PfmReader {
  private PfmReader() {}

  static boolean isPfm(byte[] b) {
    return b.length >= 3
        && b[0] == 'P'
        && (b[1] == 'f' || b[1] == 'F')
        && Character.isWhitespace(b[2]);
  }

  /** Width, height and row-major top-to-bottom values. */
  record Pfm(int width, int height, float[] values) {}

  static Pfm parse(byte[] b, Path path, long maxPixels) throws SceneLoadException {
    if (!isPfm(b)) {
      throw new SceneLoadException(path, "not a PFM file (expected 'Pf' or 'PF')");
    }
    int channels = b[1] == 'F' ? 3 : 1;
    int[] pos = {2};
    String ws = token(b, pos, path, "width");
    String hs = token(b, pos, path, "height");
    String ss = token(b, pos, path, "scale");
    long w;
    long h;
    double scale;
    try {
      w = Long.parseLong(ws);
      h = Long.parseLong(hs);
      scale = Double.parseDouble(ss);
    } catch (NumberFormatException e) {
      throw new SceneLoadException(
          path, "corrupt PFM header: '" + ws + " " + hs + " " + ss + "' is not width height scale");
    }
    if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new SceneLoadException(path, "corrupt PFM header: invalid size " + w + "x" + h);
    }
    if (scale == 0 || !Double.isFinite(scale)) {
      throw new SceneLoadException(
          path, "corrupt PFM header: scale " + ss + " must be a non-zero number");
    }
    if (w * h > maxPixels) {
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
    // Exactly one whitespace byte separates the header from the data.
    int start = pos[0] + 1;
    long need = w * h * channels * 4;
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

  private static String token(byte[] b, int[] pos, Path path, String what)
      throws SceneLoadException {
    int p = pos[0];
    while (p < b.length && Character.isWhitespace(b[p])) {
      p++;
    }
    int begin = p;
    while (p < b.length && !Character.isWhitespace(b[p]) && p - begin < 32) {
      p++;
    }
    if (begin == p || p >= b.length) {
      throw new SceneLoadException(path, "corrupt PFM header: missing " + what);
    }
    pos[0] = p;
    return new String(b, begin, p - begin, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
