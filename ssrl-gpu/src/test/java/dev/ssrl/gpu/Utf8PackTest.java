package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the packing: well-formed strings are packed as standard UTF-8, and the encoding is
 * injective on all Java strings (lone surrogates included), so byte equality in the kernel is
 * string equality in ssrl-verify.
 */
class Utf8PackTest {
  private static final char[] ALPHABET = {
    'a', '?', '{', ' ', '\u0000', '\u00e9', '\u3000', '\ud83d', '\ude00', '\ud800', '\udfff',
    '\uffff'
  };

  @Test
  void wellFormedStringsAreStandardUtf8() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      String s = random(rnd);
      if (s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)) {
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Utf8Pack.encode(s), s);
      }
    }
  }

  @Test
  void equalBytesExactlyWhenEqualStrings() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int i = 0; i < 50_000; i++) {
      String a = random(rnd);
      String b = rnd.nextInt(4) == 0 ? a : random(rnd);
      assertEquals(
          a.equals(b),
          java.util.Arrays.equals(Utf8Pack.encode(a), Utf8Pack.encode(b)),
          RewardCrossCheckTest.escape(a) + " vs " + RewardCrossCheckTest.escape(b));
    }
  }

  @Test
  void aLoneSurrogateIsItsThreeByteFormNotAQuestionMark() {
    assertArrayEquals(
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, Utf8Pack.encode("\ud800"));
    assertArrayEquals(
        new byte[] {
          (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xED, (byte) 0xB8, (byte) 0x80
        },
        Utf8Pack.encode("\ud83d\ude00\ude00"));
  }

  @Test
  void aLargeBatchPacksInParallelExactlyAsItemByItem() {
    SplittableRandom rnd = new SplittableRandom(3);
    java.util.List<String> items = new java.util.ArrayList<>();
    for (int i = 0; i < 3 * Utf8Pack.PARALLEL_FROM; i++) {
      items.add(random(rnd) + "?".repeat(i % 3) + random(rnd));
    }
    Utf8Pack p = Utf8Pack.of(items, false, "items");
    int at = 0;
    for (int i = 0; i < items.size(); i++) {
      byte[] one = Utf8Pack.encode(items.get(i));
      assertEquals(at, p.offsets[i]);
      assertArrayEquals(one, java.util.Arrays.copyOfRange(p.bytes, at, at + one.length));
      at += one.length;
    }
    assertEquals(at, p.bytes.length);
  }

  private static String random(SplittableRandom rnd) {
    char[] c = new char[rnd.nextInt(6)];
    for (int j = 0; j < c.length; j++) {
      c[j] = ALPHABET[rnd.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }
}
