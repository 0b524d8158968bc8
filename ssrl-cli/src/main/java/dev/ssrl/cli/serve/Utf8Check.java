package dev.ssrl.cli.serve;

import java.util.Locale;

/**
 * Strict UTF-8 validation of a request body (RFC 3629, Unicode table 3-7): overlong forms, encoded
 * surrogates (CESU-8, "lone surrogates" in bytes), code points above U+10FFFF, stray continuation
 * bytes and truncated sequences are all errors naming the byte offset, so that nothing is ever
 * decoded to U+FFFD behind the client's back.
 *
 * <p>A raw NUL byte is refused too: JSON text never contains one (inside strings it is {@code
 * \u0000}), and Jackson would take NULs in the first bytes as a sign of UTF-16 or UTF-32.
 */
public final class Utf8Check {
  private Utf8Check() {}

  /** {@code null} when {@code b[0..len)} is well-formed UTF-8 without NUL; else what is wrong. */
  public static String problem(byte[] b, int len) {
    int i = 0;
    while (i < len) {
      int c = b[i];
      if (c > 0) {
        i++;
        continue;
      }
      if (c == 0) {
        return "body has a raw NUL byte at byte offset "
            + i
            + " (JSON writes it as \\u0000; UTF-16 and UTF-32 bodies are not accepted)";
      }
      c &= 0xFF;
      int need;
      int min2;
      int max2 = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        min2 = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        min2 = c == 0xE0 ? 0xA0 : 0x80;
        if (c == 0xED) {
          max2 = 0x9F;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        min2 = c == 0xF0 ? 0x90 : 0x80;
        if (c == 0xF4) {
          max2 = 0x8F;
        }
      } else if (c >= 0x80 && c <= 0xBF) {
        return at(i, b, len, "continuation byte without a lead byte");
      } else if (c == 0xC0 || c == 0xC1) {
        return at(i, b, len, "overlong encoding (a 2-byte form of an ASCII character)");
      } else {
        return at(i, b, len, String.format(Locale.ROOT, "byte 0x%02X never appears in UTF-8", c));
      }
      if (i + need >= len) {
        // Fewer bytes left than the lead byte announces.
        return at(i, b, len, "sequence cut off by the end of the body");
      }
      int c2 = b[i + 1] & 0xFF;
      if (c2 < min2 || c2 > max2) {
        if (c2 >= 0x80 && c2 <= 0xBF) {
          if (c == 0xED) {
            return at(i, b, len, "encoded UTF-16 surrogate (lone surrogates are not UTF-8)");
          }
          if (c == 0xF4) {
            return at(i, b, len, "code point above U+10FFFF");
          }
          return at(i, b, len, "overlong encoding");
        }
        return at(i, b, len, "sequence ends early (byte " + (i + 1) + " is not a continuation)");
      }
      for (int k = 2; k <= need; k++) {
        int ck = b[i + k] & 0xFF;
        if (ck < 0x80 || ck > 0xBF) {
          return at(i, b, len, "sequence ends early (byte " + (i + k) + " is not a continuation)");
        }
      }
      i += need + 1;
    }
    return null;
  }

  private static String at(int offset, byte[] b, int len, String what) {
    StringBuilder hex = new StringBuilder();
    for (int k = offset; k < Math.min(len, offset + 4); k++) {
      hex.append(hex.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", b[k]));
    }
    return "body is not valid UTF-8 at byte offset "
        + offset
        + ": "
        + what
        + " (bytes "
        + hex
        + ")";
  }
}
