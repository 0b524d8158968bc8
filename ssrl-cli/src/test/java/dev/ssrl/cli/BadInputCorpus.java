package dev.ssrl.cli;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes the bad-input corpus of docs/RELIABILITY.md into a scene folder: every kind of broken or
 * unusual file a dataset job meets, next to good scenes, each as one scene whose id names the case.
 * Everything is generated here (no checked-in binaries); the good content comes from {@link
 * SyntheticScenes}, so the depth tasks find real structure.
 */
public final class BadInputCorpus {
  private BadInputCorpus() {}

  /** Small enough to generate fast, large enough for all five tasks. */
  static final int W = 256;

  static final int H = 192;

  /** What a case must give: samples (the file is odd but usable) or a load rejection. */
  enum Expect {
    /** The scene loads; each item is a sample or a task's named rejection. */
    LOADS,
    /** The scene does not load; every item is rejected with {@code load: <path>: <reason>}. */
    LOAD_REJECTED
  }

  /**
   * One corpus entry.
   *
   * @param id the scene id (file stem)
   * @param what what the file is, for the documentation table
   * @param expect the outcome
   * @param reason a substring every rejection reason of the scene must hold (load rejections), or
   *     the rejection every depth-task item must give (loads with unusable depth), or null
   */
  record Case(String id, String what, Expect expect, String reason) {}

  /** The cases written by {@link #write}, in scene-id order. */
  static List<Case> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Case> cases = new ArrayList<>();
    // A built-in scene on which every task finds its regions at this size (index 1: all five
    // tasks over 20 seeds; index 3 of the current scenes has no flat mid-depth window).
    Scene good = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 1, W, H);
    byte[] png = ImageCodec.encodePng(good.rgb());
    byte[] jpg = ImageCodec.encodeJpeg(good.rgb(), 90);
    byte[] depth = npyFloat32(good.depth());

    // Good scenes first, so a test can see that they still generate next to the broken ones.
    put(dir, "good-rgbd.png", png);
    put(dir, "good-rgbd_depth.npy", depth);
    cases.add(new Case("good-rgbd", "intact PNG + float32 .npy depth", Expect.LOADS, null));
    put(dir, "good-rgb.jpg", jpg);
    cases.add(new Case("good-rgb", "intact JPEG, no depth", Expect.LOADS, null));

    // RGB files.
    put(dir, "truncated-jpeg.jpg", Arrays.copyOf(jpg, jpg.length / 2));
    cases.add(
        new Case(
            "truncated-jpeg",
            "JPEG cut at half its length",
            Expect.LOAD_REJECTED,
            "truncated JPEG"));
    put(dir, "truncated-png.png", Arrays.copyOf(png, png.length / 2));
    cases.add(
        new Case(
            "truncated-png", "PNG cut at half its length", Expect.LOAD_REJECTED, "truncated PNG"));
    put(dir, "zero-bytes.jpg", new byte[0]);
    cases.add(
        new Case(
            "zero-bytes", "empty (0-byte) .jpg", Expect.LOAD_REJECTED, "empty file (0 bytes)"));
    put(dir, "text-named-png.png", "hello, I am not an image\n".getBytes(StandardCharsets.UTF_8));
    cases.add(
        new Case(
            "text-named-png",
            "text file named .png",
            Expect.LOAD_REJECTED,
            "not a JPEG or PNG image"));
    put(dir, "gif-named-jpg.jpg", gif());
    cases.add(
        new Case("gif-named-jpg", "GIF file named .jpg", Expect.LOAD_REJECTED, "looks like GIF"));
    put(dir, "png-named-jpg.jpg", png);
    cases.add(
        new Case("png-named-jpg", "PNG file named .jpg (read by content)", Expect.LOADS, null));
    put(dir, "one-pixel.png", ImageCodec.encodePng(Raster.of(1, 1, new byte[] {1, 2, 3})));
    cases.add(
        new Case(
            "one-pixel", "1×1 PNG", Expect.LOAD_REJECTED, "is smaller than the minimum 64x64"));
    put(dir, "huge-header.png", pngHeaderOnly(100_000, 100_000));
    cases.add(
        new Case(
            "huge-header",
            "PNG whose IHDR declares 100,000×100,000 pixels (a 57-byte file)",
            Expect.LOAD_REJECTED,
            "exceeds the pixel budget"));
    put(dir, "cmyk.jpg", adobeCmykJpeg(good.rgb()));
    cases.add(new Case("cmyk", "Adobe CMYK JPEG (4 components, inverted)", Expect.LOADS, null));
    put(dir, "grey16.png", grey16Png(good.rgb()));
    cases.add(new Case("grey16", "16-bit greyscale PNG", Expect.LOADS, null));
    put(dir, "grey8.png", grey8Png(good.rgb()));
    cases.add(new Case("grey8", "8-bit greyscale PNG", Expect.LOADS, null));

    // Depth files.
    put(dir, "depth-nan-inf.png", png);
    put(dir, "depth-nan-inf_depth.npy", npyFloat32(withNanAndInf(good.depth())));
    cases.add(
        new Case(
            "depth-nan-inf",
            "depth with NaN, +Inf and −Inf in its top 24 rows and left 24 columns",
            Expect.LOADS,
            null));
    put(dir, "depth-all-invalid.png", png);
    float[] nan = new float[W * H];
    Arrays.fill(nan, Float.NaN);
    put(dir, "depth-all-invalid_depth.npy", npyFloat32(DepthMap.of(W, H, nan)));
    cases.add(
        new Case(
            "depth-all-invalid",
            "depth with every pixel NaN",
            Expect.LOADS,
            "too few valid pixels"));
    put(dir, "depth-zero-png.png", png);
    put(dir, "depth-zero-png_depth.png", zeroDepthPng());
    cases.add(
        new Case(
            "depth-zero-png",
            "16-bit PNG depth that is all 0 (= invalid)",
            Expect.LOADS,
            "too few valid pixels"));
    put(dir, "depth-wrong-size.png", png);
    put(
        dir,
        "depth-wrong-size_depth.npy",
        npyFloat32(DepthMap.of(W / 2, H / 2, new float[W * H / 4])));
    cases.add(
        new Case(
            "depth-wrong-size",
            "depth 128×96 for a 256×192 image",
            Expect.LOAD_REJECTED,
            "does not match image"));
    put(dir, "npy-corrupt-header.png", png);
    put(dir, "npy-corrupt-header_depth.npy", corruptNpyHeader(depth));
    cases.add(
        new Case(
            "npy-corrupt-header",
            ".npy whose header dict is cut (unbalanced parenthesis)",
            Expect.LOAD_REJECTED,
            "corrupt .npy header"));
    put(dir, "npy-bad-magic.png", png);
    byte[] badMagic = depth.clone();
    badMagic[1] = 'X';
    put(dir, "npy-bad-magic_depth.npy", badMagic);
    cases.add(
        new Case("npy-bad-magic", ".npy with a damaged magic string", Expect.LOAD_REJECTED, "npy"));
    put(dir, "h5-no-depth.png", png);
    try (WritableHdfFile f = HdfFile.write(dir.resolve("h5-no-depth.h5"))) {
      f.putDataset("disparity", new float[][] {{1f, 2f}, {3f, 4f}});
    }
    cases.add(
        new Case(
            "h5-no-depth",
            "MegaDepth-style .h5 without a `depth` dataset",
            Expect.LOAD_REJECTED,
            "no 'depth' dataset"));
    return cases;
  }

  private static void put(Path dir, String name, byte[] bytes) throws IOException {
    Files.write(dir.resolve(name), bytes);
  }

  /** A float32, C-order {@code .npy} file the way numpy writes it (header padded to 64 bytes). */
  public static byte[] npyFloat32(DepthMap d) {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': ("
            + d.height()
            + ", "
            + d.width()
            + "), }";
    int padded = (10 + dict.length() + 1 + 63) / 64 * 64;
    StringBuilder sb = new StringBuilder(dict);
    while (10 + sb.length() + 1 < padded) {
      sb.append(' ');
    }
    sb.append('\n');
    byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    float[] v = d.values();
    ByteBuffer b = ByteBuffer.allocate(10 + header.length + 4 * v.length);
    b.order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length).put(header);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private static DepthMap withNanAndInf(DepthMap d) {
    float[] v = d.values().clone();
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    // The top 24 rows and the left 24 columns: invalid pixels in bulk, yet flat windows remain.
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        if (y < 24 || x < 24) {
          v[y * d.width() + x] = bad[(x + y) % 3];
        }
      }
    }
    return DepthMap.of(d.width(), d.height(), v);
  }

  /** Replaces the closing ", }" of the header dict by spaces: a cut-off dict, same length. */
  private static byte[] corruptNpyHeader(byte[] npy) {
    byte[] b = npy.clone();
    int len = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    String h = new String(b, 10, len, StandardCharsets.ISO_8859_1);
    int close = h.indexOf("), }");
    if (close < 0) {
      throw new IllegalStateException("unexpected .npy header " + h);
    }
    for (int i = 0; i < 4; i++) {
      b[10 + close + i] = ' ';
    }
    return b;
  }

  private static byte[] gif() throws IOException {
    BufferedImage img = new BufferedImage(80, 80, BufferedImage.TYPE_BYTE_INDEXED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "gif", out);
    return out.toByteArray();
  }

  /** Signature, IHDR (8-bit RGB of the given size), an empty IDAT and IEND, with valid CRCs. */
  static byte[] pngHeaderOnly(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(b, "IHDR", ihdr.array());
    chunk(b, "IDAT", new byte[0]);
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    b.putInt(data.length).put(t).put(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt((int) crc.getValue());
  }

  /** The image as inverted CMYK (Adobe convention, 255 = no ink) in a 4-component JPEG. */
  private static byte[] adobeCmykJpeg(Raster rgb) throws IOException {
    WritableRaster r =
        java.awt.image.Raster.createInterleavedRaster(
            DataBuffer.TYPE_BYTE, rgb.width(), rgb.height(), 4, null);
    int[] px = new int[4];
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        int c = rgb.rgbAt(x, y);
        // K = 0 ink; stored inverted: the sample is 255 − ink, which for no black ink is 255.
        px[0] = c >> 16 & 0xFF;
        px[1] = c >> 8 & 0xFF;
        px[2] = c & 0xFF;
        px[3] = 255;
        r.setPixel(x, y, px);
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(bo)) {
      w.setOutput(o);
      w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam());
    } finally {
      w.dispose();
    }
    byte[] raw = bo.toByteArray();
    byte[] adobe = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    byte[] out = new byte[raw.length + adobe.length];
    System.arraycopy(raw, 0, out, 0, 2);
    System.arraycopy(adobe, 0, out, 2, adobe.length);
    System.arraycopy(raw, 2, out, 2 + adobe.length, raw.length - 2);
    return out;
  }

  private static byte[] grey16Png(Raster rgb) throws IOException {
    BufferedImage img =
        new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        img.getRaster().setSample(x, y, 0, luma(rgb.rgbAt(x, y)) * 257);
      }
    }
    return encode(img);
  }

  private static byte[] grey8Png(Raster rgb) throws IOException {
    BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        img.getRaster().setSample(x, y, 0, luma(rgb.rgbAt(x, y)));
      }
    }
    return encode(img);
  }

  private static byte[] zeroDepthPng() throws IOException {
    return encode(new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY));
  }

  private static int luma(int c) {
    return ((c >> 16 & 0xFF) * 299 + (c >> 8 & 0xFF) * 587 + (c & 0xFF) * 114) / 1000;
  }

  private static byte[] encode(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer");
    }
    return out.toByteArray();
  }
}
