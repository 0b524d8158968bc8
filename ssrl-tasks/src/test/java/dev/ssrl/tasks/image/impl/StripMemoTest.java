package dev.ssrl.tasks.image.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StripMemoTest {
  // 10 wide, 3 strips of 4 rows and a last one of 2: 14 rows.
  private static final int W = 10;
  private static final int H = 14;
  private static final int ROWS = 4;

  private static byte[] image(long seed) {
    byte[] d = new byte[3 * W * H];
    new SplittableRandom(seed).nextBytes(d);
    return d;
  }

  private static StripMemo fresh(int quality) {
    // A new geometry replaces this thread's memo, so a quality not used elsewhere starts empty.
    StripMemo.forImage(W + 1, H, quality, ROWS);
    return StripMemo.forImage(W, H, quality, ROWS);
  }

  @Test
  void findsOnlyStripsWithEqualPixelsAtTheSamePosition() {
    StripMemo m = fresh(1);
    byte[] a = image(1);
    byte[] jpeg = {1, 2, 3};
    m.put(1, a, jpeg);
    assertSame(jpeg, m.find(1, a));
    assertSame(jpeg, m.find(1, a.clone()));
    assertNull(m.find(0, a), "another position");
    assertNull(m.find(2, a), "another position");
    byte[] b = a.clone();
    b[3 * W * ROWS + 3 * W * ROWS - 1] ^= 1; // the last byte of strip 1
    assertNull(m.find(1, b));
    byte[] c = a.clone();
    c[0] ^= 1; // strip 0 only: strip 1 still equal
    assertSame(jpeg, m.find(1, c));
    assertEquals(3, m.hits());
  }

  @Test
  void theShortLastStripIsComparedOverItsOwnRows() {
    StripMemo m = fresh(2);
    byte[] a = image(2);
    byte[] jpeg = {9};
    m.put(3, a, jpeg);
    assertSame(jpeg, m.find(3, a));
    byte[] b = a.clone();
    b[b.length - 1] ^= 1;
    assertNull(m.find(3, b));
  }

  @Test
  void neverHitEntriesAreEvictedFirstThenTheLeastRecentlyUsed() {
    StripMemo m = fresh(3);
    assertEquals(StripMemo.PER_STRIP, m.perStrip());
    byte[] scene = image(10);
    m.put(0, scene, new byte[] {0});
    m.find(0, scene); // the scene's strip is hit
    for (int i = 0; i < 10; i++) { // many one-off marked strips come and go
      m.put(0, image(100 + i), new byte[] {1});
    }
    assertArrayEquals(new byte[] {0}, m.find(0, scene), "a hit entry outlives unhit ones");
    // Once all are hit, the least recently used goes, whichever scene it belongs to.
    byte[] second = image(11);
    byte[] third = image(12);
    m.put(0, second, new byte[] {2});
    m.find(0, second);
    m.put(0, third, new byte[] {3});
    m.find(0, third);
    // All three hit; last used in the order second, third, scene: second goes next.
    m.find(0, second);
    m.find(0, third);
    m.find(0, scene);
    m.put(0, image(13), new byte[] {4});
    assertNull(m.find(0, second));
    assertArrayEquals(new byte[] {0}, m.find(0, scene));
    assertArrayEquals(new byte[] {3}, m.find(0, third));
  }

  @Test
  void oneGeometryPerThreadAndNoneBeyondTheBudget() {
    StripMemo m = fresh(4);
    byte[] a = image(4);
    m.put(0, a, new byte[] {7});
    assertSame(m, StripMemo.forImage(W, H, 4, ROWS));
    StripMemo other = StripMemo.forImage(W, H, 5, ROWS);
    assertNotSame(m, other);
    assertNull(other.find(0, a));
    StripMemo again = StripMemo.forImage(W, H, 4, ROWS);
    assertNull(again.find(0, a), "replaced, not kept beside the other geometry");
    // 3 bytes a pixel: an image of a third of the budget keeps 3 per position, of half keeps 1.
    int side = (int) Math.sqrt(StripMemo.BUDGET_BYTES / 3 / 3);
    assertEquals(3, StripMemo.forImage(side, side, 95, 128).perStrip());
    int half = (int) Math.sqrt(StripMemo.BUDGET_BYTES / 3 / 2) + 1;
    assertEquals(1, StripMemo.forImage(half, half, 95, 128).perStrip());
    int over = (int) Math.sqrt(StripMemo.BUDGET_BYTES / 3) + 1;
    assertNull(StripMemo.forImage(over, over, 95, 128));
  }
}
