package dev.ssrl.tasks.scene.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code .npy} files the way numpy does (an independent writer for the reader's tests):
 * magic, version, little-endian header length, a Python dict literal padded with spaces and ended
 * by a newline so the data starts on a 64-byte boundary.
 */
public final class NpyTestFiles {
  private NpyTestFiles() {}

  /**
   * @param descr numpy dtype string such as {@code <f4}
   * @param shape e.g. {@code (3, 4)} or {@code (3, 4, 1)}
   * @param h rows
   * @param w columns
   * @param rowMajor values in C order, element (y, x) at {@code y*w + x}
   */
  public static byte[] write(
      int version, String descr, boolean fortran, String shape, int h, int w, double[] rowMajor) {
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + shape
            + ", }";
    int pre = version == 1 ? 10 : 12;
    int total = pre + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    StringBuilder sb = new StringBuilder(dict);
    while (pre + sb.length() + 1 < padded) {
      sb.append(' ');
    }
    sb.append('\n');
    byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    char order = descr.charAt(0);
    char kind = descr.charAt(1);
    int size = Integer.parseInt(descr.substring(2));
    ByteBuffer buf = ByteBuffer.allocate(pre + header.length + h * w * size);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    buf.put((byte) version).put((byte) 0);
    if (version == 1) {
      buf.putShort((short) header.length);
    } else {
      buf.putInt(header.length);
    }
    buf.put(header);
    buf.order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < h * w; k++) {
      // Fortran order walks columns first: storage index k is (y = k % h, x = k / h).
      int y = fortran ? k % h : k / w;
      int x = fortran ? k / h : k % w;
      double v = rowMajor[y * w + x];
      switch (kind) {
        case 'f' -> {
          if (size == 4) {
            buf.putFloat((float) v);
          } else {
            buf.putDouble(v);
          }
        }
        case 'b' -> buf.put((byte) (v != 0 ? 1 : 0));
        default -> {
          long l = (long) v;
          switch (size) {
            case 1 -> buf.put((byte) l);
            case 2 -> buf.putShort((short) l);
            case 4 -> buf.putInt((int) l);
            default -> buf.putLong(l);
          }
        }
      }
    }
    return buf.array();
  }

  public static byte[] writeFloat32(int h, int w, float[] rowMajor) {
    double[] d = new double[rowMajor.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = rowMajor[i];
    }
    return write(1, "<f4", false, "(" + h + ", " + w + ")", h, w, d);
  }
}
