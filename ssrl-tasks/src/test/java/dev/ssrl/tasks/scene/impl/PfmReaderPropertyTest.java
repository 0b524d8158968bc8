package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneTestImages;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PfmReaderPropertyTest {
  @Test
  void writtenMapsReadBackBitForBitTopRowFirst() {
    qt().withExamples(100)
        .forAll(
            integers().between(1, 17), integers().between(1, 17), booleans().all(), longs().all())
        .checkAssert(
            (w, h, little, seed) -> {
              SplittableRandom rnd = new SplittableRandom(seed);
              float[][] rows = new float[h][w];
              for (float[] row : rows) {
                for (int x = 0; x < w; x++) {
                  row[x] = Float.intBitsToFloat(rnd.nextInt());
                }
              }
              PfmReader.Pfm p;
              try {
                p =
                    PfmReader.parse(
                        SceneTestImages.pfm(w, h, 1, rows, little), Path.of("p.pfm"), 1 << 20);
              } catch (SceneLoadException e) {
                throw new AssertionError(e);
              }
              assertEquals(w, p.width());
              assertEquals(h, p.height());
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  assertEquals(
                      Float.floatToRawIntBits(rows[y][x]),
                      Float.floatToRawIntBits(p.values()[y * w + x]),
                      "(" + x + ", " + y + ")");
                }
              }
            });
  }
}
