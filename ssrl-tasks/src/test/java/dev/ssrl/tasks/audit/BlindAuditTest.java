package dev.ssrl.tasks.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hand-built datasets with a known prior: the audit must report exactly that prior. */
class BlindAuditTest {

  private static final List<String> PERMS =
      List.of("1-2-3", "1-3-2", "2-1-3", "2-3-1", "3-1-2", "3-2-1");

  /** A depth sample whose regions sit at the given y per label (label i+1 at ys[i]). */
  private static Map<String, Object> depthMeta(int[] ys) {
    List<Object> regions = new ArrayList<>();
    for (int i = 0; i < ys.length; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("label", i + 1);
      r.put("x", 100 + 50 * i);
      r.put("y", ys[i]);
      regions.add(r);
    }
    return Map.of("regions", regions);
  }

  /** The labels ordered by y, largest first (the height rule's guess), for distinct ys. */
  private static String heightOrder(int[] ys) {
    List<Integer> labels = new ArrayList<>(List.of(1, 2, 3));
    labels.sort((a, b) -> Integer.compare(ys[b - 1], ys[a - 1]));
    return labels.get(0) + "-" + labels.get(1) + "-" + labels.get(2);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> baseline(BlindAudit a, String task, String name) {
    Map<String, Object> tasks = (Map<String, Object>) a.toMap().get("tasks");
    Map<String, Object> t = (Map<String, Object>) tasks.get(task);
    return (Map<String, Object>) ((Map<String, Object>) t.get("baselines")).get(name);
  }

  @Test
  void depthHeightOrderIsTheShareOfSamplesOrderedByHeight() {
    qt().withExamples(40)
        .forAll(integers().between(1, 300), integers().between(0, 300), longs().all())
        .checkAssert(
            (n, k0, seed) -> {
              int agree = Math.min(n, k0);
              SplittableRandom r = new SplittableRandom(seed);
              BlindAudit a = new BlindAudit();
              for (int i = 0; i < n; i++) {
                int[] ys = {r.nextInt(0, 100), r.nextInt(100, 200), r.nextInt(200, 300)};
                // shuffle which label gets which height
                for (int j = 2; j > 0; j--) {
                  int s = r.nextInt(j + 1);
                  int t = ys[j];
                  ys[j] = ys[s];
                  ys[s] = t;
                }
                String byHeight = heightOrder(ys);
                String answer = byHeight;
                if (i >= agree) {
                  List<String> others = new ArrayList<>(PERMS);
                  others.remove(byHeight);
                  answer = others.get(r.nextInt(others.size()));
                }
                a.add("depth", answer, depthMeta(ys));
              }
              Map<String, Object> b = baseline(a, "depth", "heightOrder");
              assertEquals(Report.round((double) agree / n), b.get("accuracy"));
              assertEquals(Report.round(1 / 6.0), b.get("chance"));
              assertEquals((long) n, b.get("evaluated"));
            });
  }

  @Test
  void estimatedDepthSamplesAreAuditedApartWithTheTasksBaselines() {
    BlindAudit a = new BlindAudit();
    int[] ys = {50, 150, 250};
    String byHeight = heightOrder(ys);
    // Sensor samples: all ordered by height. Estimated samples: none of them.
    for (int i = 0; i < 40; i++) {
      a.add("depth", byHeight, depthMeta(ys));
    }
    List<String> others = new ArrayList<>(PERMS);
    others.remove(byHeight);
    for (int i = 0; i < 10; i++) {
      Map<String, Object> m = new LinkedHashMap<>(depthMeta(ys));
      m.put("depthSource", "estimated");
      a.add("depth", others.get(i % others.size()), m);
    }
    assertEquals(40, a.samples("depth"));
    assertEquals(10, a.samples("depth" + BlindAudit.ESTIMATED_SUFFIX));
    assertEquals(Report.round(1.0), baseline(a, "depth", "heightOrder").get("accuracy"));
    Map<String, Object> est = baseline(a, "depth/estimated", "heightOrder");
    assertEquals(Report.round(0.0), est.get("accuracy"));
    assertEquals(10L, est.get("evaluated"));
    // Warnings name the group: the sensor samples' shortcuts, none of the estimated ones'.
    assertTrue(a.warnings().contains("depth: heightOrder 100.0% (chance 16.7%, n=40)"));
    for (String w : a.warnings()) {
      assertTrue(w.startsWith("depth: "), w);
    }
  }

  @Test
  void optionLetterPriorIsTheShareOfTheMostFrequentLetter() {
    qt().withExamples(40)
        .forAll(
            integers().between(0, 50),
            integers().between(0, 50),
            integers().between(0, 50),
            integers().between(1, 50))
        .checkAssert(
            (na, nb, nc, nd) -> {
              BlindAudit a = new BlindAudit();
              int[] counts = {na, nb, nc, nd};
              for (int l = 0; l < 4; l++) {
                for (int i = 0; i < counts[l]; i++) {
                  a.add("crop", String.valueOf((char) ('A' + l)), Map.of());
                }
              }
              int total = na + nb + nc + nd;
              int max = Math.max(Math.max(na, nb), Math.max(nc, nd));
              Map<String, Object> b = baseline(a, "crop", "optionLetter");
              assertEquals(Report.round((double) max / total), b.get("accuracy"));
              assertEquals(0.25, b.get("chance"));
            });
  }

  /** A position sample facing away: camera at (cx, cy), target at (tx, ty), answer direction. */
  private static Map<String, Object> positionMeta(
      int cx, int cy, int tx, int ty, List<String> options) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("camera", Map.of("x", cx, "y", cy));
    m.put("target", Map.of("x", tx, "y", ty));
    m.put("facing", "away");
    m.put("thresholdX", 100.0);
    m.put("options", options);
    return m;
  }

  @Test
  void positionHeightRuleIsTheShareOfDepthWordsThatFollowImageHeight() {
    qt().withExamples(40)
        .forAll(integers().between(1, 200), integers().between(0, 200), longs().all())
        .checkAssert(
            (n, k0, seed) -> {
              int agree = Math.min(n, k0);
              SplittableRandom r = new SplittableRandom(seed);
              BlindAudit a = new BlindAudit();
              List<String> single = List.of("Left", "Right", "Front", "Back");
              for (int i = 0; i < n; i++) {
                // Depth-only answers (|Δx| < threshold): facing away, Front = farther.
                boolean targetHigher = r.nextBoolean();
                int cy = 200;
                int ty = targetHigher ? 100 : 300;
                boolean farther = (i < agree) == targetHigher;
                String word = farther ? "Front" : "Back";
                List<String> opts = new ArrayList<>(single);
                java.util.Collections.shuffle(opts, new java.util.Random(r.nextLong()));
                String letter = String.valueOf((char) ('A' + opts.indexOf(word)));
                a.add(
                    "position", letter, positionMeta(300, cy, 300 + r.nextInt(-50, 50), ty, opts));
              }
              Map<String, Object> b = baseline(a, "position", "heightRule");
              assertEquals(Report.round((double) agree / n), b.get("accuracy"));
              assertEquals(0.5, b.get("chance"));
              // Every answer is depth-only: Δx alone leaves two words.
              assertEquals(0.5, baseline(a, "position", "dxOnly").get("accuracy"));
            });
  }

  @Test
  void cropCandidateConsistencyFindsTheTrueCropFromTheKindsAlone() {
    BlindAudit a = new BlindAudit();
    a.add(
        "crop", "B", Map.of("slotKinds", List.of("rotate-cw", "crop", "zoom-in", "zoom-out-half")));
    a.add(
        "crop",
        "D",
        Map.of("slotKinds", List.of("rotate-ccw", "rotate-cw", "zoom-out-quarter", "crop")));
    assertEquals(1.0, baseline(a, "crop", "candidateConsistency").get("accuracy"));
  }

  @Test
  void mergingPartsInAnyOrderGivesTheSameReport() {
    qt().withExamples(30)
        .forAll(integers().between(0, 120), integers().between(0, 120), longs().all())
        .checkAssert(
            (n, cut0, seed) -> {
              SplittableRandom r = new SplittableRandom(seed);
              List<Object[]> samples = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                int[] ys = {r.nextInt(300), r.nextInt(300), r.nextInt(300)};
                samples.add(new Object[] {"depth", PERMS.get(r.nextInt(6)), depthMeta(ys)});
                samples.add(new Object[] {"flip", r.nextInt(4) + "-" + r.nextInt(2), Map.of()});
              }
              int cut = Math.min(cut0, samples.size());
              BlindAudit whole = new BlindAudit();
              BlindAudit first = new BlindAudit();
              BlindAudit second = new BlindAudit();
              for (int i = 0; i < samples.size(); i++) {
                Object[] s = samples.get(i);
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = (Map<String, Object>) s[2];
                whole.add((String) s[0], (String) s[1], meta);
                (i < cut ? first : second).add((String) s[0], (String) s[1], meta);
              }
              assertEquals(whole.toMap(), second.merge(first).toMap());
            });
  }

  @Test
  void aBaselineFarAboveChanceWarnsAndOneNearChanceDoesNot() {
    BlindAudit skewed = new BlindAudit();
    BlindAudit uniform = new BlindAudit();
    for (int i = 0; i < 40; i++) {
      skewed.add("crop", i < 20 ? "A" : String.valueOf((char) ('B' + i % 3)), Map.of());
      uniform.add("crop", String.valueOf((char) ('A' + i % 4)), Map.of());
    }
    assertEquals(List.of("crop: optionLetter 50.0% (chance 25.0%, n=40)"), skewed.warnings());
    assertTrue(uniform.warnings().isEmpty(), uniform.warnings().toString());
  }
}
