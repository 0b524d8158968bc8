package dev.ssrl.cli;

import dev.ssrl.api.Raster;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Baseline JPEG encoding with javax.imageio. The output carries only the JFIF header that the
 * encoder always writes (no EXIF, no timestamps), so the same raster and quality give the same
 * bytes on every run and machine with the same JDK.
 */
final class Jpeg {
  private Jpeg() {}

  static final int DEFAULT_QUALITY = 95;

  /**
   * Encodes a raster.
   *
   * @param quality 1..100
   */
  static byte[] encode(Raster raster, int quality) {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + quality);
    }
    BufferedImage image = toImage(raster);
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JDK has no JPEG encoder");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raster.width() * raster.height() / 4);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      // In-memory streams only fail on a JDK bug; surface it rather than write a broken file.
      throw new IllegalStateException("JPEG encoding failed: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Copies interleaved RGB into a TYPE_3BYTE_BGR image (whose bank is B, G, R). */
  static BufferedImage toImage(Raster raster) {
    int w = raster.width();
    int h = raster.height();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    byte[] src = raster.data();
    for (int i = 0; i < src.length; i += 3) {
      dst[i] = src[i + 2];
      dst[i + 1] = src[i + 1];
      dst[i + 2] = src[i];
    }
    return image;
  }

  /** Reads any image ImageIO understands into an RGB raster (alpha dropped, grey expanded). */
  static Raster decode(byte[] encoded, String name) throws IOException {
    BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(encoded));
    if (image == null) {
      throw new IOException(name + ": not a readable PNG or JPEG image");
    }
    return fromImage(image);
  }

  static Raster fromImage(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int i = (y * w + x) * 3;
        rgb[i] = (byte) (p >> 16);
        rgb[i + 1] = (byte) (p >> 8);
        rgb[i + 2] = (byte) p;
      }
    }
    return Raster.of(w, h, rgb);
  }
}
