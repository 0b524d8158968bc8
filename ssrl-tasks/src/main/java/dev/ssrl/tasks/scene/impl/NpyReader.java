package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader for NumPy {@code .npy} files holding one 2-D image: format versions 1, 2 and 3;
 * dtypes {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1} in either byte order ({@code '='} is taken as
 * little-endian, as every platform numpy writes on is); shape {@code (H, W)} or {@code (H, W, 1)};
 * C or Fortran order. Object (pickled) arrays are refused, never unpickled.
 */
public final class NpyReader {
  private NpyReader() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  static boolean isNpy(byte[] b) {
    if (b.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** A decoded 2-D array: element access by (row, column) whatever the storage order. */
  public record NpyArray(
      int height, int width, char kind, int itemSize, boolean fortran, ByteBuffer data) {
    /** The element at (row y, column x) as a double. */
    public double get(int y, int x) {
      int idx = fortran ? x * height + y : y * width + x;
      int off = idx * itemSize;
      return switch (kind) {
        case 'f' ->
            switch (itemSize) {
              case 2 -> halfToFloat(data.getShort(off));
              case 4 -> data.getFloat(off);
              default -> data.getDouble(off);
            };
        case 'i' ->
            switch (itemSize) {
              case 1 -> data.get(off);
              case 2 -> data.getShort(off);
              case 4 -> data.getInt(off);
              default -> data.getLong(off);
            };
        case 'u' ->
            switch (itemSize) {
              case 1 -> data.get(off) & 0xFF;
              case 2 -> data.getShort(off) & 0xFFFF;
              case 4 -> data.getInt(off) & 0xFFFFFFFFL;
              default -> unsignedLong(data.getLong(off));
            };
        default -> data.get(off) != 0 ? 1 : 0; // 'b'
      };
    }

    /**
     * All elements in row-major order as floats, each {@code (float) (get(y, x) * scale)}; the
     * common layouts (C-order float32 and float64) skip the per-element dtype dispatch of {@link
     * #get}, which costs several milliseconds on a megapixel map.
     */
    float[] toFloats(double scale) {
      int n = height * width;
      float[] out = new float[n];
      if (!fortran && kind == 'f' && itemSize == 4 && scale == 1.0) {
        data.asFloatBuffer().get(out); // a bulk copy when the byte order is the platform's
        return out;
      }
      if (!fortran && kind == 'f' && itemSize == 8) {
        java.nio.DoubleBuffer d = data.asDoubleBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = (float) (d.get(i) * scale);
        }
        return out;
      }
      for (int y = 0, i = 0; y < height; y++) {
        for (int x = 0; x < width; x++, i++) {
          out[i] = (float) (get(y, x) * scale);
        }
      }
      return out;
    }

    /**
     * A validity mask in row-major order: 1 where the element is non-zero and not NaN, else 0.
     * C-order float32 and one-byte dtypes take a fast path.
     */
    byte[] toMask() {
      int n = height * width;
      byte[] out = new byte[n];
      if (!fortran && kind == 'f' && itemSize == 4) {
        java.nio.FloatBuffer f = data.asFloatBuffer();
        for (int i = 0; i < n; i++) {
          float v = f.get(i);
          out[i] = (byte) (v != 0f && v == v ? 1 : 0); // v == v is false only for NaN
        }
        return out;
      }
      if (!fortran && itemSize == 1) {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (data.get(i) != 0 ? 1 : 0);
        }
        return out;
      }
      for (int y = 0, i = 0; y < height; y++) {
        for (int x = 0; x < width; x++, i++) {
          double v = get(y, x);
          out[i] = (byte) (v != 0 && !Double.isNaN(v) ? 1 : 0);
        }
      }
      return out;
    }

    /** Whether the dtype holds integers (or booleans) rather than floating-point values. */
    boolean integral() {
      return kind != 'f';
    }

    String dtype() {
      return "" + kind + itemSize;
    }
  }

  /**
   * Parses an {@code .npy} file held in memory.
   *
   * @throws SceneLoadException naming the problem when the header is corrupt, the dtype or shape is
   *     unsupported, the array exceeds {@code maxPixels}, or the data is shorter than the header
   *     says
   */
  public static NpyArray parse(byte[] b, Path path, long maxPixels) throws SceneLoadException {
    Header hd = header(b, path, maxPixels);
    int dataStart = hd.dataStart();
    long need = hd.need();
    long have = b.length - (long) dataStart;
    if (have < need) {
      throw new SceneLoadException(
          path,
          "truncated .npy: header declares shape "
              + shapeText(hd.dims())
              + " of "
              + hd.descr()
              + " ("
              + need
              + " bytes) but only "
              + have
              + " bytes follow");
    }
    ByteBuffer data =
        ByteBuffer.wrap(b, dataStart, (int) need)
            .slice()
            .order(hd.order() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    return new NpyArray((int) hd.h(), (int) hd.w(), hd.kind(), hd.size(), hd.fortran(), data);
  }

  /** What the header says: the data's offset and length, dtype and shape. */
  record Header(
      int dataStart,
      long need,
      String descr,
      char order,
      char kind,
      int size,
      boolean fortran,
      long h,
      long w,
      long[] dims) {}

  /**
   * How many bytes from the start hold the preamble and header: 10 or 12 before the header length
   * is known ({@code b} shorter than that), else the offset of the data. Lets a probe read the
   * header alone.
   */
  static long headerEnd(byte[] b) {
    if (b.length < 10) {
      return 10;
    }
    int major = b[6] & 0xFF;
    if (major == 1) {
      return 10 + ((b[8] & 0xFF) | (b[9] & 0xFF) << 8);
    }
    if (b.length < 12) {
      return 12;
    }
    return 12
        + ((b[8] & 0xFFL) | (b[9] & 0xFFL) << 8 | (b[10] & 0xFFL) << 16 | (b[11] & 0xFFL) << 24);
  }

  /**
   * Parses the preamble and header of {@code b} (the whole file, or its first {@link #headerEnd}
   * bytes), checking all that {@link #parse} checks except that the data is there.
   */
  static Header header(byte[] b, Path path, long maxPixels) throws SceneLoadException {
    if (!isNpy(b)) {
      throw new SceneLoadException(path, "not a NumPy .npy file (bad magic)");
    }
    if (b.length < 10) {
      throw corrupt(path, "file ends inside the preamble");
    }
    int major = b[6] & 0xFF;
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw corrupt(path, "file ends inside the preamble");
      }
      long len =
          (b[8] & 0xFFL) | (b[9] & 0xFFL) << 8 | (b[10] & 0xFFL) << 16 | (b[11] & 0xFFL) << 24;
      if (len > b.length) {
        throw corrupt(path, "header length " + len + " exceeds the file size " + b.length);
      }
      headerLen = (int) len;
      start = 12;
    } else {
      throw corrupt(path, "unsupported format version " + major + "." + (b[7] & 0xFF));
    }
    if (start + headerLen > b.length) {
      throw corrupt(path, "header length " + headerLen + " runs past the end of the file");
    }
    String header =
        new String(
            b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(header, path).parseDict();
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (!(descr instanceof String d)) {
      throw corrupt(path, "header has no 'descr' string: " + header.strip());
    }
    if (!(fortran instanceof Boolean f)) {
      throw corrupt(path, "header has no 'fortran_order' boolean: " + header.strip());
    }
    if (!(shape instanceof List<?> s)) {
      throw corrupt(path, "header has no 'shape' tuple: " + header.strip());
    }
    if (d.length() < 3) {
      throw new SceneLoadException(path, "unsupported dtype '" + d + "'");
    }
    char order = d.charAt(0);
    char kind = d.charAt(1);
    int size;
    try {
      size = Integer.parseInt(d.substring(2));
    } catch (NumberFormatException e) {
      throw new SceneLoadException(path, "unsupported dtype '" + d + "'");
    }
    boolean known =
        (order == '<' || order == '>' || order == '|' || order == '=')
            && switch (kind) {
              case 'f' -> size == 2 || size == 4 || size == 8;
              case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
              case 'b' -> size == 1;
              default -> false;
            };
    if (!known) {
      throw new SceneLoadException(
          path,
          "unsupported dtype '"
              + d
              + "' (supported: float16/32/64, (u)int8/16/32/64, bool; object arrays are refused)");
    }
    long[] dims = new long[s.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = (Long) s.get(i);
    }
    boolean twoD = dims.length == 2 || (dims.length == 3 && dims[2] == 1);
    if (!twoD) {
      throw new SceneLoadException(
          path, "unsupported shape " + shapeText(dims) + " (expected (H, W) or (H, W, 1))");
    }
    long h = dims[0];
    long w = dims[1];
    if (h <= 0 || w <= 0) {
      throw new SceneLoadException(path, "empty array of shape " + shapeText(dims));
    }
    // Every product below is checked: shape (2^56 + 192, 256) wraps to 256 × 192 in long
    // arithmetic, and (2^62, 4) to 0.
    if (h > maxPixels / w) { // h * w > maxPixels
      throw new SceneLoadException(
          path,
          "array "
              + w
              + "x"
              + h
              + " exceeds the pixel budget of "
              + maxPixels
              + "; refused before reading");
    }
    long need;
    try {
      need = Math.multiplyExact(Math.multiplyExact(h, w), (long) size);
    } catch (ArithmeticException e) {
      throw new SceneLoadException(
          path, "array of shape " + shapeText(dims) + " of " + d + " is too large to read");
    }
    return new Header(start + headerLen, need, d, order, kind, size, f, h, w, dims);
  }

  private static String shapeText(long[] dims) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i > 0 ? ", " : "").append(dims[i]);
    }
    return sb.append(dims.length == 1 ? ",)" : ")").toString();
  }

  private static SceneLoadException corrupt(Path path, String why) {
    return new SceneLoadException(path, "corrupt .npy header: " + why);
  }

  private static double unsignedLong(long v) {
    double d = (double) (v >>> 1) * 2.0;
    return d + (v & 1);
  }

  /** IEEE 754 half precision to float (Float.float16ToFloat arrived only in Java 20). */
  static float halfToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h >>> 15) << 31;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | mant << 13);
    }
    if (exp == 0) {
      float v = mant / 1024f / 16384f; // subnormal: mant · 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
  }

  /**
   * Parses the Python dict literal of an .npy header: string keys; values that are strings, True,
   * False or tuples of integers.
   */
  private static final class HeaderParser {
    private final String s;
    private final Path path;
    private int p;

    HeaderParser(String s, Path path) {
      this.s = s;
      this.path = path;
    }

    Map<String, Object> parseDict() throws SceneLoadException {
      Map<String, Object> out = new HashMap<>();
      ws();
      expect('{');
      while (true) {
        ws();
        if (peek() == '}') {
          p++;
          return out;
        }
        String key = string();
        ws();
        expect(':');
        ws();
        out.put(key, value());
        ws();
        if (peek() == ',') {
          p++;
        } else if (peek() != '}') {
          throw fail("expected ',' or '}'");
        }
      }
    }

    private Object value() throws SceneLoadException {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (s.startsWith("True", p)) {
        p += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", p)) {
        p += 5;
        return Boolean.FALSE;
      }
      if (c == '(') {
        p++;
        List<Long> items = new ArrayList<>();
        while (true) {
          ws();
          if (peek() == ')') {
            p++;
            return items;
          }
          items.add(integer());
          ws();
          if (peek() == ',') {
            p++;
          } else if (peek() != ')') {
            throw fail("expected ',' or ')' in shape");
          }
        }
      }
      throw fail("unexpected value");
    }

    private long integer() throws SceneLoadException {
      int begin = p;
      while (p < s.length() && Character.isDigit(s.charAt(p))) {
        p++;
      }
      if (begin == p) {
        throw fail("expected a non-negative integer");
      }
      long v;
      try {
        v = Long.parseLong(s.substring(begin, p));
      } catch (NumberFormatException e) {
        throw fail("integer out of range");
      }
      if (p < s.length() && s.charAt(p) == 'L') {
        p++; // Python 2 long suffix, still found in old files.
      }
      return v;
    }

    private String string() throws SceneLoadException {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw fail("expected a quoted string");
      }
      int end = s.indexOf(q, p + 1);
      if (end < 0) {
        throw fail("unterminated string");
      }
      String v = s.substring(p + 1, end);
      p = end + 1;
      return v;
    }

    private void ws() {
      while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
        p++;
      }
    }

    private char peek() throws SceneLoadException {
      if (p >= s.length()) {
        throw fail("header ends early");
      }
      return s.charAt(p);
    }

    private void expect(char c) throws SceneLoadException {
      if (peek() != c) {
        throw fail("expected '" + c + "'");
      }
      p++;
    }

    private SceneLoadException fail(String why) {
      String shown = s.strip();
      if (shown.length() > 120) {
        shown = shown.substring(0, 120) + "…";
      }
      return corrupt(path, why + " at character " + p + " of " + shown);
    }
  }
}
