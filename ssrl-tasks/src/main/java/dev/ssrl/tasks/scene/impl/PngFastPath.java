package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.impl.Parallel;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNG layouts photos come in — 8-bit RGB, RGBA and grey, not interlaced, without {@code
 * tRNS} — straight into interleaved RGB, one row at a time.
 *
 * <p>Why: ImageIO's reader builds a {@code BufferedImage} and RGBA then goes through a per-pixel
 * conversion; together they cost about as much as inflating the data. Here each row is inflated,
 * unfiltered and converted in place, with the same results as {@link RgbReader}'s ImageIO path
 * (alpha composited over white with the same rounding), which a property test checks on generated
 * images using every filter type.
 *
 * <p>Anything else — other bit depths, palettes, interlacing, {@code tRNS}, and any data that does
 * not decode cleanly (bad filter byte, zlib error, too little data) — answers {@code null}, and the
 * caller falls back to ImageIO, which owns the error messages for broken files.
 */
final class PngFastPath {
  private PngFastPath() {}

  /**
   * Interleaved RGB of a complete PNG file whose header was already checked, or {@code null} when
   * this layout or this file is left to ImageIO.
   */
  static byte[] decode(byte[] png, int width, int height) {
    int depth = png[24] & 0xFF;
    int colourType = png[25] & 0xFF;
    if (depth != 8 || png[26] != 0 || png[27] != 0 || png[28] != 0) {
      return null;
    }
    int bpp;
    switch (colourType) {
      case PngHeader.GREY -> bpp = 1;
      case PngHeader.RGB -> bpp = 3;
      case PngHeader.RGBA -> bpp = 4;
      default -> {
        return null;
      }
    }
    long rowLong = (long) width * bpp;
    long outLong = (long) width * height * 3;
    if (rowLong > Integer.MAX_VALUE - 8 || outLong > Integer.MAX_VALUE - 8) {
      return null;
    }
    int rowBytes = (int) rowLong;
    Chunks chunks = new Chunks(png);
    if (!chunks.toFirstIdat()) {
      return null;
    }
    byte[] out = new byte[(int) outLong];
    if (pipelined(rowBytes, height)) {
      return decodePipelined(png, chunks, out, width, height, rowBytes, bpp, colourType);
    }
    byte[] prev = new byte[rowBytes];
    byte[] cur = new byte[rowBytes];
    byte[] filter = new byte[1];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(png, chunks.dataStart, chunks.dataLength);
      for (int y = 0; y < height; y++) {
        if (!fill(inflater, chunks, filter, 0, 1) || !fill(inflater, chunks, cur, 0, rowBytes)) {
          return null;
        }
        if (!unfilter(filter[0], cur, prev, bpp)) {
          return null;
        }
        toRgb(cur, out, y * width * 3, width, colourType);
        byte[] t = prev;
        prev = cur;
        cur = t;
      }
      return out;
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  // Images with at least this many bytes of filtered data are decoded on two threads when
  // Parallel is enabled: below about a megabyte the hand-off costs more than it saves. Tests lower
  // it, and switch Parallel off, to run each route; the routes must agree byte for byte.
  static volatile int pipelineMinBytes = 1 << 20;

  private static boolean pipelined(int rowBytes, int height) {
    return Parallel.enabled
        && (long) (rowBytes + 1) * height >= pipelineMinBytes
        && Parallel.idleCommonPool();
  }

  /**
   * Decodes with this thread inflating while a pool thread unfilters and converts the rows already
   * inflated. Inflating and unfiltering (Paeth, above all) cost about the same, so a photo decodes
   * in a little over half the time when a core is free. When none is — the pool has not started the
   * unfiltering by the time the inflate ends — this thread unfilters everything itself: the result
   * is the same, and nothing ever waits on a task that has not started.
   */
  private static byte[] decodePipelined(
      byte[] png,
      Chunks chunks,
      byte[] out,
      int width,
      int height,
      int rowBytes,
      int bpp,
      int colourType) {
    Rows rows =
        new Rows(new byte[(rowBytes + 1) * height], out, width, height, rowBytes, bpp, colourType);
    ForkJoinPool.commonPool().execute(rows);
    Inflater inf = new Inflater();
    try {
      inf.setInput(png, chunks.dataStart, chunks.dataLength);
      byte[] raw = rows.raw;
      for (int off = 0; off < raw.length; ) {
        int step = Math.min(Rows.STEP, raw.length - off);
        if (!fill(inf, chunks, raw, off, step)) {
          break;
        }
        off += step;
        rows.inflated(off);
      }
    } catch (DataFormatException e) {
      // Corrupt data: the rows see too few bytes and the file is left to ImageIO.
    } finally {
      inf.end();
      rows.inflateEnded();
    }
    return rows.result() ? out : null;
  }

  /**
   * The unfilter-and-convert half of a pipelined decode, following the inflate through {@code raw}.
   * Whoever claims it first runs it: a pool thread, or the inflating thread once it is done.
   */
  private static final class Rows implements Runnable {
    static final int STEP = 64 * 1024;

    final byte[] raw;
    private final byte[] out;
    private final int width;
    private final int height;
    private final int rowBytes;
    private final int bpp;
    private final int colourType;
    private final AtomicBoolean claimed = new AtomicBoolean();
    // Bytes of raw inflated so far, written after the bytes themselves (volatile: publication).
    private volatile int inflated;
    private volatile boolean inflateEnded;
    private volatile Thread unfilterer;
    // Set once the rows are done: ok is read only after done is seen true.
    private volatile boolean done;
    private boolean ok;
    private volatile Thread inflater;

    Rows(byte[] raw, byte[] out, int width, int height, int rowBytes, int bpp, int colourType) {
      this.raw = raw;
      this.out = out;
      this.width = width;
      this.height = height;
      this.rowBytes = rowBytes;
      this.bpp = bpp;
      this.colourType = colourType;
    }

    void inflated(int bytes) {
      inflated = bytes;
      unpark(unfilterer);
    }

    void inflateEnded() {
      inflateEnded = true;
      unpark(unfilterer);
    }

    @Override
    public void run() {
      if (claimed.compareAndSet(false, true)) {
        try {
          ok = unfilterAll();
        } finally {
          done = true;
          unpark(inflater);
        }
      }
    }

    /** Called by the inflating thread after the inflate: the decode's outcome. */
    boolean result() {
      if (claimed.compareAndSet(false, true)) {
        return unfilterAll(); // no pool thread took it: every byte is already here
      }
      inflater = Thread.currentThread();
      while (!done) {
        LockSupport.parkNanos(this, 200_000L); // woken when done; the timeout is a backstop
      }
      return ok;
    }

    private boolean unfilterAll() {
      int stride = rowBytes + 1;
      byte[] prev = new byte[rowBytes];
      byte[] cur = new byte[rowBytes];
      for (int y = 0; y < height; y++) {
        int start = y * stride;
        if (!await(start + stride)) {
          return false;
        }
        System.arraycopy(raw, start + 1, cur, 0, rowBytes);
        if (!unfilter(raw[start], cur, prev, bpp)) {
          return false;
        }
        toRgb(cur, out, y * width * 3, width, colourType);
        byte[] t = prev;
        prev = cur;
        cur = t;
      }
      return true;
    }

    /** Waits until {@code n} bytes are inflated; false when the inflate ends before that. */
    private boolean await(int n) {
      if (inflated >= n) {
        return true;
      }
      unfilterer = Thread.currentThread();
      while (inflated < n && !inflateEnded) {
        LockSupport.parkNanos(this, 200_000L); // woken by each inflated step
      }
      return inflated >= n;
    }

    private static void unpark(Thread t) {
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /**
   * Inflates exactly {@code n} bytes into {@code dst} from {@code from} on, feeding IDAT chunks as
   * needed; false when the data ends first.
   */
  private static boolean fill(Inflater inf, Chunks chunks, byte[] dst, int from, int n)
      throws DataFormatException {
    int off = from;
    int end = from + n;
    while (off < end) {
      int got = inf.inflate(dst, off, end - off);
      off += got;
      if (got == 0) {
        if (inf.finished() || inf.needsDictionary()) {
          return false;
        }
        if (!inf.needsInput() || !chunks.nextIdat()) {
          return false;
        }
        inf.setInput(chunks.png, chunks.dataStart, chunks.dataLength);
      }
    }
    return true;
  }

  /** Undoes the PNG row filter in place; false for an unknown filter type. */
  static boolean unfilter(byte type, byte[] cur, byte[] prev, int bpp) {
    int n = cur.length;
    switch (type) {
      case 0:
        return true;
      case 1:
        for (int i = bpp; i < n; i++) {
          cur[i] += cur[i - bpp];
        }
        return true;
      case 2:
        for (int i = 0; i < n; i++) {
          cur[i] += prev[i];
        }
        return true;
      case 3:
        for (int i = 0; i < bpp; i++) {
          cur[i] += (byte) ((prev[i] & 0xFF) >>> 1);
        }
        for (int i = bpp; i < n; i++) {
          cur[i] += (byte) (((cur[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1);
        }
        return true;
      case 4:
        for (int i = 0; i < bpp; i++) {
          cur[i] += prev[i]; // Paeth with a = c = 0 picks b.
        }
        if (bpp == 3) {
          paeth3(cur, prev);
        } else {
          for (int i = bpp; i < n; i++) {
            cur[i] += (byte) paeth(cur[i - bpp] & 0xFF, prev[i] & 0xFF, prev[i - bpp] & 0xFF);
          }
        }
        return true;
      default:
        return false;
    }
  }

  /**
   * The Paeth predictor of PNG §9.4 (a left, b above, c upper-left; ties prefer a, then b), without
   * branches: which neighbour wins depends on the image, so a branchy version mispredicts on
   * photos, and the mispredictions cost more than the inflate itself.
   */
  static int paeth(int a, int b, int c) {
    int pa = Math.abs(b - c); // |p - a| with p = a + b - c
    int pb = Math.abs(a - c); // |p - b|
    int pc = Math.abs(a + b - 2 * c); // |p - c|
    int cFirst = (pc - pb) >> 31; // -1 when pc < pb: c beats b
    int bc = (b & ~cFirst) | (c & cFirst);
    int pbc = (pb & ~cFirst) | (pc & cFirst);
    int bcFirst = (pbc - pa) >> 31; // -1 when min(pb, pc) < pa: a loses
    return (a & ~bcFirst) | (bc & bcFirst);
  }

  /**
   * Paeth for 3 bytes per pixel with the left and upper-left neighbours held in locals: the general
   * loop re-reads {@code cur[i - 3]} just after storing it, which puts a store-to-load forward on
   * the critical dependency chain of every byte.
   */
  private static void paeth3(byte[] cur, byte[] prev) {
    int n = cur.length;
    int a0 = cur[0] & 0xFF;
    int a1 = cur[1] & 0xFF;
    int a2 = cur[2] & 0xFF;
    int c0 = prev[0] & 0xFF;
    int c1 = prev[1] & 0xFF;
    int c2 = prev[2] & 0xFF;
    for (int i = 3; i + 2 < n; i += 3) {
      int b0 = prev[i] & 0xFF;
      int b1 = prev[i + 1] & 0xFF;
      int b2 = prev[i + 2] & 0xFF;
      a0 = (cur[i] + paeth(a0, b0, c0)) & 0xFF;
      a1 = (cur[i + 1] + paeth(a1, b1, c1)) & 0xFF;
      a2 = (cur[i + 2] + paeth(a2, b2, c2)) & 0xFF;
      cur[i] = (byte) a0;
      cur[i + 1] = (byte) a1;
      cur[i + 2] = (byte) a2;
      c0 = b0;
      c1 = b1;
      c2 = b2;
    }
  }

  private static void toRgb(byte[] row, byte[] out, int o, int width, int colourType) {
    switch (colourType) {
      case PngHeader.RGB -> System.arraycopy(row, 0, out, o, width * 3);
      case PngHeader.GREY -> {
        for (int x = 0; x < width; x++, o += 3) {
          byte v = row[x];
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
        }
      }
      default -> {
        for (int x = 0, s = 0; x < width; x++, s += 4, o += 3) {
          int a = row[s + 3] & 0xFF;
          if (a == 255) {
            out[o] = row[s];
            out[o + 1] = row[s + 1];
            out[o + 2] = row[s + 2];
          } else {
            // Over white, rounded as RgbReader.put does for ImageIO's non-premultiplied RGBA.
            int white = 255 * (255 - a);
            out[o] = (byte) (((row[s] & 0xFF) * a + white + 127) / 255);
            out[o + 1] = (byte) (((row[s + 1] & 0xFF) * a + white + 127) / 255);
            out[o + 2] = (byte) (((row[s + 2] & 0xFF) * a + white + 127) / 255);
          }
        }
      }
    }
  }

  /** A cursor over a PNG's chunks; the file's chunk structure was already validated. */
  private static final class Chunks {
    final byte[] png;
    int next = 8;
    int dataStart;
    int dataLength;

    Chunks(byte[] png) {
      this.png = png;
    }

    /** Moves to the first IDAT; false when a tRNS comes first (ImageIO adds alpha for it). */
    boolean toFirstIdat() {
      while (advance()) {
        if (is('I', 'D', 'A', 'T')) {
          return true;
        }
        if (is('t', 'R', 'N', 'S')) {
          return false;
        }
      }
      return false;
    }

    /** Moves to the next chunk if it is an IDAT (IDAT chunks are consecutive). */
    boolean nextIdat() {
      return advance() && is('I', 'D', 'A', 'T');
    }

    private boolean advance() {
      if (next + 8 > png.length) {
        return false;
      }
      long len = PngHeader.u32(png, next);
      if (len > png.length - next - 12L) {
        return false;
      }
      dataStart = next + 8;
      dataLength = (int) len;
      next = dataStart + dataLength + 4;
      return true;
    }

    private boolean is(char a, char b, char c, char d) {
      int t = dataStart - 4;
      return png[t] == a && png[t + 1] == b && png[t + 2] == c && png[t + 3] == d;
    }
  }
}
