package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.ssrl.tasks.Sizing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class DatasetConfigTest {
  static final List<String> TASKS = List.of("shuffle", "flip", "crop", "depth", "position");

  static DatasetConfig config(int perScene, double weight, long seed, double valFraction) {
    Map<String, Double> mix = new LinkedHashMap<>();
    for (String t : TASKS) {
      mix.put(t, t.equals("flip") ? weight : 1.0);
    }
    return new DatasetConfig(
        TASKS,
        mix,
        perScene,
        seed,
        "p",
        "",
        Map.of("shuffle.grids", "2x2"),
        95,
        valFraction,
        new Layouts(List.of("parquet"), ImagePaths.RELATIVE),
        0,
        0,
        List.of(),
        Sizing.EASYR1);
  }

  /** A weight w gives floor(N·w) or floor(N·w)+1 variants, numbered 0.. without gaps. */
  @Test
  void variantCountsFollowTheMixWeight() {
    qt().forAll(integers().between(1, 5), integers().between(0, 40), longs().all())
        .check(
            (n, tenths, seed) -> {
              double w = tenths / 10.0;
              List<WorkItem> flips = new ArrayList<>();
              for (WorkItem i : config(n, w, seed, 0).itemsOf("scene-" + (seed & 1023))) {
                if (i.task().equals("flip")) {
                  flips.add(i);
                }
              }
              int floor = (int) Math.floor(n * w);
              boolean exact = n * w == floor;
              int count = flips.size();
              boolean gapless = true;
              for (int v = 0; v < count; v++) {
                gapless &= flips.get(v).variant() == v;
              }
              return gapless && (exact ? count == floor : count == floor || count == floor + 1);
            });
  }

  @Test
  void fractionalMixesAverageToTheirWeight() {
    DatasetConfig c = config(1, 0.25, 42, 0);
    int flips = 0;
    for (int i = 0; i < 4000; i++) {
      flips += (int) c.itemsOf("s" + i).stream().filter(w -> w.task().equals("flip")).count();
    }
    assertEquals(1000, flips, 80);
  }

  @Test
  void itemsAreInTaskOrderThenVariantOrder() {
    List<WorkItem> items = config(2, 1, 5, 0).itemsOf("a");
    List<WorkItem> expected = new ArrayList<>();
    for (String t : TASKS) {
      expected.add(new WorkItem(t, 0));
      expected.add(new WorkItem(t, 1));
    }
    assertEquals(expected, items);
  }

  /**
   * The split is by scene: the split of every scene is the same whether the scenes are visited in
   * order, shuffled, or from many threads at once.
   */
  @Test
  void splitIsBySceneAndIndependentOfOrderAndThreads() {
    qt().forAll(
            longs().all(),
            lists().of(strings().allPossible().ofLengthBetween(1, 12)).ofSizeBetween(1, 60),
            integers().between(1, 9))
        .check(
            (seed, scenes, tenths) -> {
              DatasetConfig c = config(1, 1, seed, tenths / 10.0);
              Map<String, String> inOrder = new TreeMap<>();
              scenes.forEach(s -> inOrder.put(s, c.splitOf(s)));
              List<String> shuffled = new ArrayList<>(scenes);
              Collections.shuffle(shuffled, new Random(seed));
              Map<String, String> reordered = new TreeMap<>();
              shuffled.forEach(s -> reordered.put(s, c.splitOf(s)));
              Map<String, String> parallel = new ConcurrentHashMap<>();
              shuffled.parallelStream().forEach(s -> parallel.put(s, c.splitOf(s)));
              return inOrder.equals(reordered) && inOrder.equals(new TreeMap<>(parallel));
            });
  }

  @Test
  void valFractionZeroSendsEverySceneToTrainAndTheShareIsNearTheFraction() {
    DatasetConfig none = config(1, 1, 3, 0);
    DatasetConfig third = config(1, 1, 3, 0.3);
    int val = 0;
    for (int i = 0; i < 5000; i++) {
      assertEquals(DatasetFormat.TRAIN, none.splitOf("s" + i));
      val += DatasetFormat.VAL.equals(third.splitOf("s" + i)) ? 1 : 0;
    }
    assertEquals(1500, val, 120);
  }

  /** Distinct scenes (dashes and all) and dash-free task ids never share a sample id. */
  @Test
  void sampleIdsAreUniqueOverScenesAndItems() {
    qt().forAll(
            lists()
                .of(strings().betweenCodePoints('-', 'z').ofLengthBetween(1, 6))
                .ofSizeBetween(1, 40),
            integers().between(1, 3))
        .check(
            (scenes, n) -> {
              DatasetConfig c = config(n, 1.5, 9, 0);
              Set<String> ids = new HashSet<>();
              int items = 0;
              for (String s : new HashSet<>(scenes)) {
                for (WorkItem i : c.itemsOf(s)) {
                  ids.add(i.sampleId(s));
                  items++;
                }
              }
              return ids.size() == items;
            });
  }

  @Test
  void configMapHasTheDocumentedKeysInOrder() {
    assertEquals(
        List.of(
            "tasks",
            "mix",
            "perScene",
            "seed",
            "profile",
            "suffix",
            "parameters",
            "jpegQuality",
            "valFraction",
            "parquet",
            "verl",
            "trl",
            "easyr1",
            "imagePaths",
            "limitScenes",
            "builtInScenes",
            "sources",
            "minPixels",
            "maxPixels",
            "maxPromptTokens"),
        new ArrayList<>(config(1, 1, 1, 0).toMap().keySet()));
    assertEquals(
        "{\"tasks\":[\"shuffle\",\"flip\",\"crop\",\"depth\",\"position\"],"
            + "\"mix\":{\"shuffle\":1.0,\"flip\":0.5,\"crop\":1.0,\"depth\":1.0,\"position\":1.0},"
            + "\"perScene\":2,\"seed\":7,\"profile\":\"p\",\"suffix\":\"\","
            + "\"parameters\":{\"shuffle.grids\":\"2x2\"},\"jpegQuality\":95,\"valFraction\":0.1,"
            + "\"parquet\":true,\"verl\":false,\"trl\":false,\"easyr1\":false,"
            + "\"imagePaths\":\"relative\",\"limitScenes\":0,\"builtInScenes\":0,\"sources\":[],"
            + "\"minPixels\":262144,\"maxPixels\":4194304,\"maxPromptTokens\":4096}",
        DatasetJson.write(config(2, 0.5, 7, 0.1).toMap()));
  }

  @Test
  void outOfRangeSettingsAreNamedWithTheirFlag() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> config(0, 1, 1, 0));
    assertEquals("perScene (--per-scene) must be >= 1, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config(1, 1, 1, 1.0));
    assertEquals("valFraction (--val-fraction) must be in [0, 1), got 1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config(1, 1, 1, Double.NaN));
    assertEquals("valFraction (--val-fraction) must be in [0, 1), got NaN", e.getMessage());
  }

  @Test
  void builtInScenesIsZeroWhenSourcesAreNamed() {
    DatasetConfig c =
        new DatasetConfig(
            TASKS,
            Map.of(),
            1,
            1,
            "p",
            "",
            Map.of(),
            95,
            0,
            Layouts.NONE,
            0,
            24,
            List.of(),
            Sizing.EASYR1);
    assertEquals(24, c.toMap().get("builtInScenes"));
    assertEquals(0, c.withSources(List.of("synthetic:24")).toMap().get("builtInScenes"));
  }

  @Test
  void hashFollowsEverySettingThatDecidesTheSamples() {
    DatasetConfig a = config(1, 1, 1, 0);
    assertEquals(a.hash(), config(1, 1, 1, 0).hash());
    assertNotEquals(a.hash(), config(2, 1, 1, 0).hash());
    assertNotEquals(a.hash(), config(1, 0.5, 1, 0).hash());
    assertNotEquals(a.hash(), config(1, 1, 2, 0).hash());
    assertNotEquals(a.hash(), config(1, 1, 1, 0.1).hash());
    assertNotEquals(a.hash(), a.withSources(List.of("/x")).hash());
    assertNotEquals(
        a.hash(), withLayouts(a, new Layouts(List.of("parquet"), ImagePaths.ABSOLUTE)).hash());
    for (String name : TrainerLayouts.all().keySet()) {
      Layouts more = new Layouts(List.of("parquet", name), ImagePaths.RELATIVE);
      if (!name.equals("parquet")) {
        assertNotEquals(a.hash(), withLayouts(a, more).hash(), name);
      }
    }
    assertNotEquals(a.hash(), withLayouts(a, Layouts.NONE).hash());
    assertNotEquals(a.hash(), withSizing(a, new Sizing(0, 4_194_304, 4096)).hash());
    assertNotEquals(a.hash(), withSizing(a, new Sizing(262_144, 1_000_000, 4096)).hash());
    assertNotEquals(a.hash(), withSizing(a, new Sizing(262_144, 4_194_304, 2048)).hash());
    assertEquals(64, a.hash().length());
  }

  static DatasetConfig withLayouts(DatasetConfig c, Layouts layouts) {
    return with(c, layouts, c.sizing());
  }

  private static DatasetConfig withSizing(DatasetConfig c, Sizing s) {
    return with(c, c.layouts(), s);
  }

  private static DatasetConfig with(DatasetConfig c, Layouts layouts, Sizing s) {
    return new DatasetConfig(
        c.tasks(),
        c.weights(),
        c.perScene(),
        c.seed(),
        c.profile(),
        c.suffix(),
        c.parameters(),
        c.jpegQuality(),
        c.valFraction(),
        layouts,
        c.limitScenes(),
        c.builtInScenes(),
        c.sources(),
        s);
  }

  /**
   * The four layouts of ssrl-dataset/1 keep their boolean keys in their places (so an older
   * dataset's hash is unchanged); another layout is named under "layouts", absent otherwise.
   */
  @Test
  void configMapNamesTheLayouts() {
    DatasetConfig all =
        withLayouts(
            config(1, 1, 1, 0),
            new Layouts(List.of("verl", "easyr1", "trl", "parquet"), ImagePaths.RELATIVE));
    Map<String, Object> m = all.toMap();
    List<String> keys = new ArrayList<>(m.keySet());
    assertEquals(
        List.of("parquet", "verl", "trl", "easyr1", "imagePaths"),
        keys.subList(keys.indexOf("valFraction") + 1, keys.indexOf("limitScenes")));
    for (String k : List.of("parquet", "verl", "trl", "easyr1")) {
      assertEquals(true, m.get(k), k);
      assertEquals(false, withLayouts(all, Layouts.NONE).toMap().get(k), k);
    }
    assertEquals(List.of("parquet", "trl", "easyr1", "verl"), all.layouts().names());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Layouts(List.of("trl", "nope"), ImagePaths.RELATIVE));
    assertTrue(e.getMessage().startsWith("unknown layout 'nope'; known layouts: "), e.getMessage());
  }

  /** The manifest records the sizing values under their own keys. */
  @Test
  void configMapRecordsTheSizing() {
    Map<String, Object> m = withSizing(config(1, 1, 1, 0), new Sizing(1000, 2000, 300)).toMap();
    assertEquals(1000L, m.get("minPixels"));
    assertEquals(2000L, m.get("maxPixels"));
    assertEquals(300, m.get("maxPromptTokens"));
  }

  /** The Spark job ships the config to its executors. */
  @Test
  void survivesJavaSerialization() throws Exception {
    DatasetConfig a =
        withLayouts(
                config(2, 0.5, 7, 0.2), new Layouts(List.of("easyr1", "trl"), ImagePaths.ABSOLUTE))
            .withSources(List.of("synthetic:3"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(a);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      DatasetConfig b = (DatasetConfig) in.readObject();
      assertEquals(a, b);
      assertEquals(a.itemsOf("s1"), b.itemsOf("s1"));
      assertEquals(a.hash(), b.hash());
    }
  }
}
