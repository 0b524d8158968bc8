package dev.ssrl.tasks.scene;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builders of test inputs: encoded images, JPEG segments, PFM files. */
public final class SceneTestImages {
  private SceneTestImages() {}

  static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer for " + img);
    }
    return out.toByteArray();
  }

  /** Encodes a BufferedImage or, when {@code raster} is given, a raw raster, as JPEG. */
  static byte[] jpeg(BufferedImage img, java.awt.image.Raster raster) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(bo)) {
      w.setOutput(o);
      IIOImage image =
          raster != null ? new IIOImage(raster, null, null) : new IIOImage(img, null, null);
      w.write(null, image, w.getDefaultWriteParam());
    } finally {
      w.dispose();
    }
    return bo.toByteArray();
  }

  /** Inserts a marker segment right after the SOI marker. */
  static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }

  /** An APP1 Exif segment whose IFD0 holds only the orientation tag (SHORT). */
  static byte[] exifOrientation(int orientation, boolean bigEndian) {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    tiff.put(bigEndian ? (byte) 'M' : (byte) 'I').put(bigEndian ? (byte) 'M' : (byte) 'I');
    tiff.putShort((short) 42).putInt(8); // IFD0 right after the header
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    byte[] t = tiff.array();
    int len = 2 + 6 + t.length;
    ByteBuffer seg = ByteBuffer.allocate(2 + len).order(ByteOrder.BIG_ENDIAN);
    seg.put((byte) 0xFF).put((byte) 0xE1).putShort((short) len);
    seg.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0).put(t);
    return seg.array();
  }

  /** An Adobe APP14 segment with the given colour transform (0 = none/CMYK, 2 = YCCK). */
  static byte[] adobe(int transform) {
    return new byte[] {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform
    };
  }

  /** A 4-band byte raster filled per quadrant with the given 4-component values. */
  static WritableRaster fourBand(int w, int h, int[][] quadrants) {
    WritableRaster r =
        java.awt.image.Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
        r.setPixel(x, y, quadrants[q]);
      }
    }
    return r;
  }

  /** A PFM file: {@code rowsTopToBottom[y][x*channels + c]}, stored bottom to top. */
  public static byte[] pfm(
      int w, int h, int channels, float[][] rowsTopToBottom, boolean littleEndian) {
    String header =
        (channels == 1 ? "Pf" : "PF")
            + "\n"
            + w
            + " "
            + h
            + "\n"
            + (littleEndian ? "-1.0" : "1.0")
            + "\n";
    byte[] hb = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf = ByteBuffer.allocate(hb.length + w * h * channels * 4);
    buf.put(hb);
    buf.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    for (int y = h - 1; y >= 0; y--) {
      for (float v : rowsTopToBottom[y]) {
        buf.putFloat(v);
      }
    }
    return buf.array();
  }

  public static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }
}
