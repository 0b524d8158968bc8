package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import dev.ssrl.testsupport.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default profile renders every question variant character for character as the
 * Spatial-SSRL-81k data has it: the expected texts are built from the quoted templates in {@code
 * ../shared/reference/spatial-ssrl-81k.md} (not from our profile file), with one {@code <image>}
 * per image where the templates put them, and compared with what the tasks generate with no suffix.
 */
class SpatialSsrl81kWordingTest {
  private static String reference;
  private static final GenerationOptions NO_SUFFIX = GenerationOptions.defaults().withSuffix("");

  @BeforeAll
  static void readReference() throws Exception {
    String md =
        Files.readString(
            SharedData.require("reference/spatial-ssrl-81k.md"), StandardCharsets.UTF_8);
    // A quoted template may wrap onto an indented next line in the markdown.
    reference = md.replaceAll("\\n {2,}", " ");
  }

  /** The first back-quoted text on the reference line that starts with {@code linePrefix}. */
  private static String quoted(String linePrefix) {
    for (String line : reference.split("\n")) {
      if (line.startsWith(linePrefix)) {
        Matcher m = Pattern.compile("`([^`]+)`").matcher(line);
        assertTrue(m.find(), "a quoted template on " + linePrefix);
        return m.group(1);
      }
    }
    throw new AssertionError("the reference has no line starting " + linePrefix);
  }

  /** The back-quoted text on the line after the one that starts with {@code linePrefix}. */
  private static String quotedBelow(String linePrefix) {
    String[] lines = reference.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].startsWith(linePrefix)) {
        Matcher m = Pattern.compile("^`(.+)`$").matcher(lines[i + 1].trim());
        assertTrue(m.find(), "a quoted template below " + linePrefix);
        return m.group(1);
      }
    }
    throw new AssertionError("the reference has no line starting " + linePrefix);
  }

  private static List<Sample> samples(Task task, GenerationOptions options, int scenes) {
    List<Sample> out = new java.util.ArrayList<>();
    for (int i = 0; i < scenes; i++) {
      Scene scene = SyntheticScenes.scene(7, i, 320, 240);
      for (long seed = 0; seed < 4; seed++) {
        Outcome o = task.generate(scene, seed, options);
        if (o instanceof Sample s) {
          out.add(s);
        }
      }
    }
    assertTrue(!out.isEmpty(), task.id() + " generated samples");
    return out;
  }

  private static GenerationOptions params(String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return NO_SUFFIX.withParameters(m);
  }

  @Test
  void shuffleTwoByTwoMaskedAndUnmasked() {
    String plain = quoted("- 2×2, no mask:");
    String masked = quoted("- 2×2, masked:");
    for (String p : new String[] {"0", "1"}) {
      for (Sample s :
          samples(new ShuffleTask(), params("shuffle.grids", "2x2", "shuffle.masked", p), 3)) {
        boolean isMasked = (Boolean) s.metadata().get("masked");
        assertEquals("<image>" + (isMasked ? masked : plain), s.problem());
      }
    }
  }

  @Test
  void shuffleRowsAndColumnsOfThreeAndFour() {
    // "N shuffled horizontal strips labeled 0, 1, 2(, and 3). ... 'Left-Middle-Right'" + ".",
    // with the four-piece format given after the quote, and columns "the same with vertical
    // strips and 'Top-Middle-Bottom'".
    String row = quoted("- one row:");
    Matcher four = Pattern.compile("\\(N = 4: `'([^']+)'`\\)").matcher(reference);
    assertTrue(four.find());
    String rowFour = four.group(1);
    Matcher colFormats =
        Pattern.compile("`'(Top-Middle-Bottom)'` \\(N = 4: `'([^']+)'`\\)").matcher(reference);
    assertTrue(colFormats.find());
    Set<String> seen = new HashSet<>();
    for (String grid : new String[] {"1x3", "1x4", "3x1", "4x1"}) {
      for (Sample s :
          samples(new ShuffleTask(), params("shuffle.grids", grid, "shuffle.masked", "0"), 2)) {
        int rows = (Integer) s.metadata().get("rows");
        int n = (Integer) s.metadata().get("cols") * rows;
        boolean isRow = rows == 1;
        String t = row.replace("N shuffled", n + " shuffled");
        t = t.replace("(, and 3)", n == 4 ? ", and 3" : "");
        if (n == 4) {
          t = t.replace("'Left-Middle-Right'", "'" + rowFour + "'");
        }
        if (!isRow) {
          t = t.replace("horizontal strips", "vertical strips");
          t =
              t.replace(
                  "'" + (n == 4 ? rowFour : "Left-Middle-Right") + "'",
                  "'" + (n == 4 ? colFormats.group(2) : colFormats.group(1)) + "'");
        }
        assertEquals("<image>" + t + ".", s.problem(), grid);
        seen.add(grid);
      }
    }
    assertEquals(Set.of("1x3", "1x4", "3x1", "4x1"), seen);
  }

  @Test
  void flipCropAndDepth() {
    String flip = quotedBelow("Flip (paper A.3/A.7");
    for (Sample s : samples(new FlipTask(), NO_SUFFIX, 2)) {
      assertEquals("<image>" + flip, s.problem());
    }
    String crop =
        quotedBelow("placeholder each, in this order;")
            .replace("<image1>", "<image>")
            .replace("<image2><image3><image4><image5>", "<image><image><image><image>");
    for (Sample s : samples(new CropTask(), NO_SUFFIX, 2)) {
      assertEquals(crop, s.problem());
      assertEquals(5, s.images().size());
    }
    String depth = quotedBelow("Depth (paper A.5/A.7)");
    for (Sample s : samples(new DepthOrderingTask(), NO_SUFFIX, 4)) {
      assertEquals("<image>" + depth, s.problem());
    }
  }

  @Test
  void positionWithEveryFacingAndBothPairKinds() {
    String template = quotedBelow("`{t}` target label");
    Matcher f =
        Pattern.compile("- `\\{facing\\}`: `([^`]+)` / `([^`]+)` / `([^`]+)` / `([^`]+)`")
            .matcher(reference);
    assertTrue(f.find(), "the four facing phrases");
    Map<String, String> facing =
        Map.of("left", f.group(1), "right", f.group(2), "towards", f.group(3), "away", f.group(4));
    Matcher h =
        Pattern.compile("` and ignore the height difference between the two regions`")
            .matcher(reference);
    assertTrue(h.find(), "the far-pair height clause");
    String far = h.group().replace("`", "");
    Set<String> seenFacing = new HashSet<>();
    Set<Boolean> seenFar = new HashSet<>();
    for (Sample s : samples(new RelativePositionTask(), NO_SUFFIX, 12)) {
      Map<String, Object> m = s.metadata();
      @SuppressWarnings("unchecked")
      List<String> options = (List<String>) m.get("options");
      StringBuilder opts = new StringBuilder();
      for (int i = 0; i < options.size(); i++) {
        opts.append(' ').append((char) ('A' + i)).append(". ").append(options.get(i));
      }
      // The clause is drawn apart from the pair (PositionAnswers) and recorded in the metadata.
      boolean isFar = (Boolean) m.get("heightClause");
      String want =
          template
              .replace("{c}", (String) ((Map<?, ?>) m.get("camera")).get("label"))
              .replace("{t}", (String) ((Map<?, ?>) m.get("target")).get("label"))
              .replace("{facing}", facing.get((String) m.get("facing")))
              .replace("{opts}", opts)
              .replace("{height}", isFar ? far : "");
      assertEquals(want, s.problem());
      seenFacing.add((String) m.get("facing"));
      seenFar.add(isFar);
    }
    assertEquals(Set.of("left", "right", "towards", "away"), seenFacing);
    assertEquals(Set.of(true, false), seenFar, "near and far pairs both rendered");
  }

  @Test
  void thePlainProfileGivesNoExampleAnswerInAnyTask() {
    GenerationOptions plain = NO_SUFFIX.withProfile("ssrl-plain");
    for (Task t :
        List.<Task>of(
            new ShuffleTask(),
            new FlipTask(),
            new CropTask(),
            new DepthOrderingTask(),
            new RelativePositionTask())) {
      for (Sample s : samples(t, plain, 3)) {
        assertTrue(s.problem().startsWith("<image>\n"), s.problem());
        assertTrue(!s.problem().contains("for example"), s.problem());
        assertEquals(
            s.images().size(), s.problem().split("<image>", -1).length - 1, "one <image> each");
      }
    }
  }
}
