package dev.ssrl.tasks.image.impl;

import java.lang.ref.SoftReference;
import java.util.Arrays;

/**
 * Remembers, per thread, the JPEG bytes of recently encoded strips of one image geometry, so that a
 * strip whose pixels are exactly those of a strip encoded before is not encoded again.
 *
 * <p>Why: the depth and position tasks draw their markers on the scene's image, and the flip task
 * mirrors one patch of it, so of the six 128-row strips of a 1,024×768 sample image usually only
 * two or three differ from the scene's own pixels; the others are the same pixels at the same
 * place, sample after sample. JPEG encoding was most of a depth sample's time (issue 17).
 *
 * <p>Why it cannot change a byte: a strip is encoded as a JPEG of its own (ImageCodec), so its
 * bytes are a function of its pixels, its width, its row count and the quality only, and a memo
 * entry is returned only when all of those are equal — the pixels compared in full, not by a hash.
 * Which strips hit depends on what this thread encoded before; the bytes returned do not.
 *
 * <p>Bounds: one geometry (width, height, quality) per thread, replaced when another comes; at most
 * {@value #PER_STRIP} entries per strip position and {@value #BUDGET_BYTES} bytes of pixels per
 * thread (fewer entries per position for larger images; none for an image whose strips alone exceed
 * that). The memo is held softly, so the collector may drop it under memory pressure. When a
 * position is full, the least recently used entry that was never hit goes first, else the least
 * recently used one: one sample's marked strip makes room for the next while the scene's own strip,
 * hit by most samples, stays — until the scenes of a later image of the same size push it out
 * (counting hits alone would keep an old scene's strips for good).
 */
public final class StripMemo {
  /** Entries kept per strip position. */
  static final int PER_STRIP = 3;

  /** Pixel bytes kept per thread at most (the JPEG bytes kept are about a fifth of that). */
  static final long BUDGET_BYTES = 24L << 20;

  private static final ThreadLocal<SoftReference<StripMemo>> MEMO = new ThreadLocal<>();

  private static final class Entry {
    final byte[] pixels;
    final byte[] jpeg;
    long hits;
    long stamp; // this memo's clock at the last put or hit

    Entry(byte[] pixels, byte[] jpeg, long stamp) {
      this.pixels = pixels;
      this.jpeg = jpeg;
      this.stamp = stamp;
    }
  }

  private final int width;
  private final int height;
  private final int quality;
  private final int stripRows;
  private final int perStrip;
  private final Entry[][] entries;
  private long clock;
  private long hitCount;

  private StripMemo(int width, int height, int quality, int stripRows, int perStrip) {
    this.width = width;
    this.height = height;
    this.quality = quality;
    this.stripRows = stripRows;
    this.perStrip = perStrip;
    this.entries = new Entry[(height + stripRows - 1) / stripRows][perStrip];
  }

  /**
   * This thread's memo for images of this geometry, or {@code null} when an image of this size is
   * too large to keep any strips of within the budget.
   */
  public static StripMemo forImage(int width, int height, int quality, int stripRows) {
    SoftReference<StripMemo> ref = MEMO.get();
    StripMemo m = ref == null ? null : ref.get();
    if (m != null
        && m.width == width
        && m.height == height
        && m.quality == quality
        && m.stripRows == stripRows) {
      return m;
    }
    long imageBytes = 3L * width * height;
    int perStrip = (int) Math.min(PER_STRIP, BUDGET_BYTES / imageBytes);
    if (perStrip < 1) {
      MEMO.remove();
      return null;
    }
    m = new StripMemo(width, height, quality, stripRows, perStrip);
    MEMO.set(new SoftReference<>(m));
    return m;
  }

  /**
   * The JPEG of strip {@code s} if its pixels — rows {@code [s × stripRows, …)} of {@code data}, an
   * interleaved RGB image of this memo's width — equal an entry's; else {@code null}.
   */
  public byte[] find(int s, byte[] data) {
    for (Entry e : entries[s]) {
      if (e != null && Arrays.equals(e.pixels, 0, e.pixels.length, data, from(s), to(s))) {
        e.hits++;
        e.stamp = ++clock;
        hitCount++;
        return e.jpeg;
      }
    }
    return null;
  }

  /** How many strips this memo has returned (for tests and diagnostics). */
  public long hits() {
    return hitCount;
  }

  /** Entries kept per strip position for this geometry (at most {@value #PER_STRIP}). */
  public int perStrip() {
    return perStrip;
  }

  /**
   * Remembers {@code jpeg} as the encoding of strip {@code s} of {@code data} (see {@link #find}).
   */
  public void put(int s, byte[] data, byte[] jpeg) {
    Entry[] slots = entries[s];
    int victim = -1;
    for (int i = 0; i < perStrip && victim < 0; i++) {
      if (slots[i] == null) {
        victim = i;
      }
    }
    if (victim < 0) {
      victim = 0;
      for (int i = 1; i < perStrip; i++) {
        Entry e = slots[i];
        Entry v = slots[victim];
        boolean unhitFirst = (e.hits == 0) != (v.hits == 0);
        if (unhitFirst ? e.hits == 0 : e.stamp < v.stamp) {
          victim = i;
        }
      }
    }
    slots[victim] = new Entry(Arrays.copyOfRange(data, from(s), to(s)), jpeg, ++clock);
  }

  /** The first byte of strip {@code s} in an interleaved RGB image of this geometry. */
  private int from(int s) {
    return s * stripRows * 3 * width;
  }

  /** The byte after strip {@code s} (the last strip may be shorter). */
  private int to(int s) {
    return Math.min(height, (s + 1) * stripRows) * 3 * width;
  }
}
