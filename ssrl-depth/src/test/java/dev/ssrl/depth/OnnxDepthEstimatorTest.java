package dev.ssrl.depth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimator on the tiny models of make_tiny_models.py, whose inverse depth is the normalised
 * red channel plus 3: a redder pixel is nearer, so every expected depth order is known.
 */
class OnnxDepthEstimatorTest {
  static OnnxDepthEstimator tiny;

  static Path model(String name) {
    try {
      return Path.of(OnnxDepthEstimatorTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void open() {
    tiny = OnnxDepthEstimator.open(model("tiny-depth.onnx"), OnnxDepthEstimator.Settings.cpu(4));
  }

  @AfterAll
  static void close() {
    tiny.close();
  }

  /** The tiny model's depth of a red value, computed here from its definition. */
  static double expectedDepth(int red) {
    double inv = (red / 255.0 - 0.485) / 0.229 + 3.0;
    return 1.0 / inv;
  }

  static Raster uniform(int w, int h, int r, int g, int b) {
    byte[] px = new byte[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      px[3 * i] = (byte) r;
      px[3 * i + 1] = (byte) g;
      px[3 * i + 2] = (byte) b;
    }
    return Raster.of(w, h, px);
  }

  /** Red rises with the row (nearer lower down), green and blue random noise the model ignores. */
  static Raster rampDown(int w, int h, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      int red = (int) Math.round(255.0 * y / Math.max(1, h - 1));
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        px[i] = (byte) red;
        px[i + 1] = (byte) rng.nextInt(256);
        px[i + 2] = (byte) rng.nextInt(256);
      }
    }
    return Raster.of(w, h, px);
  }

  @Test
  void uniformPhotoGivesTheModelsDepthEverywhere() {
    for (int red : new int[] {0, 77, 200, 255}) {
      Raster photo = uniform(61, 43, red, 13, 250);
      DepthMap d = tiny.estimate(photo);
      assertEquals(61, d.width());
      assertEquals(43, d.height());
      assertEquals(61 * 43, d.validCount());
      double want = expectedDepth(red);
      for (float v : d.values()) {
        assertEquals(want, v, want * 1e-5, "red " + red);
      }
    }
  }

  @Test
  void depthFallsWithTheRowWhereRedRises() {
    qt().withExamples(12)
        .forAll(integers().between(8, 300), integers().between(24, 300))
        .checkAssert(
            (w, h) -> {
              DepthMap d = tiny.estimate(rampDown(w, h, w * 1000L + h));
              assertEquals(w, d.width());
              assertEquals(h, d.height());
              int gap = Math.max(2, h / 6);
              for (int x = 0; x < w; x += Math.max(1, w / 5)) {
                for (int y = 0; y + gap < h; y += gap) {
                  assertTrue(d.isValid(x, y + gap));
                  assertTrue(
                      d.at(x, y) > d.at(x, y + gap),
                      w + "x" + h + ": row " + y + " must be farther than row " + (y + gap));
                }
              }
            });
  }

  @Test
  void inputSizeKeepsTheAspectRatioInMultiplesOf14() {
    assertArrayEquals(new int[] {686, 518}, tiny.inputSize(640, 480));
    assertArrayEquals(new int[] {686, 518}, tiny.inputSize(4000, 3000));
    assertArrayEquals(new int[] {518, 168}, tiny.inputSize(300, 100));
    assertArrayEquals(new int[] {518, 518}, tiny.inputSize(518, 518));
    qt().forAll(integers().between(1, 5000), integers().between(1, 5000))
        .checkAssert(
            (w, h) -> {
              int[] s = tiny.inputSize(w, h);
              assertEquals(0, s[0] % 14);
              assertEquals(0, s[1] % 14);
              assertTrue(s[0] >= 14 && s[1] >= 14);
            });
  }

  @Test
  void aFixedSizeModelGetsItsSize() {
    try (OnnxDepthEstimator fixed =
        OnnxDepthEstimator.open(
            model("tiny-depth-fixed64.onnx"), OnnxDepthEstimator.Settings.cpu(1))) {
      assertArrayEquals(new int[] {64, 64}, fixed.inputSize(640, 480));
      DepthMap d = fixed.estimate(rampDown(120, 90, 3));
      assertEquals(120, d.width());
      assertEquals(90, d.height());
      assertTrue(d.at(60, 5) > d.at(60, 45));
      assertTrue(d.at(60, 45) > d.at(60, 85));
      // Two photos with a fixed batch of 1: two inferences, the same answers as one by one.
      List<DepthMap> both =
          fixed.estimateAll(List.of(rampDown(120, 90, 3), uniform(9, 9, 0, 0, 0)));
      assertEquals(d, both.get(0));
      assertEquals(fixed.estimate(uniform(9, 9, 0, 0, 0)), both.get(1));
    }
  }

  @Test
  void sensorDepthWins() {
    Raster photo = uniform(20, 20, 10, 10, 10);
    float[] v = new float[400];
    java.util.Arrays.fill(v, 7f);
    Scene rgbd = new Scene("s", photo, DepthMap.of(20, 20, v));
    assertSame(rgbd, tiny.complete(rgbd));
    Scene completed = tiny.complete(Scene.rgbOnly("p", photo));
    assertEquals(tiny.estimate(photo), completed.depth());
  }

  @Test
  void modelIdentityIsNameAndSha256() throws Exception {
    // The SHA-256 printed by sha256sum when the file was made (make_tiny_models.py).
    assertEquals(
        new DepthModel(
            "tiny-depth.onnx", "ef8521d91f5b09c093ee4ca621cd315e3729a3ae0ff3a8184aa29ffe43669509"),
        tiny.model());
  }

  @Test
  void batchesAndThreadsGiveTheBytesOfOneByOne() throws Exception {
    List<Raster> photos = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      photos.add(i % 3 == 0 ? rampDown(50, 40, i) : rampDown(40 + i, 30 + (i % 4), i));
    }
    List<DepthMap> single;
    try (OnnxDepthEstimator one =
        OnnxDepthEstimator.open(model("tiny-depth.onnx"), OnnxDepthEstimator.Settings.cpu(1))) {
      single = new ArrayList<>();
      for (Raster p : photos) {
        single.add(one.estimate(p));
      }
    }
    assertEquals(single, tiny.estimateAll(photos));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<DepthMap>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Raster p : photos) {
          futures.add(pool.submit(() -> tiny.estimate(p)));
        }
      }
      for (int k = 0; k < futures.size(); k++) {
        assertEquals(single.get(k % photos.size()), futures.get(k).get(), "photo " + k);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrongInputNameIsNamed() {
    Path m = model("tiny-depth-wrong-name.onnx");
    DepthModelException e =
        assertThrows(
            DepthModelException.class,
            () -> OnnxDepthEstimator.open(m, OnnxDepthEstimator.Settings.cpu(1)));
    assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'pixel_values'"), e.getMessage());
    assertTrue(e.getMessage().contains("[image]"), e.getMessage());
  }

  @Test
  void wrongChannelCountIsNamed() {
    Path m = model("tiny-depth-gray.onnx");
    DepthModelException e =
        assertThrows(
            DepthModelException.class,
            () -> OnnxDepthEstimator.open(m, OnnxDepthEstimator.Settings.cpu(1)));
    assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("has 1 channels; expected 3"), e.getMessage());
  }

  @Test
  void nanOutputIsAnErrorNamingTheModel() {
    Path m = model("tiny-depth-nan.onnx");
    try (OnnxDepthEstimator nan = OnnxDepthEstimator.open(m, OnnxDepthEstimator.Settings.cpu(1))) {
      DepthModelException e =
          assertThrows(DepthModelException.class, () -> nan.estimate(uniform(30, 20, 1, 2, 3)));
      assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }
  }

  @Test
  void aFileThatIsNotAModelIsNamed(@TempDir Path dir) throws Exception {
    Path m = dir.resolve("depth_anything_v2_vits.onnx");
    Files.writeString(m, "<html>404 Not Found</html>", StandardCharsets.UTF_8);
    DepthModelException e =
        assertThrows(
            DepthModelException.class,
            () -> OnnxDepthEstimator.open(m, OnnxDepthEstimator.Settings.cpu(1)));
    assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a readable ONNX model"), e.getMessage());
    Path missing = dir.resolve("absent.onnx");
    DepthModelException e2 =
        assertThrows(
            DepthModelException.class,
            () -> OnnxDepthEstimator.open(missing, OnnxDepthEstimator.Settings.cpu(1)));
    assertTrue(e2.getMessage().contains(missing + ": no such file"), e2.getMessage());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(
        IllegalArgumentException.class, () -> new OnnxDepthEstimator.Settings(false, 0, 518, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new OnnxDepthEstimator.Settings(false, 1, 500, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new OnnxDepthEstimator.Settings(false, 1, 518, 0));
  }

  @Test
  void gpuWithoutCudaSaysWhyAndRunsOnTheCpu() {
    try (OnnxDepthEstimator g =
        OnnxDepthEstimator.open(
            model("tiny-depth.onnx"), new OnnxDepthEstimator.Settings(true, 1, 518, 1))) {
      if (g.provider().equals("CPU")) {
        assertTrue(g.providerNote().startsWith("--gpu: "), g.providerNote());
      }
      assertEquals(tiny.estimate(uniform(10, 10, 5, 5, 5)), g.estimate(uniform(10, 10, 5, 5, 5)));
    }
  }
}
