package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.scene.impl.NpyTestFiles;
import dev.ssrl.testsupport.SharedData;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes (and streams) decode exactly as the file of the same name does: the same raster or depth
 * map, or the same {@link SceneLoadException} message, for every format and every kind of failure.
 */
class SceneBytesEquivalenceTest {
  private static final SceneLoader LOADER = SceneLoader.defaults();

  @TempDir Path tmp;

  /** What a load gave: the value, or the error's message. */
  private interface Load {
    Object run() throws SceneLoadException;
  }

  private static Object outcome(Load l) {
    try {
      return l.run();
    } catch (SceneLoadException e) {
      return "error: " + e.getMessage();
    }
  }

  /** Loads an RGB image from the file, its bytes and a stream of them; all three must agree. */
  private Object rgb(SceneLoader loader, String name, byte[] b) throws IOException {
    Path p = SceneTestImages.write(tmp, name, b);
    String n = p.toString();
    Object file = outcome(() -> loader.loadRgb(p));
    assertEquals(file, outcome(() -> loader.loadRgb(new EncodedFile(n, b))), name + " (bytes)");
    assertEquals(
        file,
        outcome(() -> loader.loadRgb(EncodedFile.read(n, new ByteArrayInputStream(b)))),
        name + " (stream)");
    return file;
  }

  private Object depth(SceneLoader loader, String name, byte[] b, String maskName, byte[] m)
      throws IOException {
    Path p = SceneTestImages.write(tmp, name, b);
    Path q = maskName == null ? null : SceneTestImages.write(tmp, maskName, m);
    EncodedFile mb = q == null ? null : new EncodedFile(q.toString(), m);
    Object file = outcome(() -> loader.loadDepth(p, q));
    assertEquals(
        file,
        outcome(() -> loader.loadDepth(new EncodedFile(p.toString(), b), mb)),
        name + " (bytes)");
    assertEquals(
        file,
        outcome(
            () ->
                loader.loadDepth(
                    EncodedFile.read(p.toString(), new ByteArrayInputStream(b)),
                    q == null
                        ? null
                        : EncodedFile.read(q.toString(), new ByteArrayInputStream(m)))),
        name + " (stream)");
    return file;
  }

  private static void assertError(Object outcome, String phrase) {
    assertTrue(
        outcome instanceof String s && s.startsWith("error: ") && s.contains(phrase),
        "expected an error with '" + phrase + "', got " + outcome);
  }

  private static BufferedImage picture(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    Graphics2D g = img.createGraphics();
    Random r = new Random(w * 31L + h);
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(r.nextInt(), type == BufferedImage.TYPE_4BYTE_ABGR));
      g.fillRect(r.nextInt(w), r.nextInt(h), 1 + r.nextInt(w), 1 + r.nextInt(h));
    }
    g.dispose();
    return img;
  }

  private static byte[] read(String shared) throws IOException {
    return Files.readAllBytes(SharedData.require(shared));
  }

  @Test
  void everyRgbFormatDecodesFromBytesAsFromItsFile() throws IOException {
    assertInstanceOf(Raster.class, rgb(LOADER, "diode-1.png", read("data/rgbd/diode-1.png")));
    assertInstanceOf(
        Raster.class, rgb(LOADER, "megadepth-1.jpg", read("data/rgbd/megadepth-1.jpg")));
    assertInstanceOf(
        Raster.class,
        rgb(
            LOADER,
            "rgba.png",
            SceneTestImages.png(picture(80, 70, BufferedImage.TYPE_4BYTE_ABGR))));
    assertInstanceOf(
        Raster.class,
        rgb(
            LOADER,
            "grey.png",
            SceneTestImages.png(picture(90, 64, BufferedImage.TYPE_BYTE_GRAY))));
    byte[] jpeg = SceneTestImages.jpeg(picture(96, 64, BufferedImage.TYPE_3BYTE_BGR), null);
    Object rotated =
        rgb(
            LOADER,
            "exif6.jpg",
            SceneTestImages.insertAfterSoi(jpeg, SceneTestImages.exifOrientation(6, true)));
    assertEquals(64, ((Raster) rotated).width(), "EXIF orientation applied from bytes too");
    int[] p = {10, 200, 30, 40};
    byte[] cmyk =
        SceneTestImages.insertAfterSoi(
            SceneTestImages.jpeg(null, SceneTestImages.fourBand(64, 64, new int[][] {p, p, p, p})),
            SceneTestImages.adobe(0));
    assertInstanceOf(Raster.class, rgb(LOADER, "cmyk.jpg", cmyk));
  }

  @Test
  void everyRgbFailureHasTheSameMessageFromBytes() throws IOException {
    byte[] png = SceneTestImages.png(picture(80, 70, BufferedImage.TYPE_3BYTE_BGR));
    assertError(rgb(LOADER, "small.png", SceneTestImages.png(picture(32, 32, 5))), "minimum");
    assertError(rgb(LOADER.withMaxPixels(1000), "big.png", png), "pixel budget of 1000");
    assertError(rgb(LOADER, "empty.png", new byte[0]), "empty file (0 bytes)");
    assertError(rgb(LOADER, "cut.png", Arrays.copyOf(png, png.length / 2)), "trunc");
    assertError(
        rgb(LOADER, "x.gif", "GIF89a\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1)),
        "looks like GIF");
    byte[] jpeg = read("data/rgbd/megadepth-1.jpg");
    assertError(rgb(LOADER, "cut.jpg", Arrays.copyOf(jpeg, jpeg.length - 100)), "cut.jpg: ");
  }

  @Test
  void everyDepthFormatDecodesFromBytesAsFromItsFile() throws IOException {
    assertInstanceOf(
        DepthMap.class,
        depth(
            LOADER,
            "diode-1_depth.npy",
            read("data/rgbd/diode-1_depth.npy"),
            "diode-1_depth_mask.npy",
            read("data/rgbd/diode-1_depth_mask.npy")));
    assertInstanceOf(
        DepthMap.class,
        depth(LOADER, "megadepth-1.h5", read("data/rgbd/megadepth-1.h5"), null, null));
    Path h5 = tmp.resolve("scratch.h5");
    try (WritableHdfFile f = HdfFile.write(h5)) {
      f.putDataset("depth", new int[][] {{0, 1500, 2000}, {3000, 4000, 5000}});
    }
    byte[] h5Bytes = Files.readAllBytes(h5);
    Object ints = depth(LOADER.withDepthScale(0.0002), "int.h5", h5Bytes, null, null);
    assertEquals(0.3f, ((DepthMap) ints).at(1, 0), 1e-6f);
    float[][] rows = {{1f, 2f, Float.NaN}, {0f, 5.5f, 6f}};
    assertInstanceOf(
        DepthMap.class,
        depth(LOADER, "d.pfm", SceneTestImages.pfm(3, 2, 1, rows, true), null, null));
    BufferedImage d16 = new BufferedImage(70, 64, BufferedImage.TYPE_USHORT_GRAY);
    d16.getRaster().setSample(3, 2, 0, 1234);
    d16.getRaster().setSample(69, 63, 0, 65535);
    BufferedImage m8 = new BufferedImage(70, 64, BufferedImage.TYPE_BYTE_GRAY);
    m8.getRaster().setSample(3, 2, 0, 255);
    Object png16 =
        depth(
            LOADER,
            "d_depth.png",
            SceneTestImages.png(d16),
            "d_depth_mask.png",
            SceneTestImages.png(m8));
    assertEquals(1, ((DepthMap) png16).validCount(), "the PNG mask applied from bytes too");
    assertInstanceOf(
        DepthMap.class,
        depth(
            LOADER,
            "u16.npy",
            NpyTestFiles.write(1, "<u2", false, "(2, 3)", 2, 3, new double[] {0, 1, 2, 3, 4, 5}),
            "m.npy",
            NpyTestFiles.write(1, "|u1", false, "(2, 3)", 2, 3, new double[] {1, 1, 0, 1, 0, 1})));
  }

  @Test
  void everyDepthFailureHasTheSameMessageFromBytes() throws IOException {
    Path h5 = tmp.resolve("scratch.h5");
    try (WritableHdfFile f = HdfFile.write(h5)) {
      f.putDataset("disparity", new float[][] {{1f, 2f}, {3f, 4f}});
    }
    assertError(
        depth(LOADER, "nodepth.h5", Files.readAllBytes(h5), null, null), "no 'depth' dataset");
    byte[] mega = read("data/rgbd/megadepth-2.h5");
    assertError(depth(LOADER, "cut.h5", Arrays.copyOf(mega, 600), null, null), "cut.h5: ");
    // No signature: the .h5 name sends it to the HDF5 reader (user-block fallback), .bin does not.
    byte[] junk = "not a depth file at all".getBytes(StandardCharsets.US_ASCII);
    assertError(depth(LOADER, "junk.h5", junk, null, null), "HDF5");
    assertError(depth(LOADER, "junk.bin", junk, null, null), "unsupported depth format");
    byte[] npy = NpyTestFiles.writeFloat32(2, 3, new float[] {1, 2, 3, 4, 5, 6});
    byte[] mask = NpyTestFiles.writeFloat32(3, 2, new float[] {1, 1, 1, 1, 1, 1});
    assertError(depth(LOADER, "a.npy", npy, "a_mask.npy", mask), "does not match depth 3x2");
    assertError(depth(LOADER, "e.npy", new byte[0], null, null), "empty file (0 bytes)");
    assertError(depth(LOADER, "b.npy", npy, "e_mask.npy", new byte[0]), "e_mask.npy: empty file");
    assertError(depth(LOADER.withMaxPixels(5), "c.npy", npy, null, null), "pixel budget of 5");
    assertError(
        depth(LOADER, "cut.npy", Arrays.copyOf(npy, npy.length - 1), null, null), "truncated");
  }

  @Test
  void aSceneFromBytesEqualsTheSceneFromItsFiles() throws IOException {
    String[] names = {"diode-1.png", "diode-1_depth.npy", "diode-1_depth_mask.npy"};
    Path[] p = new Path[3];
    EncodedFile[] e = new EncodedFile[3];
    for (int i = 0; i < 3; i++) {
      p[i] = SharedData.require("data/rgbd/" + names[i]);
      e[i] = new EncodedFile(names[i], Files.readAllBytes(p[i]));
    }
    Scene fromFiles = LOADER.load(new SceneFiles("diode-1", p[0], p[1], p[2]));
    Scene fromBytes = LOADER.load("diode-1", e[0], e[1], e[2]);
    assertEquals(fromFiles, fromBytes);
    assertEquals(
        LOADER.load(SceneFiles.rgbOnly("diode-1", p[0])), LOADER.load("diode-1", e[0], null, null));
    // Sizes that differ: the same message, naming the given names.
    byte[] small = NpyTestFiles.writeFloat32(2, 3, new float[] {1, 2, 3, 4, 5, 6});
    Path sp = SceneTestImages.write(tmp, "small.npy", small);
    Path rgb = SceneTestImages.write(tmp, "diode-1.png", e[0].bytes());
    SceneLoadException a =
        assertThrows(
            SceneLoadException.class, () -> LOADER.load(new SceneFiles("s", rgb, sp, null)));
    SceneLoadException b =
        assertThrows(
            SceneLoadException.class,
            () ->
                LOADER.load(
                    "s",
                    new EncodedFile(rgb.toString(), e[0].bytes()),
                    new EncodedFile(sp.toString(), small),
                    null));
    assertEquals(a.getMessage(), b.getMessage());
    assertTrue(a.getMessage().contains("does not match image diode-1.png"), a.getMessage());
  }

  @Test
  void aFailingStreamIsASceneLoadExceptionNamingTheName() {
    InputStream broken =
        new InputStream() {
          private int n;

          @Override
          public int read() throws IOException {
            if (n++ < 100) {
              return 7;
            }
            throw new IOException("connection reset by peer");
          }
        };
    SceneLoadException e =
        assertThrows(
            SceneLoadException.class, () -> EncodedFile.read("hdfs://nn/data/x.png", broken));
    assertEquals("read failed: connection reset by peer", e.reason());
    assertTrue(e.getMessage().contains("nn/data/x.png: read failed"), e.getMessage());
  }

  @Test
  void namesThatCannotBePathsAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new EncodedFile(" ", new byte[1]));
    assertEquals("name must not be blank", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new EncodedFile("a\u0000b.png", new byte[1]));
    assertTrue(e.getMessage().startsWith("name is not a valid file name"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LOADER.load(
                "x",
                new EncodedFile("a.png", new byte[1]),
                null,
                new EncodedFile("m.npy", new byte[1])));
  }
}
