package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.scene.impl.NpyTestFiles;
import dev.ssrl.testsupport.SharedData;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneLoaderDepthTest {
  private static final SceneLoader LOADER = SceneLoader.defaults();

  @TempDir Path tmp;

  // ---------- real data ----------

  @Test
  void diodeSceneLoadsWithItsMaskApplied() throws IOException {
    Path rgb = SharedData.require("data/rgbd/diode-1.png");
    Path depth = SharedData.require("data/rgbd/diode-1_depth.npy");
    Path mask = SharedData.require("data/rgbd/diode-1_depth_mask.npy");
    Scene s = LOADER.load(new SceneFiles("diode-1", rgb, depth, mask));
    DepthMap d = s.depth();
    assertEquals(1024, d.width());
    assertEquals(768, d.height());
    assertNotNull(d.mask());
    // Counts and values from numpy: np.load(...)[..., 0], mask != 0.
    assertEquals(702563, d.validCount());
    assertEquals(20.451f, d.at(512, 384));
    assertEquals(2.3844383f, d.at(0, 0));
    // (344, 0) holds 41.02 m but the mask rejects it.
    assertEquals(41.024994f, d.at(344, 0), 1e-5f);
    assertFalse(d.isValid(344, 0));
    DepthMap unmasked = LOADER.loadDepth(depth, null);
    assertNull(unmasked.mask());
    assertEquals(710332, unmasked.validCount());
  }

  @Test
  void megadepthScenesLoadWithPlausibleDepth() throws IOException {
    DepthMap d1 =
        LOADER
            .load(
                new SceneFiles(
                    "megadepth-1",
                    SharedData.require("data/rgbd/megadepth-1.jpg"),
                    SharedData.require("data/rgbd/megadepth-1.h5"),
                    null))
            .depth();
    assertEquals(1600, d1.width());
    assertEquals(1064, d1.height());
    DepthMap d2 =
        LOADER
            .load(
                new SceneFiles(
                    "megadepth-2",
                    SharedData.require("data/rgbd/megadepth-2.jpg"),
                    SharedData.require("data/rgbd/megadepth-2.h5"),
                    null))
            .depth();
    assertEquals(1600, d2.width());
    assertEquals(1062, d2.height());
    double f1 = d1.validCount() / (double) (1600 * 1064);
    double f2 = d2.validCount() / (double) (1600 * 1062);
    assertTrue(f1 > 0.60 && f1 < 0.72, "megadepth-1 valid fraction about 66%, got " + f1);
    assertTrue(f2 > 0.06 && f2 < 0.075, "megadepth-2 valid fraction about 7%, got " + f2);
    for (DepthMap d : new DepthMap[] {d1, d2}) {
      float[] v = d.values();
      for (int i = 0; i < v.length; i++) {
        if (d.isValid(i)) {
          assertTrue(v[i] > 0 && v[i] < 1e5f, "depth " + v[i] + " at " + i);
        }
      }
    }
  }

  // ---------- formats ----------

  @Test
  void nanAndInfinityLoadAsInvalidPixels() throws IOException {
    float[] v = new float[64 * 64];
    Arrays.fill(v, 3f);
    v[0] = Float.NaN;
    v[1] = Float.POSITIVE_INFINITY;
    v[2] = Float.NEGATIVE_INFINITY;
    v[3] = 0f;
    Path p = SceneTestImages.write(tmp, "x_depth.npy", NpyTestFiles.writeFloat32(64, 64, v));
    DepthMap d = LOADER.loadDepth(p, null);
    assertEquals(64 * 64 - 4, d.validCount());
    assertTrue(Float.isNaN(d.at(0, 0)));
    assertEquals(Float.POSITIVE_INFINITY, d.at(1, 0));
    assertTrue(d.isValid(4, 0));
  }

  @Test
  void depthOfAnotherSizeThanTheImageIsAnError() throws IOException {
    Path rgb =
        SceneTestImages.write(
            tmp,
            "x.png",
            SceneTestImages.png(new BufferedImage(80, 64, BufferedImage.TYPE_3BYTE_BGR)));
    float[] v = new float[64 * 64];
    Arrays.fill(v, 1f);
    Path depth = SceneTestImages.write(tmp, "x_depth.npy", NpyTestFiles.writeFloat32(64, 64, v));
    SceneLoadException e =
        assertThrows(
            SceneLoadException.class, () -> LOADER.load(new SceneFiles("x", rgb, depth, null)));
    assertEquals(depth, e.path());
    assertTrue(
        e.getMessage().contains("depth 64x64 does not match image x.png 80x64"), e.getMessage());
  }

  @Test
  void maskOfAnotherSizeThanTheDepthIsAnError() throws IOException {
    Path depth =
        SceneTestImages.write(tmp, "x_depth.npy", NpyTestFiles.writeFloat32(4, 4, new float[16]));
    Path mask =
        SceneTestImages.write(
            tmp, "x_depth_mask.npy", NpyTestFiles.writeFloat32(4, 5, new float[20]));
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(depth, mask));
    assertTrue(e.getMessage().contains("mask 5x4 does not match depth 4x4"), e.getMessage());
  }

  @Test
  void boolAndUint8MasksMarkNonZeroAsValid() throws IOException {
    double[] ones = new double[6];
    Arrays.fill(ones, 2.0);
    Path depth =
        SceneTestImages.write(
            tmp, "d.npy", NpyTestFiles.write(1, "<f8", false, "(2, 3)", 2, 3, ones));
    double[] m = {1, 0, 1, 0, 0, 7};
    for (String dtype : new String[] {"|b1", "|u1", "<f4"}) {
      Path mask =
          SceneTestImages.write(
              tmp, "m.npy", NpyTestFiles.write(1, dtype, false, "(2, 3)", 2, 3, m));
      DepthMap d = LOADER.loadDepth(depth, mask);
      assertEquals(3, d.validCount(), dtype);
      assertTrue(d.isValid(0, 0) && !d.isValid(1, 0) && d.isValid(2, 1), dtype);
    }
  }

  @Test
  void greyPngMaskIsAccepted() throws IOException {
    Path depth =
        SceneTestImages.write(
            tmp,
            "d.npy",
            NpyTestFiles.write(1, "<f4", false, "(2, 2)", 2, 2, new double[] {1, 1, 1, 1}));
    BufferedImage m = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    m.getRaster().setSample(1, 1, 0, 255);
    Path mask = SceneTestImages.write(tmp, "m.png", SceneTestImages.png(m));
    DepthMap d = LOADER.loadDepth(depth, mask);
    assertEquals(1, d.validCount());
    assertTrue(d.isValid(1, 1));
  }

  @Test
  void corruptNpyHeadersAreClearErrors() throws IOException {
    String[][] cases = {
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2 }", "corrupt .npy header"},
      {"{'descr': '<f4', 'shape': (2, 2), }", "no 'fortran_order'"},
      {"{'descr': '<c8', 'fortran_order': False, 'shape': (2, 2), }", "unsupported dtype '<c8'"},
      {"{'descr': '|O', 'fortran_order': False, 'shape': (2, 2), }", "unsupported dtype '|O'"},
      {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3), }",
        "unsupported shape (2, 2, 3)"
      },
      {"not a dict at all", "corrupt .npy header"},
    };
    for (String[] c : cases) {
      byte[] h = c[0].getBytes(StandardCharsets.ISO_8859_1);
      byte[] file = new byte[10 + h.length + 16];
      file[0] = (byte) 0x93;
      System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, file, 1, 5);
      file[6] = 1;
      file[8] = (byte) h.length;
      System.arraycopy(h, 0, file, 10, h.length);
      Path p = SceneTestImages.write(tmp, "bad.npy", file);
      SceneLoadException e =
          assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
      assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void truncatedNpyDataAndUnknownVersionAreClearErrors() throws IOException {
    byte[] full = NpyTestFiles.writeFloat32(8, 8, new float[64]);
    Path p = SceneTestImages.write(tmp, "t.npy", Arrays.copyOf(full, full.length - 1));
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().contains("truncated .npy"), e.getMessage());
    full[6] = 9;
    Path q = SceneTestImages.write(tmp, "v.npy", full);
    e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(q, null));
    assertTrue(e.getMessage().contains("unsupported format version 9"), e.getMessage());
  }

  @Test
  void hdf5WithoutDepthDatasetNamesWhatItHas() throws IOException {
    Path p = tmp.resolve("x.h5");
    try (WritableHdfFile f = HdfFile.write(p)) {
      f.putDataset("disparity", new float[][] {{1f, 2f}, {3f, 4f}});
      f.putGroup("extra").putDataset("confidence", new float[] {1f});
    }
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("no 'depth' dataset"), e.getMessage());
    assertTrue(e.getMessage().contains("/disparity, /extra/confidence"), e.getMessage());
  }

  @Test
  void hdf5DepthRoundTripsThroughJhdfWriter() throws IOException {
    Path p = tmp.resolve("y.h5");
    float[][] data = {{0f, 1.5f, 2f}, {3f, Float.NaN, 5f}};
    try (WritableHdfFile f = HdfFile.write(p)) {
      f.putDataset("depth", data);
    }
    DepthMap d = LOADER.loadDepth(p, null);
    assertEquals(3, d.width());
    assertEquals(2, d.height());
    assertEquals(1.5f, d.at(1, 0));
    assertEquals(5f, d.at(2, 1));
    assertEquals(4, d.validCount());
  }

  @Test
  void corruptHdf5IsAClearError() throws IOException {
    byte[] full = Files.readAllBytes(SharedData.require("data/rgbd/megadepth-2.h5"));
    Path p = SceneTestImages.write(tmp, "cut.h5", Arrays.copyOf(full, 600));
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
  }

  @Test
  void sixteenBitPngDepthUsesTheConfiguredScale() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(3, 2, 0, 1234);
    img.getRaster().setSample(63, 63, 0, 65535);
    Path p = SceneTestImages.write(tmp, "x_depth.png", SceneTestImages.png(img));
    DepthMap mm = LOADER.loadDepth(p, null);
    assertEquals(1.234f, mm.at(3, 2), 1e-6f);
    assertEquals(65.535f, mm.at(63, 63), 1e-5f);
    assertEquals(2, mm.validCount(), "zero is invalid");
    DepthMap tum = LOADER.withDepthScale(1.0 / 5000).loadDepth(p, null);
    assertEquals(1234 / 5000f, tum.at(3, 2), 1e-6f);
  }

  @Test
  void eightBitPngIsNotAcceptedAsDepth() throws IOException {
    Path p =
        SceneTestImages.write(
            tmp,
            "x_depth.png",
            SceneTestImages.png(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY)));
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(
        e.getMessage().contains("must be 16-bit single-channel grey, got 8-bit grey"),
        e.getMessage());
  }

  @Test
  void pfmIsReadBottomToTopInBothByteOrders() throws IOException {
    float[][] rows = {{1f, 2f, 3f}, {4f, 5f, Float.POSITIVE_INFINITY}};
    for (boolean little : new boolean[] {true, false}) {
      Path p = SceneTestImages.write(tmp, "x.pfm", SceneTestImages.pfm(3, 2, 1, rows, little));
      DepthMap d = LOADER.loadDepth(p, null);
      assertEquals(3, d.width());
      assertEquals(2, d.height());
      assertEquals(1f, d.at(0, 0), "little=" + little);
      assertEquals(3f, d.at(2, 0));
      assertEquals(4f, d.at(0, 1));
      assertEquals(5, d.validCount(), "infinity is invalid");
    }
  }

  @Test
  void colourPfmIsAcceptedOnlyWhenItsChannelsAgree() throws IOException {
    float[][] grey = {{1f, 1f, 1f, 2f, 2f, 2f}};
    Path ok = SceneTestImages.write(tmp, "g.pfm", SceneTestImages.pfm(2, 1, 3, grey, true));
    DepthMap d = LOADER.loadDepth(ok, null);
    assertEquals(2f, d.at(1, 0));
    float[][] colour = {{1f, 1f, 1f, 2f, 9f, 2f}};
    Path bad = SceneTestImages.write(tmp, "c.pfm", SceneTestImages.pfm(2, 1, 3, colour, true));
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(bad, null));
    assertTrue(e.getMessage().contains("colour PFM"), e.getMessage());
  }

  @Test
  void truncatedPfmIsAClearError() throws IOException {
    byte[] full =
        SceneTestImages.pfm(
            4, 4, 1, new float[][] {new float[4], new float[4], new float[4], new float[4]}, true);
    Path p = SceneTestImages.write(tmp, "t.pfm", Arrays.copyOf(full, full.length - 5));
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().contains("truncated PFM"), e.getMessage());
  }

  @Test
  void unknownDepthFormatAndEmptyDepthFileAreClearErrors() throws IOException {
    Path txt = SceneTestImages.write(tmp, "x.npy", "text".getBytes(StandardCharsets.US_ASCII));
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(txt, null));
    assertTrue(e.getMessage().contains("unsupported depth format"), e.getMessage());
    Path empty = SceneTestImages.write(tmp, "e.h5", new byte[0]);
    e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(empty, null));
    assertTrue(e.getMessage().contains("empty file"), e.getMessage());
  }

  @Test
  void oversizedDepthHeaderIsRefusedBeforeReading() throws IOException {
    byte[] npy = NpyTestFiles.write(1, "<f4", false, "(100000, 100000)", 0, 0, new double[0]);
    Path p = SceneTestImages.write(tmp, "big.npy", npy);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().contains("pixel budget"), e.getMessage());
  }
}
