package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

class RejectLineTest {
  @Test
  void aTaskRejectionHasTheFourKeys() {
    assertEquals(
        "{\"scene\":\"case1\",\"task\":\"depth\",\"variant\":1,\"reason\":\"depth: no depth map\"}",
        RejectLine.ofTask("case1", new WorkItem("depth", 1), "depth: no depth map").toJson());
  }

  @Test
  void aLoadRejectionAddsCauseThenSource() {
    RejectLine r =
        new RejectLine("s", "flip", 0, "load: /d/s.png: truncated", "load: truncated", "/d/s.png");
    assertEquals(
        "{\"scene\":\"s\",\"task\":\"flip\",\"variant\":0,\"reason\":\"load: /d/s.png: truncated\","
            + "\"cause\":\"load: truncated\",\"source\":\"/d/s.png\"}",
        r.toJson());
    assertEquals("load: truncated", r.countKey());
  }

  @Test
  void aCauseEqualToTheReasonIsDropped() {
    RejectLine r =
        new RejectLine("s", "flip", 0, "load: file not found", "load: file not found", "x");
    assertNull(r.cause());
    assertEquals("load: file not found", r.countKey());
    assertTrue(!r.toJson().contains("cause"), r.toJson());
  }

  /** Any line written parses back to the same rejection (unicode, quotes, control characters). */
  @Test
  void roundTrips() {
    qt().forAll(
            strings().allPossible().ofLengthBetween(0, 16),
            integers().between(0, 4003),
            strings().allPossible().ofLengthBetween(0, 24),
            strings().allPossible().ofLengthBetween(0, 8))
        .check(
            (text, n, reason, extra) -> {
              int variant = n / 4;
              int shape = n % 4;
              String cause = (shape & 1) != 0 ? extra : null;
              String source = (shape & 2) != 0 ? text + "/" + extra : null;
              RejectLine r = new RejectLine(text, "t" + extra, variant, reason, cause, source);
              String line = r.toJson();
              return RejectLine.parse(line, "test").equals(r) && !line.contains("\n");
            });
  }

  @Test
  void badLinesNameTheLineAndTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RejectLine.parse(
                    "{\"scene\":\"s\",\"task\":\"t\",\"variant\":1}", "r.jsonl line 3"));
    assertEquals("r.jsonl line 3: missing 'reason'", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RejectLine.parse(
                    "{\"scene\":\"s\",\"task\":\"t\",\"variant\":\"1\",\"reason\":\"r\"}", "L"));
    assertEquals("L: 'variant' must be an integer", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RejectLine.parse(
                    "{\"scene\":\"s\",\"scene\":\"s\",\"task\":\"t\",\"variant\":1,\"reason\":\"r\"}",
                    "L"));
    assertTrue(
        e.getMessage().startsWith("L: not valid JSON: Duplicate field 'scene'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RejectLine.parse("[1]", "L"));
    assertEquals("L: a reject line must be a JSON object", e.getMessage());
  }
}
