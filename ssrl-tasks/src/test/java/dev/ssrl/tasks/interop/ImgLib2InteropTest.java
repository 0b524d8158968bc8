package dev.ssrl.tasks.interop;

import static dev.ssrl.tasks.interop.InteropGen.channel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

class ImgLib2InteropTest {

  @Test
  void theViewShowsEveryPixelOfTheRasterAndRoundTripsToIt() {
    qt().withExamples(60)
        .forAll(integers().between(1, 40), integers().between(1, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = InteropGen.raster(w, h, seed);
              RandomAccessibleInterval<UnsignedByteType> v = ImgLib2Interop.view(r);
              assertArrayEquals(new long[] {w, h, 3}, v.dimensionsAsLongArray());
              RandomAccess<UnsignedByteType> a = v.randomAccess();
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  for (int c = 0; c < 3; c++) {
                    assertEquals(channel(r, x, y, c), a.setPositionAndGet(x, y, c).get());
                  }
                }
              }
              assertEquals(r, ImgLib2Interop.toRaster(v));
            });
  }

  @Test
  void writesThroughTheViewReachTheRastersArray() {
    Raster r = InteropGen.raster(7, 5, 1);
    RandomAccessibleInterval<UnsignedByteType> v = ImgLib2Interop.view(r);
    v.randomAccess().setPositionAndGet(4, 3, 2).set(201);
    assertEquals(201, r.data()[(3 * 7 + 4) * 3 + 2] & 0xFF);
  }

  @Test
  void aPlanarImageOrAnOffsetIntervalIsCopiedPixelForPixel() {
    qt().withExamples(40)
        .forAll(integers().between(1, 30), integers().between(1, 30), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = InteropGen.raster(w, h, seed);
              // An ordinary planar Img (x, y, channel), filled from the raster's own accessor.
              ArrayImg<UnsignedByteType, ?> planar = ArrayImgs.unsignedBytes(w, h, 3);
              RandomAccess<UnsignedByteType> a = planar.randomAccess();
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  for (int c = 0; c < 3; c++) {
                    a.setPositionAndGet(x, y, c).set(channel(r, x, y, c));
                  }
                }
              }
              assertEquals(r, ImgLib2Interop.toRaster(planar));
              RandomAccessibleInterval<UnsignedByteType> moved = Views.translate(planar, 17, -5, 0);
              assertEquals(r, ImgLib2Interop.toRaster(moved));
            });
  }

  @Test
  void aSubIntervalGivesThatPartOfTheImage() {
    Raster r = InteropGen.raster(20, 12, 9);
    Raster sub =
        ImgLib2Interop.toRaster(
            Views.interval(ImgLib2Interop.view(r), new long[] {3, 2, 0}, new long[] {10, 8, 2}));
    assertEquals(8, sub.width());
    assertEquals(7, sub.height());
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(r.rgbAt(x + 3, y + 2), sub.rgbAt(x, y));
      }
    }
  }

  @Test
  void wrongShapesAreRefusedNamingWhatTheyHave() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImgLib2Interop.toRaster(ArrayImgs.unsignedBytes(4, 4, 4)));
    assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("[4, 4, 4]"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImgLib2Interop.toRaster(ArrayImgs.unsignedBytes(4, 4)));
    assertTrue(e.getMessage().contains("[4, 4]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImgLib2Interop.toDepthMap(ArrayImgs.floats(2, 2, 1)));
    assertTrue(e.getMessage().startsWith("values must be a 2-D"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImgLib2Interop.toDepthMap(ArrayImgs.floats(2, 3), ArrayImgs.unsignedBytes(3, 2)));
    assertEquals("mask 3x2 does not match values 2x3", e.getMessage());
  }

  @Test
  void depthViewsAgreeWithTheMapAndRoundTripSharingTheArrays() {
    qt().withExamples(60)
        .forAll(
            integers().between(1, 40), integers().between(1, 40), longs().all(), booleans().all())
        .checkAssert(
            (w, h, seed, masked) -> {
              DepthMap d = InteropGen.depth(w, h, seed, masked);
              RandomAccessibleInterval<FloatType> v = ImgLib2Interop.view(d);
              RandomAccessibleInterval<UnsignedByteType> m =
                  ImgLib2Interop.maskView(d).orElse(null);
              assertEquals(masked, m != null);
              ArrayImg<FloatType, ?> nan = ImgLib2Interop.validOrNaN(d);
              RandomAccess<FloatType> va = v.randomAccess();
              RandomAccess<FloatType> na = nan.randomAccess();
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  float raw = d.at(x, y);
                  assertEquals(
                      Float.floatToRawIntBits(raw),
                      Float.floatToRawIntBits(va.setPositionAndGet(x, y).get()));
                  if (m != null) {
                    assertEquals(
                        d.mask()[y * w + x] & 0xFF, m.randomAccess().setPositionAndGet(x, y).get());
                  }
                  float n = na.setPositionAndGet(x, y).get();
                  if (d.isValid(x, y)) {
                    assertEquals(raw, n);
                  } else {
                    assertTrue(Float.isNaN(n), "invalid pixel " + x + "," + y + " is NaN");
                  }
                }
              }
              DepthMap back = ImgLib2Interop.toDepthMap(v, m);
              assertEquals(d, back);
              assertSame(d.values(), back.values());
              assertSame(d.mask(), back.mask());
              // Through a view (not an ArrayImg) the same pixels come back as a copy.
              DepthMap copied =
                  ImgLib2Interop.toDepthMap(
                      Views.translate(v, 3, 4), m == null ? null : Views.translate(m, -1, 2));
              assertEquals(d, copied);
              // NaN form: the same valid pixels with the same values.
              DepthMap fromNan = ImgLib2Interop.toDepthMap(nan);
              for (int i = 0; i < w * h; i++) {
                assertEquals(d.isValid(i), fromNan.isValid(i));
              }
            });
  }
}
