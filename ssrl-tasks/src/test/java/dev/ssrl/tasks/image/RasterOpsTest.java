package dev.ssrl.tasks.image;

import static dev.ssrl.tasks.image.RasterOpsTestSupport.materialize;
import static dev.ssrl.tasks.image.RasterOpsTestSupport.random;
import static dev.ssrl.tasks.image.RasterOpsTestSupport.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Raster;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

class RasterOpsTest {

  @Test
  void rotationsAgreeWithImgLib2RotatedViews() {
    qt().withExamples(40)
        .forAll(integers().between(1, 40), integers().between(1, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = random(w, h, seed);
              assertEquals(materialize(Views.rotate(view(r), 1, 2)), RasterOps.rotateClockwise(r));
              assertEquals(
                  materialize(Views.rotate(view(r), 2, 1)), RasterOps.rotateCounterClockwise(r));
            });
  }

  @Test
  void clockwiseRotationMovesTheTopLeftPixelToTheTopRight() {
    Raster r = random(5, 3, 7);
    Raster cw = RasterOps.rotateClockwise(r);
    assertEquals(3, cw.width());
    assertEquals(5, cw.height());
    assertEquals(r.rgbAt(0, 0), cw.rgbAt(2, 0));
    assertEquals(r.rgbAt(4, 0), cw.rgbAt(2, 4));
    assertEquals(r.rgbAt(0, 2), cw.rgbAt(0, 0));
    Raster ccw = RasterOps.rotateCounterClockwise(r);
    assertEquals(r.rgbAt(0, 0), ccw.rgbAt(0, 4));
    assertEquals(r.rgbAt(4, 0), ccw.rgbAt(0, 0));
  }

  @Test
  void fourClockwiseTurnsAndOneTurnEachWayAreTheIdentity() {
    qt().withExamples(30)
        .forAll(integers().between(1, 30), integers().between(1, 30), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = random(w, h, seed);
              Raster t = r;
              for (int i = 0; i < 4; i++) {
                t = RasterOps.rotateClockwise(t);
              }
              assertEquals(r, t);
              assertEquals(r, RasterOps.rotateCounterClockwise(RasterOps.rotateClockwise(r)));
            });
  }

  @Test
  void inPlaceRegionFlipsAgreeWithImgLib2InvertedAxisViews() {
    qt().withExamples(60)
        .forAll(integers().between(2, 40), integers().between(2, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = random(w, h, seed);
              int x = Math.floorMod(seed, w);
              int y = Math.floorMod(seed >> 8, h);
              int rw = 1 + Math.floorMod(seed >> 16, w - x);
              int rh = 1 + Math.floorMod(seed >> 24, h - y);
              for (int d = 0; d < 2; d++) {
                byte[] buf = r.data().clone();
                RasterOps.flipRegionInPlace(buf, w, x, y, rw, rh, d);
                Raster region = RasterOpsTestSupport.region(r, x, y, rw, rh);
                Raster expected =
                    materialize(Views.zeroMin(Views.invertAxis(view(region), d == 0 ? 2 : 1)));
                assertEquals(expected, RasterOps.crop(Raster.of(w, h, buf), x, y, rw, rh));
                // Outside the region nothing moves.
                byte[] outside = buf.clone();
                byte[] original = r.data().clone();
                Draw.fillRect(outside, w, h, x, y, x + rw, y + rh, 0);
                Draw.fillRect(original, w, h, x, y, x + rw, y + rh, 0);
                assertEquals(Raster.of(w, h, original), Raster.of(w, h, outside));
              }
            });
  }

  @Test
  void flipDifferenceIsTheMeanAbsoluteDifferenceToTheFlippedRegion() {
    qt().withExamples(40)
        .forAll(integers().between(2, 40), integers().between(2, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = random(w, h, seed);
              for (int d = 0; d < 2; d++) {
                Raster flipped =
                    materialize(Views.zeroMin(Views.invertAxis(view(r), d == 0 ? 2 : 1)));
                long sum = 0;
                for (int i = 0; i < r.data().length; i++) {
                  sum += Math.abs((r.data()[i] & 0xFF) - (flipped.data()[i] & 0xFF));
                }
                double expected = (double) sum / r.data().length;
                assertEquals(expected, RasterOps.flipDifference(r, 0, 0, w, h, d), 1e-9);
              }
            });
  }

  @Test
  void cropEqualsTheImgLib2IntervalView() {
    qt().withExamples(40)
        .forAll(integers().between(1, 40), integers().between(1, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = random(w, h, seed);
              int x = Math.floorMod(seed, w);
              int y = Math.floorMod(seed >> 8, h);
              int rw = 1 + Math.floorMod(seed >> 16, w - x);
              int rh = 1 + Math.floorMod(seed >> 24, h - y);
              assertEquals(
                  RasterOpsTestSupport.region(r, x, y, rw, rh), RasterOps.crop(r, x, y, rw, rh));
            });
  }

  @Test
  void resizeToTheSameSizeReturnsTheRegionUnchanged() {
    qt().withExamples(30)
        .forAll(integers().between(1, 40), integers().between(1, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = random(w, h, seed);
              assertEquals(r, RasterOps.resize(r, 0, 0, w, h, w, h));
            });
  }

  @Test
  void halvingAveragesEachTwoByTwoBlock() {
    qt().withExamples(30)
        .forAll(integers().between(1, 30), integers().between(1, 30), longs().all())
        .checkAssert(
            (hw, hh, seed) -> {
              Raster r = random(hw * 2, hh * 2, seed);
              Raster half = RasterOps.resize(r, 0, 0, hw * 2, hh * 2, hw, hh);
              byte[] d = r.data();
              for (int y = 0; y < hh; y++) {
                for (int x = 0; x < hw; x++) {
                  for (int c = 0; c < 3; c++) {
                    int s = 0;
                    for (int k = 0; k < 4; k++) {
                      s += d[((2 * y + k / 2) * hw * 2 + 2 * x + k % 2) * 3 + c] & 0xFF;
                    }
                    int got = half.data()[(y * hw + x) * 3 + c] & 0xFF;
                    // s/4 rounded half up, within one unit of float rounding.
                    assertEquals((s + 2) / 4, got, 1);
                  }
                }
              }
            });
  }

  @Test
  void resizingAUniformRegionKeepsItsColour() {
    qt().withExamples(30)
        .forAll(
            integers().between(1, 60),
            integers().between(1, 60),
            integers().between(1, 90),
            integers().between(0, 0xFFFFFF))
        .checkAssert(
            (w, h, out, color) -> {
              Raster r = RasterOpsTestSupport.uniform(w, h, color);
              assertEquals(
                  RasterOpsTestSupport.uniform(out, out + 1, color),
                  RasterOps.resize(r, 0, 0, w, h, out, out + 1));
            });
  }

  @Test
  void copyRegionMovesExactlyTheBlockBetweenBuffersOfDifferentWidths() {
    qt().withExamples(60)
        .forAll(integers().between(1, 30), integers().between(1, 30), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
              Raster src = random(w + rng.nextInt(10), h + rng.nextInt(10), seed);
              int dstW = w + rng.nextInt(10);
              int dstH = h + rng.nextInt(10);
              int sx = rng.nextInt(src.width() - w + 1);
              int sy = rng.nextInt(src.height() - h + 1);
              int dx = rng.nextInt(dstW - w + 1);
              int dy = rng.nextInt(dstH - h + 1);
              byte[] dst = new byte[dstW * dstH * 3];
              java.util.Arrays.fill(dst, (byte) 7);
              RasterOps.copyRegion(src.data(), src.width(), sx, sy, dst, dstW, dx, dy, w, h);
              Raster out = Raster.of(dstW, dstH, dst);
              for (int y = 0; y < dstH; y++) {
                for (int x = 0; x < dstW; x++) {
                  boolean inside = x >= dx && x < dx + w && y >= dy && y < dy + h;
                  int expected = inside ? src.rgbAt(sx + x - dx, sy + y - dy) : 0x070707;
                  assertEquals(expected, out.rgbAt(x, y), "pixel " + x + "," + y);
                }
              }
            });
  }

  @Test
  void copyRegionRefusesABlockPastTheEdge() {
    byte[] src = new byte[4 * 3 * 3];
    byte[] dst = new byte[2 * 2 * 3];
    assertThrows(
        IllegalArgumentException.class,
        () -> RasterOps.copyRegion(src, 4, 3, 0, dst, 2, 0, 0, 2, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> RasterOps.copyRegion(src, 4, 0, 0, dst, 2, 1, 0, 2, 2));
  }

  @Test
  void regionsOutsideTheRasterAreRefused() {
    Raster r = random(10, 10, 1);
    assertThrows(IllegalArgumentException.class, () -> RasterOps.crop(r, 5, 5, 6, 1));
    assertThrows(IllegalArgumentException.class, () -> RasterOps.resize(r, -1, 0, 5, 5, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> RasterOps.flipDifference(r, 0, 0, 11, 2, 0));
  }
}
