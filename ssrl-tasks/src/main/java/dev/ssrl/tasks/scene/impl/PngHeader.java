package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.nio.file.Path;

/**
 * A PNG's IHDR fields and a check of its chunk structure, read without decoding any pixels.
 *
 * <p>The size check must come before ImageIO sees the file: ImageIO allocates the full raster from
 * the header, so a 100000×100000 header would exhaust memory before any error.
 */
public record PngHeader(int width, int height, int bitDepth, int colorType) {

  public static final int GREY = 0;
  public static final int RGB = 2;
  public static final int PALETTE = 3;
  public static final int GREY_ALPHA = 4;
  public static final int RGBA = 6;

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  static boolean isPng(byte[] b) {
    if (b.length < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (b[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /** Parses the signature and IHDR only. */
  public static PngHeader parse(byte[] b, Path path) throws SceneLoadException {
    if (!isPng(b)) {
      throw new SceneLoadException(path, "not a PNG file (bad signature)");
    }
    if (b.length < 33) {
      throw new SceneLoadException(path, "truncated PNG: file ends inside the IHDR chunk");
    }
    if (u32(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new SceneLoadException(path, "corrupt PNG: first chunk is not a 13-byte IHDR");
    }
    long w = u32(b, 16);
    long h = u32(b, 20);
    if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new SceneLoadException(path, "corrupt PNG: invalid size " + w + "x" + h);
    }
    return new PngHeader((int) w, (int) h, b[24] & 0xFF, b[25] & 0xFF);
  }

  /**
   * Walks every chunk and requires IDAT and a final IEND; a chunk running past the end of the file
   * or a missing IEND means the file was cut short.
   */
  static void checkComplete(byte[] b, Path path) throws SceneLoadException {
    int p = 8;
    boolean idat = false;
    while (true) {
      if (p + 8 > b.length) {
        throw new SceneLoadException(path, "truncated PNG: file ends before the IEND chunk");
      }
      long len = u32(b, p);
      String type = new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (len > Integer.MAX_VALUE || p + 12 + len > b.length) {
        throw new SceneLoadException(
            path, "truncated PNG: chunk " + type + " at byte " + p + " runs past the end");
      }
      if (type.equals("IDAT")) {
        idat = true;
      }
      if (type.equals("IEND")) {
        break;
      }
      p += 12 + (int) len;
    }
    if (!idat) {
      throw new SceneLoadException(path, "corrupt PNG: no IDAT (image data) chunk");
    }
  }

  String describe() {
    String kind =
        switch (colorType) {
          case GREY -> "grey";
          case RGB -> "RGB";
          case PALETTE -> "palette";
          case GREY_ALPHA -> "grey+alpha";
          case RGBA -> "RGBA";
          default -> "colour type " + colorType;
        };
    return bitDepth + "-bit " + kind;
  }

  static long u32(byte[] b, int i) {
    return (long) (b[i] & 0xFF) << 24
        | (b[i + 1] & 0xFF) << 16
        | (b[i + 2] & 0xFF) << 8
        | (b[i + 3] & 0xFF);
  }
}
