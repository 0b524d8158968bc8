package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.scene.impl.ExifOrientation;
import dev.ssrl.tasks.scene.impl.NpyReader;
import dev.ssrl.tasks.scene.impl.NpyTestFiles;
import dev.ssrl.tasks.scene.impl.RgbReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Damaged files of every supported kind end in a {@link SceneLoadException} or a valid result,
 * never in another exception that would stop a batch.
 */
class SceneDecodeFuzzTest {
  private static final Path NAME = Path.of("fuzz");

  private static Raster pattern() {
    byte[] d = new byte[96 * 80 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (i * 7 % 251);
    }
    return Raster.of(96, 80, d);
  }

  private static final byte[] JPEG =
      SceneTestImages.insertAfterSoi(
          ImageCodec.encodeJpeg(pattern(), 80), SceneTestImages.exifOrientation(6, false));
  private static final byte[] PNG = ImageCodec.encodePng(pattern());
  private static final byte[] NPY = NpyTestFiles.writeFloat32(8, 8, new float[64]);

  /** Overwrites a few bytes and sometimes truncates. */
  private static byte[] damage(byte[] src, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] b = src.clone();
    int flips = 1 + rnd.nextInt(6);
    for (int i = 0; i < flips; i++) {
      // Bias towards the headers, where structure lives.
      int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(b.length, 200)) : rnd.nextInt(b.length);
      b[at] = (byte) rnd.nextInt(256);
    }
    return rnd.nextInt(4) == 0 ? Arrays.copyOf(b, rnd.nextInt(b.length)) : b;
  }

  @Test
  void damagedImagesFailOnlyWithSceneLoadException() {
    qt().withExamples(250)
        .forAll(integers().between(0, 1), longs().all())
        .checkAssert(
            (kind, seed) -> {
              byte[] bad = damage(kind == 0 ? JPEG : PNG, seed);
              try {
                Raster r = RgbReader.decode(bad, NAME, 1_000_000);
                assertTrue(r.width() >= 64 && r.height() >= 64);
              } catch (SceneLoadException e) {
                assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
              }
            });
  }

  @Test
  void damagedNpyFailsOnlyWithSceneLoadException() {
    qt().withExamples(300)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              try {
                NpyReader.NpyArray a = NpyReader.parse(damage(NPY, seed), NAME, 1_000_000);
                // Whatever shape a damaged header declares, its data must be fully present.
                a.get(a.height() - 1, a.width() - 1);
              } catch (SceneLoadException e) {
                assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
              }
            });
  }

  @Test
  void damagedExifNeverBreaksOrientationParsing() {
    byte[] exif = SceneTestImages.exifOrientation(3, true);
    qt().withExamples(300)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              byte[] b = damage(exif, seed);
              int o = ExifOrientation.parse(b, Math.min(10, b.length), b.length);
              assertTrue(o >= 1 && o <= 8, "orientation " + o);
            });
  }

  @Test
  void intactFuzzInputsDecode() throws SceneLoadException {
    Raster r = RgbReader.decode(JPEG, NAME, 1_000_000);
    assertEquals(80, r.width(), "orientation 6 swaps the sides");
    assertEquals(pattern(), RgbReader.decode(PNG, NAME, 1_000_000));
  }
}
