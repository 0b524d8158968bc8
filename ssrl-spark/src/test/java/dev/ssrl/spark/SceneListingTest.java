package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Listing lines, parsed without Spark. */
class SceneListingTest {
  private static final String BASE = "hdfs://nn:8020/data/scenes";

  private static List<Object> fields(String line) {
    Row r = SceneListing.parse(line, BASE);
    return java.util.Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
  }

  @Test
  void relativePathsResolveAgainstTheListingsFolderAndTheIdDefaultsToTheStem() {
    assertEquals(
        java.util.Arrays.asList("x", BASE + "/rgb/x.jpg", BASE + "/depth/x.h5", null, null),
        fields("rgb/x.jpg,depth/x.h5"));
    assertEquals(
        java.util.Arrays.asList(
            "d1", "s3a://b/d.png", "s3a://b/d_depth.npy", "s3a://b/d_depth_mask.npy", null),
        fields(" s3a://b/d.png , s3a://b/d_depth.npy , s3a://b/d_depth_mask.npy , d1 "));
    assertEquals(
        java.util.Arrays.asList("a,b", "/abs/a,b.png", null, null, null),
        fields("/abs/a,b.png\t\t\ta,b"),
        "tabs separate fields when the line has one, so paths may hold commas");
  }

  @Test
  void blankCommentAndHeaderLinesAreSkipped() {
    assertNull(SceneListing.parse("", BASE));
    assertNull(SceneListing.parse("   ", BASE));
    assertNull(SceneListing.parse("# a comment", BASE));
    assertNull(SceneListing.parse("rgb,depth,mask,id", BASE));
  }

  @Test
  void malformedLinesCarryAnError() {
    assertTrue(((String) fields("a,b,c,d,e").get(4)).contains("at most 4 fields"));
    assertTrue(((String) fields(",x.npy").get(4)).contains("rgb field is empty"));
    assertTrue(((String) fields("a.png,,m.npy").get(4)).contains("mask needs a depth"));
  }

  /**
   * Ids become parts of image file names: what would make folders, a URI scheme, a broken name or
   * an over-long one is refused with the reason; what the CLI itself writes (its {@code \\xNN}
   * escapes, non-ASCII letters, dots, spaces) passes.
   */
  @Test
  void idsThatCannotNameFilesAreMalformedLines() {
    for (String id : List.of("a/b", "../up", "x:y", "soh\u0001", "nul\u0000", "bad\uFFFD")) {
      String error = (String) fields("p.png,,," + id).get(4);
      assertTrue(
          error != null && error.contains("cannot be part of a file name"), id + ": " + error);
      assertThrows(IllegalArgumentException.class, () -> SceneEntry.rgbOnly(id, "p.png"), id);
    }
    String longId = "é".repeat(SceneListing.MAX_ID_BYTES / 2 + 1);
    assertTrue(((String) fields("p.png,,," + longId).get(4)).contains("bytes in UTF-8"));
    for (String id : List.of("caf\\xc3\\xa9", "café", "..", "a b.c", "x".repeat(200))) {
      assertNull(fields("p.png,,," + id).get(4), id);
      assertEquals(id, fields("p.png,,," + id).get(0));
    }
  }

  @Test
  void sourcesAreCheckedWhenTheListingIsMade() {
    assertThrows(IllegalArgumentException.class, () -> SceneListing.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> SceneListing.of(" "));
    assertThrows(IllegalArgumentException.class, () -> SceneListing.of("synthetic:-1"));
    assertEquals(
        List.of("synthetic:3", "/data"), SceneListing.of("synthetic:3", "/data").sources());
    assertThrows(IllegalArgumentException.class, () -> new SceneEntry("x", "x.png", null, "m.npy"));
  }
}
