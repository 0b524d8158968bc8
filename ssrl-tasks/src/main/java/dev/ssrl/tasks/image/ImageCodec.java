package dev.ssrl.tasks.image;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.impl.JpegStrips;
import dev.ssrl.tasks.image.impl.StripMemo;
import dev.ssrl.tasks.impl.Parallel;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes rasters for dataset writers and benchmarks, deterministically: the same raster always
 * gives the same bytes.
 *
 * <p>JPEG: baseline sequential, standard Huffman tables, 4:2:0 chroma subsampling, a plain JFIF
 * header and nothing else (no EXIF, no timestamps, no ICC profile), via the JDK's ImageIO writer.
 * Images of half a megapixel and more are encoded as horizontal strips of 128 rows (fewer for
 * images wider than 8,000 pixels), each by its own writer — in parallel when cores are idle — and
 * joined into one baseline JPEG with restart markers between the strips (a DRI interval of one
 * strip). Every decoder reads restart markers, and since 4:2:0 subsampling and the DCT never look
 * across a 16-row boundary, the joined file decodes to exactly the pixels of a whole-image encode;
 * the strips depend only on the image size, so the bytes do not depend on the thread count. A strip
 * whose pixels equal those of a strip the calling thread encoded lately (the parts of a scene a
 * sample leaves unchanged) is taken from a bounded per-thread memo instead of being encoded again:
 * the same bytes, since a strip's bytes depend only on its pixels, size and quality (about 24 MB of
 * pixels at most per thread, held softly). PNG: 8-bit RGB, no ancillary chunks.
 */
public final class ImageCodec {
  private ImageCodec() {}

  /** The JPEG quality SPEC §2 prescribes by default. */
  public static final int DEFAULT_JPEG_QUALITY = 95;

  /** JPEG at quality {@value #DEFAULT_JPEG_QUALITY}; see {@link #encodeJpeg(Raster, int)}. */
  public static byte[] encodeJpeg(Raster raster) {
    return encodeJpeg(raster, DEFAULT_JPEG_QUALITY);
  }

  /**
   * Encodes a raster as a baseline JPEG.
   *
   * @param quality 0 (smallest) to 100 (best), with the IJG meaning of quality
   * @throws IllegalArgumentException if quality is outside 0..100 or a side exceeds 65535 (the JPEG
   *     limit)
   * @throws NullPointerException if raster is null
   */
  public static byte[] encodeJpeg(Raster raster, int quality) {
    Objects.requireNonNull(raster, "raster");
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be in 0..100, got " + quality);
    }
    if (raster.width() > 65535 || raster.height() > 65535) {
      throw new IllegalArgumentException("JPEG sides are limited to 65535, got " + raster);
    }
    int stripRows = stripRows(raster.width(), raster.height());
    if (stripRows == 0) {
      return encodeJpegWhole(raster, quality);
    }
    int strips = (raster.height() + stripRows - 1) / stripRows;
    byte[][] encoded = new byte[strips][];
    // Strips with exactly the pixels of one this thread encoded lately are taken from the memo
    // (same bytes by construction; see StripMemo), the others are encoded, in parallel.
    StripMemo memo =
        memoEnabled
            ? StripMemo.forImage(raster.width(), raster.height(), quality, stripRows)
            : null;
    int[] missing = new int[strips];
    int misses = 0;
    for (int s = 0; s < strips; s++) {
      encoded[s] = memo == null ? null : memo.find(s, raster.data());
      if (encoded[s] == null) {
        missing[misses++] = s;
      }
    }
    Parallel.forRanges(
        misses,
        Parallel.parts(misses, (long) raster.width() * stripRows * misses),
        (part, from, to) -> {
          for (int i = from; i < to; i++) {
            int s = missing[i];
            int top = s * stripRows;
            int rows = Math.min(stripRows, raster.height() - top);
            encoded[s] = jpeg(toImage(raster, top, rows), quality);
          }
        });
    if (memo != null) {
      for (int i = 0; i < misses; i++) {
        memo.put(missing[i], raster.data(), encoded[missing[i]]);
      }
    }
    return JpegStrips.join(encoded, raster.height(), stripRows / 16 * ((raster.width() + 15) / 16));
  }

  /**
   * The whole-image encode, without strips: for images too small for strips, and what a striped
   * encode must decode to (tests).
   */
  static byte[] encodeJpegWhole(Raster raster, int quality) {
    return jpeg(toImage(raster, 0, raster.height()), quality);
  }

  // Whether strips are looked up in and kept in this thread's StripMemo (tests turn it off to
  // compare with fresh encodes).
  static volatile boolean memoEnabled = true;

  // Images with at least this many pixels are encoded as strips (tests lower it).
  static volatile int stripedMinPixels = 1 << 19;

  /** Rows per strip: 8 MCU rows of 16 (4:2:0), fewer for very wide images; 0 for no strips. */
  static final int STRIP_MCU_ROWS = 8;

  /**
   * The rows per strip for an image, or 0 when it is encoded whole: too small to gain from strips,
   * or not tall enough for two. The restart interval (MCUs per strip) must fit in 16 bits.
   */
  static int stripRows(int width, int height) {
    if ((long) width * height < stripedMinPixels) {
      return 0;
    }
    int mcuColumns = (width + 15) / 16;
    int mcuRows = Math.min(STRIP_MCU_ROWS, 65535 / mcuColumns);
    int rows = 16 * mcuRows;
    return mcuRows < 1 || height <= rows ? 0 : rows;
  }

  /** One baseline JPEG of an image through ImageIO, with the settings the class comment lists. */
  private static byte[] jpeg(BufferedImage img, int quality) {
    ImageWriter writer = writer("jpeg");
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
      return write(writer, img, param);
    } finally {
      writer.dispose();
    }
  }

  /**
   * Encodes a raster as a lossless 8-bit RGB PNG.
   *
   * @throws NullPointerException if raster is null
   */
  public static byte[] encodePng(Raster raster) {
    Objects.requireNonNull(raster, "raster");
    ImageWriter writer = writer("png");
    try {
      return write(writer, toImage(raster, 0, raster.height()), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
  }

  // The provider of each format's writer, found once: ImageIO's registry lookup holds one global
  // lock, which every worker took for every image (issue 27: the second most contended monitor
  // of a 16-worker run). The provider makes the same writer class the lookup would.
  private static final Map<String, ImageWriterSpi> WRITERS = new ConcurrentHashMap<>();

  private static ImageWriter writer(String format) {
    ImageWriterSpi spi =
        WRITERS.computeIfAbsent(
            format,
            f -> {
              Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(f);
              if (!it.hasNext()) {
                throw new IllegalStateException("no ImageIO writer for " + f + " in this JRE");
              }
              return it.next().getOriginatingProvider();
            });
    try {
      return spi.createWriterInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the ImageIO " + format + " writer", e);
    }
  }

  private static byte[] write(ImageWriter writer, BufferedImage img, ImageWriteParam param) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 2);
    // A memory-cached stream: ImageIO's default cache may create temporary files.
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      // Writing to memory cannot fail for I/O reasons; this is an encoder fault.
      throw new UncheckedIOException("ImageIO encoder failed", e);
    }
    return bytes.toByteArray();
  }

  // sRGB, 8 bits per band, no alpha: with RGB band offsets it describes our interleaved bytes as
  // they are. Immutable and shareable between threads.
  private static final ColorModel RGB =
      new ComponentColorModel(
          ColorSpace.getInstance(ColorSpace.CS_sRGB),
          false,
          false,
          Transparency.OPAQUE,
          DataBuffer.TYPE_BYTE);

  /**
   * Rows [top, top + rows) of the raster's bytes viewed as an image, without copying: the writers
   * only read it. (A TYPE_3BYTE_BGR copy cost 1.3 ms and 2.4 MB per megapixel image and encodes to
   * the same bytes, as ImageCodecTest checks.)
   */
  private static BufferedImage toImage(Raster r, int top, int rows) {
    byte[] data = r.data();
    int w = r.width();
    int offset = top * 3 * w;
    // The strip's start goes into the band offsets, not the DataBuffer offset: ImageIO's JPEG
    // writer reads the buffer's array directly and ignores a DataBuffer offset.
    WritableRaster pixels =
        java.awt.image.Raster.createWritableRaster(
            new PixelInterleavedSampleModel(
                DataBuffer.TYPE_BYTE,
                w,
                rows,
                3,
                3 * w,
                new int[] {offset, offset + 1, offset + 2}),
            new DataBufferByte(data, data.length),
            null);
    return new BufferedImage(RGB, pixels, false, null);
  }
}
