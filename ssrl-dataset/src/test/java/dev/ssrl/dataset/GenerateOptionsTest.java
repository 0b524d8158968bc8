package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one option model: parsed by picocli, checked and turned into a config in one place. */
class GenerateOptionsTest {
  private static final Map<String, Task> KNOWN = Tasks.all();
  private static final List<String> ALIASES = List.of("--parquet", "--trl", "--easyr1", "--verl");

  private static GenerateOptions parse(String... args) {
    GenerateOptions o = new GenerateOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  private static DatasetConfig cli(String... args) {
    return parse(args).toConfig(KNOWN, false, 0, 24, List.of());
  }

  private static String error(boolean parquetByDefault, String... args) {
    List<String> all = new ArrayList<>(List.of("--out", "o"));
    all.addAll(List.of(args));
    GenerateOptions o = parse(all.toArray(new String[0]));
    return assertThrows(
            IllegalArgumentException.class,
            () -> o.toConfig(KNOWN, parquetByDefault, 0, 24, List.of()))
        .getMessage();
  }

  /**
   * Any subset of the built-in layouts, named through --layout in any order and grouping, through
   * the old flags, or a mix of both, gives the same layouts, in the registry's order.
   */
  @Test
  void layoutNamesAndTheOldFlagsAreTheSame() {
    List<String> builtIn = List.of("parquet", "trl", "easyr1", "verl");
    qt().forAll(lists().of(integers().between(0, 3)).ofSizeBetween(0, 6), integers().all())
        .check(
            (picks, seed) -> {
              Random r = new Random(seed);
              List<String> chosen = new ArrayList<>();
              // Each once: picocli refuses a flag given twice, as it always did.
              picks.stream().distinct().forEach(i -> chosen.add(builtIn.get(i)));
              List<String> byName = new ArrayList<>(List.of("--out", "o"));
              List<String> byFlag = new ArrayList<>(List.of("--out", "o"));
              List<String> shuffled = new ArrayList<>(chosen);
              Collections.shuffle(shuffled, r);
              for (String name : shuffled) {
                if (r.nextBoolean()) {
                  byName.add("--layout");
                  byName.add(name);
                } else {
                  byName.add(ALIASES.get(builtIn.indexOf(name)));
                }
                byFlag.add(ALIASES.get(builtIn.indexOf(name)));
              }
              List<String> expected = builtIn.stream().filter(chosen::contains).toList();
              Layouts a = cli(byName.toArray(new String[0])).layouts();
              Layouts b = cli(byFlag.toArray(new String[0])).layouts();
              return a.equals(b) && a.names().equals(expected);
            });
    assertEquals(List.of("trl"), cli("--out", "o", "--trl").layouts().names());
    assertEquals(List.of("trl"), cli("--out", "o", "--layout", "trl").layouts().names());
    assertEquals(
        List.of("trl", "easyr1"), cli("--out", "o", "--layout", "easyr1,trl").layouts().names());
  }

  @Test
  void theGenericLayoutFollowsTheFrontEndsDefault() {
    GenerateOptions o = parse("--out", "o", "--trl");
    assertEquals(List.of("trl"), o.toConfig(KNOWN, false, 0, 0, List.of()).layouts().names());
    assertEquals(
        List.of("parquet", "trl"), o.toConfig(KNOWN, true, 0, 0, List.of()).layouts().names());
    assertEquals(
        List.of(),
        parse("--out", "o", "--no-parquet")
            .toConfig(KNOWN, true, 0, 0, List.of())
            .layouts()
            .names());
    assertEquals("--parquet contradicts --no-parquet", error(true, "--parquet", "--no-parquet"));
    assertEquals(
        "--no-parquet contradicts --layout parquet",
        error(true, "--layout", "parquet", "--no-parquet"));
    assertEquals(
        "--layout: unknown layout 'nope'; known layouts: ",
        error(false, "--layout", "trl,nope").replaceAll("known layouts: .*", "known layouts: "));
    assertEquals("--layout has an empty entry", error(false, "--layout", "trl,,easyr1"));
  }

  @Test
  void badOptionsAreNamedWithTheirCause() {
    assertEquals("--mix names task 'flip' twice", error(false, "--mix", "flip=1,flip=2"));
    assertEquals("--mix entry 'flip' is not TASK=WEIGHT", error(false, "--mix", "flip"));
    assertEquals(
        "--mix weight of 'flip' must be a finite number >= 0: flip=-1",
        error(false, "--mix", "flip=-1"));
    assertEquals(
        "--mix names task 'crop', which --tasks does not include",
        error(false, "--tasks", "flip", "--mix", "crop=2"));
    assertEquals("--tasks names flip twice", error(false, "--tasks", "flip,crop,flip"));
    assertEquals(
        "unknown task 'nope'; known tasks: " + KNOWN.keySet(), error(false, "--tasks", "nope"));
    assertEquals(
        "--balance contradicts --param ssrl.balance=false",
        error(false, "--balance", "--param", "ssrl.balance=false"));
    assertEquals("perScene (--per-scene) must be >= 1, got 0", error(false, "--per-scene", "0"));
    assertEquals(
        "--image-paths must be relative or absolute, got 'abs'",
        error(false, "--image-paths", "abs"));
    assertEquals(
        "--preset: ", error(false, "--preset", "nope").replaceAll("--preset: .*", "--preset: "));
  }

  /** The builder's setters and the flags are one model: the same settings give the same config. */
  @Test
  void settersAndFlagsGiveTheSameConfig() {
    DatasetConfig flags =
        cli(
            "--out",
            "o",
            "--tasks",
            "shuffle,crop",
            "--mix",
            "crop=0.5",
            "--per-scene",
            "2",
            "--seed",
            "9",
            "--param",
            "shuffle.grids=2x2",
            "--balance",
            "--jpeg-quality",
            "90",
            "--val-fraction",
            "0.1",
            "--suffix",
            "none",
            "--profile",
            "ssrl-plain",
            "--layout",
            "trl",
            "--image-paths",
            "absolute",
            "--min-pixels",
            "1000",
            "--max-pixels",
            "90000",
            "--max-prompt-tokens",
            "2048");
    DatasetConfig setters =
        new GenerateOptions()
            .tasks(List.of("shuffle", "crop"))
            .mix("crop", 0.5)
            .perScene(2)
            .seed(9)
            .parameter("shuffle.grids", "2x2")
            .balance(true)
            .jpegQuality(90)
            .valFraction(0.1)
            .suffix("")
            .profile("ssrl-plain")
            .layouts("trl")
            .imagePaths(ImagePaths.ABSOLUTE)
            .minPixels(1000)
            .maxPixels(90_000)
            .maxPromptTokens(2048)
            .toConfig(KNOWN, false, 0, 24, List.of());
    assertEquals(flags, setters);
    assertEquals("true", flags.parameters().get(dev.ssrl.tasks.Balance.PARAMETER));
    assertEquals(Map.of("shuffle", 1.0, "crop", 0.5), flags.weights());
  }
}
