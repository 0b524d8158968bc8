package dev.ssrl.cli.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.ssrl.cli.curate.PassRate.Thresholds;
import dev.ssrl.cli.curate.PassRate.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The pass-rate decision and its tallies, on generated pass-rate tables and thresholds. */
class CuratePassRateTest {
  /** A sample's rollouts: {@code passes} of {@code rollouts} with full accuracy, and a bucket. */
  private record Rolled(int rollouts, int passes, String bucket) {}

  private static Gen<Rolled> rolled() {
    return integers()
        .between(0, 12)
        .flatMap(
            n ->
                integers()
                    .between(0, n)
                    .zip(
                        integers().between(0, PassRate.BUCKETS.size() - 1),
                        (p, b) -> new Rolled(n, p, PassRate.BUCKETS.get(b))));
  }

  /**
   * Thresholds: often exactly a rate some sample has (k/12 or k/n written as a decimal), so the
   * boundary is exercised, sometimes outside [0, 1].
   */
  private static Gen<Double> bound() {
    Gen<Double> rational =
        integers()
            .between(0, 12)
            .zip(integers().between(1, 12), (k, n) -> Math.min(1.0, k / (double) n));
    Gen<Double> any = doubles().between(-0.5, 1.5);
    return rational.mix(any, 40);
  }

  @Test
  void keptAndDroppedPartitionTheSamplesAndKeptRatesLieStrictlyInside() {
    qt().withExamples(400)
        .forAll(lists().of(rolled()).ofSizeBetween(0, 60), bound(), bound(), booleans().all())
        .checkAssert(
            (samples, a, b, keep) -> {
              // Equal bounds leave nothing between them (refused): then the upper one a bit up.
              Thresholds t =
                  new Thresholds(Math.min(a, b), a.equals(b) ? a + 0.125 : Math.max(a, b), keep);
              CurationTable table = new CurationTable(List.of("x"));
              List<InputDataset.Sample> kept = new ArrayList<>();
              List<InputDataset.Sample> dropped = new ArrayList<>();
              for (Rolled r : samples) {
                InputDataset.Sample s = new InputDataset.Sample("x", r.bucket());
                s.rollouts = r.rollouts();
                s.passes = r.passes();
                Verdict v = t.verdict(s.rollouts, s.passes);
                table.add(s, v);
                (v.kept ? kept : dropped).add(s);
                if (r.rollouts() == 0) {
                  assertEquals(keep, v.kept, "an unscored sample follows --unscored");
                } else {
                  double rate = (double) r.passes() / r.rollouts();
                  boolean inside = t.minPass() < rate && rate < t.maxPass();
                  assertEquals(inside, v.kept, r + " in " + t);
                  assertEquals(
                      rate <= t.minPass(), v == Verdict.AT_OR_BELOW_MIN, "below: " + r + " " + t);
                  assertEquals(
                      rate >= t.maxPass(), v == Verdict.AT_OR_ABOVE_MAX, "above: " + r + " " + t);
                }
              }
              assertEquals(samples.size(), kept.size() + dropped.size());
              CurationTable.Cell all = table.total();
              assertEquals(samples.size(), all.samples);
              assertEquals(kept.size(), all.kept());
              long byReason = 0;
              for (Verdict v : Verdict.values()) {
                byReason += all.count(v);
              }
              assertEquals(samples.size(), byReason, "each sample has exactly one reason");
              // The buckets' rows add up to the task's row.
              long bucketSamples = 0;
              long bucketKept = 0;
              for (CurationTable.Row row : table.rows()) {
                if (row.task().equals("x") && !row.difficulty().equals(CurationTable.ALL)) {
                  bucketSamples += row.cell().samples;
                  bucketKept += row.cell().kept();
                }
              }
              assertEquals(samples.size(), bucketSamples);
              assertEquals(kept.size(), bucketKept);
              @SuppressWarnings("unchecked")
              Map<String, Object> keptMap = (Map<String, Object>) table.countsMap().get("kept");
              assertEquals((long) kept.size(), keptMap.get("total"));
            });
  }

  @Test
  void theDefaultThresholdsDropExactlyTheAllRightAndAllWrongGroups() {
    Thresholds t = new Thresholds(0, 1, false);
    qt().forAll(
            integers()
                .between(1, 64)
                .flatMap(n -> integers().between(0, n).map(p -> new int[] {n, p})))
        .checkAssert(
            np ->
                assertEquals(
                    np[1] == 0
                        ? Verdict.AT_OR_BELOW_MIN
                        : np[1] == np[0] ? Verdict.AT_OR_ABOVE_MAX : Verdict.INSIDE,
                    t.verdict(np[0], np[1])));
  }

  @Test
  void aRateEqualToADecimalThresholdIsOnTheBoundaryAndDropped() {
    Thresholds t = new Thresholds(0.3, 0.75, false);
    assertEquals(Verdict.AT_OR_BELOW_MIN, t.verdict(10, 3));
    assertEquals(Verdict.INSIDE, t.verdict(10, 4));
    assertEquals(Verdict.AT_OR_ABOVE_MAX, t.verdict(4, 3));
    assertEquals(Verdict.INSIDE, t.verdict(3, 2));
  }

  @Test
  void thresholdsThatLeaveNothingBetweenThemAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Thresholds(0.5, 0.5, false));
    assertThrows(IllegalArgumentException.class, () -> new Thresholds(0.7, 0.2, false));
    assertThrows(IllegalArgumentException.class, () -> new Thresholds(Double.NaN, 1, false));
  }

  @Test
  void difficultyBucketsAreHalfOpenWithOneIncludedAndTheRestUnknown() {
    assertEquals("[0, 0.25)", PassRate.bucket(0.0));
    assertEquals("[0, 0.25)", PassRate.bucket(0.249));
    assertEquals("[0.25, 0.5)", PassRate.bucket(0.25));
    assertEquals("[0.5, 0.75)", PassRate.bucket(0.5));
    assertEquals("[0.75, 1]", PassRate.bucket(0.75));
    assertEquals("[0.75, 1]", PassRate.bucket(1.0));
    assertEquals(PassRate.UNKNOWN, PassRate.bucket(null));
    assertEquals(PassRate.UNKNOWN, PassRate.bucket(1.01));
    assertEquals(PassRate.UNKNOWN, PassRate.bucket(-0.1));
    assertEquals(PassRate.UNKNOWN, PassRate.bucket(Double.NaN));
  }
}
