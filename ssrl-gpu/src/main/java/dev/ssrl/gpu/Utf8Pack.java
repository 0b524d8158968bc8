package dev.ssrl.gpu;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Strings packed for the reward kernel: their UTF-8 bytes back to back, and {@code n + 1} offsets
 * (item i is {@code bytes[offsets[i], offsets[i+1])}). Java's encoder writes an unpaired surrogate
 * as {@code '?'}; the reference (Python) could not have received one at all.
 */
final class Utf8Pack {
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
    byte[][] encoded = new byte[n][];
    long[] offsets = new long[n + 1];
    long total = 0;
    for (int i = 0; i < n; i++) {
      String s = items.get(i);
      if (s == null && !nullAsEmpty) {
        throw new IllegalArgumentException(what + "[" + i + "] is null");
      }
      encoded[i] = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
      total += encoded[i].length;
      if (total > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            what + " exceed 2 GiB of UTF-8 at item " + i + "; score the batch in parts");
      }
      offsets[i + 1] = total;
    }
    byte[] bytes = new byte[(int) total];
    for (int i = 0; i < n; i++) {
      System.arraycopy(encoded[i], 0, bytes, (int) offsets[i], encoded[i].length);
    }
    return new Utf8Pack(bytes, offsets);
  }
}
