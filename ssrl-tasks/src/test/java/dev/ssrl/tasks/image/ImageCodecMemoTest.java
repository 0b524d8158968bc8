package dev.ssrl.tasks.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.impl.StripMemo;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The strip memo may change how fast a JPEG is made, never its bytes. */
class ImageCodecMemoTest {
  /** Smooth gradients plus noise: strips that JPEG codes differently from one another. */
  private static byte[] base(int w, int h, SplittableRandom rnd) {
    byte[] d = new byte[w * h * 3];
    double fx = 5 + rnd.nextInt(20);
    double fy = 5 + rnd.nextInt(20);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        d[i] = (byte) (128 + 90 * Math.sin(x / fx) + rnd.nextInt(20));
        d[i + 1] = (byte) (128 + 90 * Math.cos(y / fy));
        d[i + 2] = (byte) rnd.nextInt(256);
      }
    }
    return d;
  }

  /** Paints a random rectangle (a marker, a mirrored patch) of one colour, or flips one byte. */
  private static byte[] mark(byte[] d, int w, int h, SplittableRandom rnd) {
    byte[] out = d.clone();
    if (rnd.nextInt(4) == 0) {
      out[rnd.nextInt(out.length)] ^= (byte) (1 + rnd.nextInt(255));
      return out;
    }
    int x0 = rnd.nextInt(w);
    int y0 = rnd.nextInt(h);
    int x1 = Math.min(w, x0 + 1 + rnd.nextInt(24));
    int y1 = Math.min(h, y0 + 1 + rnd.nextInt(40));
    byte c = (byte) rnd.nextInt(256);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int i = (y * w + x) * 3;
        out[i] = c;
        out[i + 1] = (byte) ~c;
        out[i + 2] = c;
      }
    }
    return out;
  }

  private static byte[] encode(Raster r, int quality, boolean memo) {
    boolean was = ImageCodec.memoEnabled;
    ImageCodec.memoEnabled = memo;
    try {
      return ImageCodec.encodeJpeg(r, quality);
    } finally {
      ImageCodec.memoEnabled = was;
    }
  }

  @Test
  void memoisedStripsGiveTheBytesOfAFreshEncode() {
    int min = ImageCodec.stripedMinPixels;
    ImageCodec.stripedMinPixels = 0;
    AtomicLong hits = new AtomicLong();
    try {
      qt().withExamples(40)
          .forAll(integers().between(8, 80), integers().between(129, 420), longs().all())
          .checkAssert(
              (w, h, seed) -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                int quality = rnd.nextInt(3) == 0 ? 60 : 95;
                // Two scenes of one size and samples drawn on them, in a random order, after
                // whatever earlier examples left in this thread's memo.
                byte[][] scenes = {base(w, h, rnd), base(w, h, rnd)};
                byte[] previous = scenes[0];
                for (int i = 0; i < 12; i++) {
                  byte[] d =
                      switch (rnd.nextInt(4)) {
                        case 0 -> scenes[rnd.nextInt(2)];
                        case 1 -> mark(previous, w, h, rnd);
                        default -> mark(scenes[rnd.nextInt(2)], w, h, rnd);
                      };
                  previous = d;
                  Raster r = Raster.of(w, h, d);
                  StripMemo memo = StripMemo.forImage(w, h, quality, ImageCodec.stripRows(w, h));
                  long before = memo.hits();
                  byte[] memoised = encode(r, quality, true);
                  hits.addAndGet(memo.hits() - before);
                  assertArrayEquals(encode(r, quality, false), memoised, "sample " + i);
                }
              });
    } finally {
      ImageCodec.stripedMinPixels = min;
    }
    assertTrue(hits.get() > 100, "the memo was used: " + hits + " strips");
  }
}
