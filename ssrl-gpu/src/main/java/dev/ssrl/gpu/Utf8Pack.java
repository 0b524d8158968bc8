package dev.ssrl.gpu;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Strings packed for the reward kernel: their bytes back to back, and {@code n + 1} offsets (item i
 * is {@code bytes[offsets[i], offsets[i+1])}).
 *
 * <p>The bytes are UTF-8, generalised to unpaired surrogates (as in WTF-8): a lone surrogate is
 * written as the 3-byte form of its code unit rather than as the {@code '?'} that {@link
 * String#getBytes} writes. The encoding is then injective on Java strings, so two texts have equal
 * bytes exactly when they are equal strings, and the kernel's byte comparisons agree with
 * ssrl-verify's {@code String} comparisons (with {@code '?'} a lone-surrogate answer would match
 * the ground truth {@code "?"}). The reference (Python) could not have received a lone surrogate at
 * all.
 */
final class Utf8Pack {
  /** From this many items on, encoding and copying run on the common fork-join pool. */
  static final int PARALLEL_FROM = 4096;

  final byte[] bytes;
  final long[] offsets;

  private Utf8Pack(byte[] bytes, long[] offsets) {
    this.bytes = bytes;
    this.offsets = offsets;
  }

  /**
   * Packs {@code items}; a null item packs as the empty string when {@code nullAsEmpty}.
   *
   * @param what names the list in error messages ("responses", "ground truths")
   * @throws IllegalArgumentException if an item is null (and not allowed), or the batch exceeds the
   *     2 GiB a Java array holds
   */
  static Utf8Pack of(List<String> items, boolean nullAsEmpty, String what) {
    int n = items.size();
    String[] in = items.toArray(new String[0]);
    for (int i = 0; i < n; i++) {
      if (in[i] == null && !nullAsEmpty) {
        throw new IllegalArgumentException(what + "[" + i + "] is null");
      }
    }
    byte[][] encoded = new byte[n][];
    // Encoding dominates packing (the scorer packs ~64 MiB per large batch); items are independent,
    // so big batches encode in parallel. The result does not depend on the thread count.
    IntStream range = IntStream.range(0, n);
    (n >= PARALLEL_FROM ? range.parallel() : range)
        .forEach(i -> encoded[i] = in[i] == null ? new byte[0] : encode(in[i]));
    long[] offsets = new long[n + 1];
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += encoded[i].length;
      if (total > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            what + " exceed 2 GiB of UTF-8 at item " + i + "; score the batch in parts");
      }
      offsets[i + 1] = total;
    }
    byte[] bytes = new byte[(int) total];
    IntStream copies = IntStream.range(0, n);
    (n >= PARALLEL_FROM ? copies.parallel() : copies)
        .forEach(i -> System.arraycopy(encoded[i], 0, bytes, (int) offsets[i], encoded[i].length));
    return new Utf8Pack(bytes, offsets);
  }

  /** Generalised UTF-8 of {@code s} (see the class comment). */
  static byte[] encode(String s) {
    // The JDK encoder is much faster than a char loop, and differs from the generalised form only
    // where it wrote '?' for a lone surrogate: without a '?' in its output there is nothing to
    // redo; with one, a char scan decides (a real '?' is common in text, a surrogate is not).
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (!contains(b, (byte) '?')) {
      return b;
    }
    for (int i = 0, n = s.length(); i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return encodeWithSurrogates(s);
      }
    }
    return b;
  }

  private static boolean contains(byte[] b, byte v) {
    for (byte x : b) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static byte[] encodeWithSurrogates(String s) {
    byte[] out = new byte[3 * s.length()];
    int k = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[k++] = (byte) c;
      } else if (c < 0x800) {
        out[k++] = (byte) (0xC0 | c >> 6);
        out[k++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[k++] = (byte) (0xF0 | cp >> 18);
        out[k++] = (byte) (0x80 | cp >> 12 & 0x3F);
        out[k++] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[k++] = (byte) (0x80 | cp & 0x3F);
      } else {
        // Any other BMP unit, a lone surrogate included: the 3-byte form.
        out[k++] = (byte) (0xE0 | c >> 12);
        out[k++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[k++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }
}
