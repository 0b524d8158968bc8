package dev.ssrl.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ScoreLine} against Jackson's tree reading: whatever line it accepts, the strictly decoded
 * line is a JSON object that Jackson reads to the same five fields (strings, or integers written
 * back with the same digits), whose other fields hold only strings, numbers, booleans or null; and
 * it accepts the plain rollout lines it exists for, trainer extras and integer ids included.
 */
class ScoreLineTest {
  private static final String[] PIECES = {
    "a",
    "the ",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u00e9",
    "\\u00E9",
    "\\ud83d\\ude00",
    "\\ud83d",
    "\\ude00x",
    "\\b\\f\\r",
    "深度",
    "😀",
    "é",
    "\u2028",
    "\u007f",
    "\\boxed{C}",
    "{",
    "}",
    "<think>",
    "\\x",
    "\\u12",
    "\\uZZZZ",
    "\t",
    "\u0001",
    "\"",
    "\\"
  };

  /** Pieces of valid JSON string content, as a rollout file holds them. */
  private static final String[] PLAIN = {
    "a",
    "the ",
    "\\n",
    "\\\"",
    "\\\\",
    "\\u00e9",
    "\\ud83d\\ude00",
    "深度",
    "😀",
    "é",
    "\\boxed{C}",
    "<think>",
    " "
  };

  private static String text(SplittableRandom rnd, String[] pieces) {
    StringBuilder b = new StringBuilder();
    int n = rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append(pieces[rnd.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  /** Numbers as JSON has them, and near misses Jackson refuses or writes back differently. */
  private static final String[] NUMBERS = {
    "0",
    "7",
    "-3",
    "42",
    "123456789012345678",
    "1234567890123456789",
    "-0",
    "01",
    "1.",
    "1.5",
    "-0.25",
    "1e5",
    "2E-3",
    "1.5e+3",
    ".5",
    "+1",
    "-",
    "1e",
    "0x1F",
    "NaN",
    "Infinity",
    "1_000"
  };

  private static String value(SplittableRandom rnd, boolean plain) {
    if (plain) {
      return rnd.nextInt(10) == 0 ? "null" : "\"" + text(rnd, PLAIN) + "\"";
    }
    return switch (rnd.nextInt(12)) {
      case 0 -> "null";
      case 1 -> "nul";
      case 2 -> Integer.toString(rnd.nextInt(100));
      case 3 -> "{\"x\":1}";
      case 4 -> NUMBERS[rnd.nextInt(NUMBERS.length)];
      case 5 -> new String[] {"true", "false", "tru", "falsey", "[1]", "[]"}[rnd.nextInt(6)];
      default -> "\"" + text(rnd, PIECES) + "\"";
    };
  }

  private static final String[] NAMES = {"id", "group", "response", "answer", "task", "grid"};

  /** Other field names: a trainer's extras, look-alikes of the six, escaped and odd names. */
  private static final String[] OTHER_NAMES = {
    "prompt", "step", "extra", "Answer", "Grid", "ids", "\\u0069d", "na\\\"me", "é", "\u0001", ""
  };

  /** A line of the common shape, or (plain false) one with odd values, names and spacing. */
  private static String line(SplittableRandom rnd, boolean plain) {
    StringBuilder b = new StringBuilder("{");
    int fields = 1 + rnd.nextInt(plain ? 6 : 7);
    boolean first = true;
    for (int i = 0; i < fields; i++) {
      String name =
          plain
              ? NAMES[i % NAMES.length]
              : rnd.nextInt(5) == 0
                  ? OTHER_NAMES[rnd.nextInt(OTHER_NAMES.length)]
                  : NAMES[rnd.nextInt(NAMES.length)];
      if (!first) {
        b.append(plain || rnd.nextInt(5) != 0 ? "," : " , ");
      }
      first = false;
      b.append('"').append(name).append('"');
      b.append(plain || rnd.nextInt(4) != 0 ? ":" : "\t: ");
      b.append(name.equals("answer") && plain ? "\"C\"" : value(rnd, plain));
    }
    if (plain && fields < 4) {
      b.append(",\"answer\":\"2-1-3\"");
    }
    b.append('}');
    if (!plain && rnd.nextInt(6) == 0) {
      b.append(rnd.nextBoolean() ? "  " : " x");
    }
    return b.toString();
  }

  /** The invariant: an accepted line reads, through Jackson, to the same fields. */
  private static void check(ScoreLine reader, byte[] bytes)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    ScoreLine.Fields f = reader.read(bytes, 0, bytes.length);
    if (f == null) {
      return;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("accepted malformed UTF-8: " + new String(bytes), e);
    }
    JsonNode n = Json.MAPPER.readTree(text);
    String what = text;
    assertTrue(n.isObject(), what);
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      JsonNode v = n.get(name);
      if (name.equals("id") || name.equals("group")) {
        assertTrue(v.isTextual() || v.isNull() || v.isIntegralNumber(), what);
      } else if (Set.of(NAMES).contains(name)) {
        assertTrue(v.isTextual() || v.isNull(), what);
      } else {
        assertTrue(v.isValueNode(), what);
      }
    }
    assertEquals(idText(n, "id"), f.id(), what);
    assertEquals(n.has("id") && n.get("id").isIntegralNumber(), f.idNumber(), what);
    assertEquals(idText(n, "group"), f.group(), what);
    assertEquals(n.has("group") && n.get("group").isIntegralNumber(), f.groupNumber(), what);
    assertEquals(text(n, "response"), f.response(), what);
    assertEquals(text(n, "answer"), f.answer(), what);
    assertEquals(text(n, "task"), f.task(), what);
    assertEquals(text(n, "grid"), f.grid(), what);
  }

  /** A string's text, or an integer as Jackson writes it back. */
  private static String idText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isIntegralNumber() ? Json.write(v) : text(n, field);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  @Test
  void acceptedLinesReadAsJacksonReadsThem() throws Exception {
    SplittableRandom rnd = new SplittableRandom(17);
    ScoreLine reader = new ScoreLine(1 << 20);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = line(rnd, rnd.nextInt(3) == 0).getBytes(StandardCharsets.UTF_8);
      if (rnd.nextInt(4) == 0) {
        // Damage a byte: stray continuation bytes, lone lead bytes, an encoded surrogate, NUL.
        int at = rnd.nextInt(bytes.length);
        bytes[at] =
            (byte)
                new int[] {0x80, 0xC0, 0xC2, 0xED, 0xF4, 0xF8, 0xFF, 0, '"', '\\'}[rnd.nextInt(10)];
      }
      if (rnd.nextInt(10) == 0) {
        bytes = java.util.Arrays.copyOf(bytes, rnd.nextInt(bytes.length + 1));
      }
      try {
        check(reader, bytes);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(
            "accepted a line Jackson refuses: " + new String(bytes, StandardCharsets.UTF_8), e);
      }
      if (reader.read(bytes, 0, bytes.length) != null) {
        accepted++;
      }
    }
    assertTrue(accepted > 1000, "the generator reaches accepted lines: " + accepted);
  }

  @Test
  void plainRolloutLinesAreAcceptedWithTheirValues() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    ScoreLine reader = new ScoreLine(1 << 20);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = line(rnd, true).getBytes(StandardCharsets.UTF_8);
      assertNotNull(reader.read(bytes, 0, bytes.length), new String(bytes, StandardCharsets.UTF_8));
      check(reader, bytes);
    }
  }

  @Test
  void trainerExtrasAndIntegerIdsAreReadWithoutTheGeneralPath() throws Exception {
    ScoreLine reader = new ScoreLine(1 << 20);
    String[] lines = {
      "{\"id\":17,\"group\":3,\"prompt\":\"<image>Which?\\n\",\"step\":120,\"score\":0.5,"
          + "\"done\":true,\"ref\":null,\"response\":\"\\\\boxed{B}\",\"answer\":\"B\"}",
      "{\"answer\":\"1-2\",\"id\":-4,\"kl\":-1.5e-3,\"truncated\":false}"
    };
    for (String line : lines) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      assertNotNull(reader.read(bytes, 0, bytes.length), line);
      check(reader, bytes);
    }
    ScoreLine.Fields f =
        reader.read(lines[0].getBytes(StandardCharsets.UTF_8), 0, lines[0].length());
    assertEquals("17", f.id());
    assertTrue(f.idNumber());
    assertEquals("3", f.group());
    assertEquals("\\boxed{B}", f.response());
    String[] general = {
      "{\"answer\":\"B\",\"step\":1,\"step\":2}",
      "{\"answer\":\"B\",\"id\":1.0}",
      "{\"answer\":\"B\",\"id\":-0}",
      "{\"answer\":\"B\",\"meta\":{\"k\":1}}",
      "{\"answer\":\"B\",\"step\":01}",
      "{\"answer\":\"B\",\"\\u0069d\":\"x\"}"
    };
    for (String line : general) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      assertNull(reader.read(bytes, 0, bytes.length), line);
    }
  }

  @Test
  void aLineInsideALargerBufferIsReadWithinItsBounds() {
    byte[] b = "xx{\"answer\":\"C\",\"id\":\"r1\"}{\"answer\":1}".getBytes(StandardCharsets.UTF_8);
    ScoreLine.Fields f = new ScoreLine(100).read(b, 2, 26);
    assertNotNull(f);
    assertEquals("C", f.answer());
    assertEquals("r1", f.id());
    assertNull(f.group());
    assertNull(new ScoreLine(100).read(b, 2, 25), "cut before the closing brace");
  }

  @Test
  void stringsOverTheLimitAreLeftToTheGeneralPath() {
    ScoreLine reader = new ScoreLine(8);
    byte[] ok = "{\"answer\":\"12345678\"}".getBytes(StandardCharsets.UTF_8);
    byte[] tooLong = "{\"answer\":\"123456789\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("12345678", reader.read(ok, 0, ok.length).answer());
    assertNull(reader.read(tooLong, 0, tooLong.length));
  }
}
