package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelpAndMixTest {
  @Test
  void helpListsTheCommandsWithExamples() {
    Cli r = Cli.run("--help");
    assertEquals(0, r.status);
    for (String s : List.of("generate", "score", "serve", "preview", "Examples:")) {
      assertTrue(r.out.contains(s), s + " in\n" + r.out);
    }
  }

  @Test
  void everyCommandHasHelpWithAnExample() {
    for (String c : List.of("generate", "score", "serve", "preview")) {
      Cli r = Cli.run(c, "--help");
      assertEquals(0, r.status, c);
      assertTrue(r.out.contains("Example") && r.out.contains("ssrl " + c), c + ":\n" + r.out);
    }
  }

  static GenerateConfig config(int perScene, double weight, long seed) {
    return new GenerateConfig(
        List.of("tiles"),
        Map.of("tiles", weight),
        perScene,
        seed,
        "p",
        "",
        Map.of(),
        95,
        0.5,
        false,
        false,
        0,
        0,
        List.of());
  }

  /** A weight w gives floor(N·w) or floor(N·w)+1 variants, numbered 0.. without gaps. */
  @Test
  void variantCountsFollowTheMixWeight() {
    qt().forAll(integers().between(1, 5), integers().between(0, 40), longs().all())
        .check(
            (n, tenths, seed) -> {
              double w = tenths / 10.0;
              Generator g = new Generator(config(n, w, seed), Map.of(), null, 1, System.err);
              int count = g.itemsOf("scene-" + (seed & 1023)).size();
              int floor = (int) Math.floor(n * w);
              boolean exact = n * w == floor;
              return exact ? count == floor : count == floor || count == floor + 1;
            });
  }

  /** The split of a scene is a pure function of (seed, scene id). */
  @Test
  void splitIsAFunctionOfSeedAndScene() {
    qt().forAll(longs().all(), integers().between(0, 10_000))
        .check(
            (seed, scene) -> {
              Generator a = new Generator(config(1, 1, seed), Map.of(), null, 1, System.err);
              Generator b = new Generator(config(1, 1, seed), Map.of(), null, 7, System.err);
              return a.isValidation("s" + scene) == b.isValidation("s" + scene);
            });
  }

  @Test
  void fractionalMixesAverageToTheirWeight() {
    Generator g = new Generator(config(1, 0.25, 42), Map.of(), null, 1, System.err);
    int total = 0;
    for (int i = 0; i < 4000; i++) {
      total += g.itemsOf("s" + i).size();
    }
    assertEquals(1000, total, 80);
  }
}
