package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files that used to get a misleading rejection (issue 16). */
class RgbHostileFilesTest {
  @TempDir Path tmp;

  @Test
  void aCompleteJpegWithDamagedDataIsCorruptNotTruncated() throws IOException {
    BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    SplittableRandom rnd = new SplittableRandom(7);
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        img.setRGB(x, y, rnd.nextInt(1 << 24));
      }
    }
    byte[] jpg = SceneTestImages.jpeg(img, null);
    // The compressed data stops at 60 % but the file still ends with its EOI marker (FF D9):
    // libjpeg warns "Premature end of JPEG file", yet nothing was cut off the file.
    byte[] damaged = Arrays.copyOf(jpg, jpg.length * 6 / 10 + 2);
    damaged[damaged.length - 2] = (byte) 0xFF;
    damaged[damaged.length - 1] = (byte) 0xD9;
    Path p = SceneTestImages.write(tmp, "damaged.jpg", damaged);
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> SceneLoader.defaults().loadRgb(p));
    String m = e.getMessage();
    assertTrue(m.startsWith(p + ": corrupt JPEG: "), m);
    assertTrue(m.toLowerCase(java.util.Locale.ROOT).contains("premature end"), m);
    assertTrue(m.endsWith("(the file is complete; its compressed data is damaged)"), m);
  }
}
