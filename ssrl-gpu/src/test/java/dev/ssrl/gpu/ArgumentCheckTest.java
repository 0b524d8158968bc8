package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input packing and argument checks, which run before any device work and need no GPU. */
class ArgumentCheckTest {

  @Test
  void packingKeepsEachItemsEncodedBytesBetweenItsOffsets() {
    qt().forAll(lists().of(strings().allPossible().ofLengthBetween(0, 12)).ofSizeBetween(0, 20))
        .checkAssert(
            items -> {
              Utf8Pack p = Utf8Pack.of(items, false, "items");
              assertEquals(items.size() + 1, p.offsets.length);
              assertEquals(0, p.offsets[0]);
              assertEquals(p.bytes.length, p.offsets[items.size()]);
              for (int i = 0; i < items.size(); i++) {
                byte[] slice =
                    Arrays.copyOfRange(p.bytes, (int) p.offsets[i], (int) p.offsets[i + 1]);
                assertArrayEquals(Utf8Pack.encode(items.get(i)), slice);
              }
            });
  }

  @Test
  void aNullResponsePacksEmptyButANullTruthIsNamed() {
    Utf8Pack p = Utf8Pack.of(Arrays.asList("a", null, "b"), true, "responses");
    assertEquals(0, p.offsets[2] - p.offsets[1]);
    assertEquals(2, p.bytes.length);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Utf8Pack.of(Arrays.asList("a", null), false, "ground truths"));
    assertEquals("ground truths[1] is null", e.getMessage());
  }

  @Test
  void groupOffsetsMustPartitionTheRewards() {
    double[] r = {1, 0, 1};
    GpuRolloutScorer.checkGroups(r, new int[] {0, 1, 1, 3});
    assertThrows(IllegalArgumentException.class, () -> GpuRolloutScorer.checkGroups(r, new int[0]));
    assertThrows(
        IllegalArgumentException.class, () -> GpuRolloutScorer.checkGroups(r, new int[] {1, 3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> GpuRolloutScorer.checkGroups(r, new int[] {0, 2, 1, 3}));
    assertThrows(
        IllegalArgumentException.class, () -> GpuRolloutScorer.checkGroups(r, new int[] {0, 2}));
    assertThrows(
        IllegalArgumentException.class,
        () -> GpuRolloutScorer.checkGroups(new double[] {Double.NaN}, new int[] {0, 1}));
  }

  @Test
  void windowArgumentsNameTheBadMap() {
    float[] ok = new float[6];
    GpuWindowStats.checkArguments(List.of(ok), 3, 2, 2);
    assertThrows(
        IllegalArgumentException.class, () -> GpuWindowStats.checkArguments(List.of(ok), 3, 2, 3));
    assertThrows(
        IllegalArgumentException.class, () -> GpuWindowStats.checkArguments(List.of(ok), 3, 2, 0));
    assertThrows(
        IllegalArgumentException.class, () -> GpuWindowStats.checkArguments(List.of(ok), 0, 2, 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GpuWindowStats.checkArguments(List.of(ok, new float[5]), 3, 2, 1));
    assertTrue(e.getMessage().startsWith("map 1 has 5 values"), e.getMessage());
  }
}
