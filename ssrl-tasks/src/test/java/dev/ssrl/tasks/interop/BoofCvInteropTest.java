package dev.ssrl.tasks.interop;

import static dev.ssrl.tasks.interop.InteropGen.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;
import boofcv.struct.image.InterleavedU8;
import boofcv.struct.image.Planar;
import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import org.junit.jupiter.api.Test;

class BoofCvInteropTest {

  @Test
  void interleavedViewSharesTheBytesAndAgreesPixelForPixel() {
    qt().withExamples(60)
        .forAll(integers().between(1, 40), integers().between(1, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = InteropGen.raster(w, h, seed);
              InterleavedU8 v = BoofCvInterop.view(r);
              assertEquals(3, v.getNumBands());
              assertEquals(3, v.getImageType().getNumBands());
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  assertEquals(r.rgbAt(x, y), v.get24(x, y));
                  for (int c = 0; c < 3; c++) {
                    assertEquals(channel(r, x, y, c), v.getBand(x, y, c));
                  }
                }
              }
              Raster back = BoofCvInterop.toRaster(v);
              assertEquals(r, back);
              assertSame(r.data(), back.data());
            });
  }

  @Test
  void planarRoundTripIsTheIdentity() {
    qt().withExamples(60)
        .forAll(integers().between(1, 40), integers().between(1, 40), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = InteropGen.raster(w, h, seed);
              Planar<GrayU8> p = BoofCvInterop.toPlanar(r);
              assertEquals(3, p.getNumBands());
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  for (int c = 0; c < 3; c++) {
                    assertEquals(channel(r, x, y, c), p.getBand(c).get(x, y));
                  }
                }
              }
              assertEquals(r, BoofCvInterop.toRaster(p));
            });
  }

  @Test
  void subImagesArePixelForPixelCopies() {
    qt().withExamples(40)
        .forAll(integers().between(2, 30), integers().between(2, 30), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Raster r = InteropGen.raster(w, h, seed);
              int x0 = (int) Math.floorMod(seed, (long) w - 1);
              int y0 = (int) Math.floorMod(seed >> 8, (long) h - 1);
              InterleavedU8 sub = BoofCvInterop.view(r).subimage(x0, y0, w, h);
              Raster a = BoofCvInterop.toRaster(sub);
              Raster b = BoofCvInterop.toRaster(BoofCvInterop.toPlanar(r).subimage(x0, y0, w, h));
              assertEquals(a, b);
              assertNotSame(r.data(), a.data());
              for (int y = 0; y < h - y0; y++) {
                for (int x = 0; x < w - x0; x++) {
                  assertEquals(r.rgbAt(x + x0, y + y0), a.rgbAt(x, y));
                }
              }
            });
  }

  @Test
  void writesThroughTheViewReachTheRaster() {
    Raster r = InteropGen.raster(6, 4, 3);
    BoofCvInterop.view(r).setBand(5, 3, 1, 77);
    assertEquals(77, channel(r, 5, 3, 1));
  }

  @Test
  void otherBandCountsAreRefusedNamingNumBands() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BoofCvInterop.toRaster(new InterleavedU8(4, 4, 4)));
    assertEquals("image.numBands must be 3 (R, G, B), got 4", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BoofCvInterop.toRaster(new Planar<>(GrayU8.class, 4, 4, 1)));
    assertEquals("image.numBands must be 3 (R, G, B), got 1", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BoofCvInterop.toDepthMap(new GrayF32(3, 3), new GrayU8(3, 2)));
    assertEquals("mask 3x2 does not match values 3x3", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> BoofCvInterop.toDepthMap(new GrayF32(0, 3)));
    assertTrue(e.getMessage().startsWith("values must not be empty"), e.getMessage());
  }

  @Test
  void depthViewsAgreeWithTheMapAndRoundTripSharingTheArrays() {
    qt().withExamples(60)
        .forAll(
            integers().between(1, 40), integers().between(1, 40), longs().all(), booleans().all())
        .checkAssert(
            (w, h, seed, masked) -> {
              DepthMap d = InteropGen.depth(w, h, seed, masked);
              GrayF32 v = BoofCvInterop.view(d);
              GrayU8 m = BoofCvInterop.maskView(d).orElse(null);
              assertEquals(masked, m != null);
              GrayF32 nan = BoofCvInterop.validOrNaN(d);
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  float raw = d.at(x, y);
                  assertEquals(Float.floatToRawIntBits(raw), Float.floatToRawIntBits(v.get(x, y)));
                  if (m != null) {
                    assertEquals(d.mask()[y * w + x] & 0xFF, m.get(x, y));
                  }
                  if (d.isValid(x, y)) {
                    assertEquals(raw, nan.get(x, y));
                  } else {
                    assertTrue(Float.isNaN(nan.get(x, y)));
                  }
                }
              }
              DepthMap back = BoofCvInterop.toDepthMap(v, m);
              assertEquals(d, back);
              assertSame(d.values(), back.values());
              assertSame(d.mask(), back.mask());
              if (w > 1 && h > 1) {
                // A sub-image is copied, row by row through its stride.
                DepthMap sub =
                    BoofCvInterop.toDepthMap(
                        v.subimage(1, 1, w, h), m == null ? null : m.subimage(1, 1, w, h));
                for (int y = 0; y < h - 1; y++) {
                  for (int x = 0; x < w - 1; x++) {
                    assertEquals(
                        Float.floatToRawIntBits(d.at(x + 1, y + 1)),
                        Float.floatToRawIntBits(sub.at(x, y)));
                    assertEquals(d.isValid(x + 1, y + 1), sub.isValid(x, y));
                  }
                }
              }
            });
  }
}
