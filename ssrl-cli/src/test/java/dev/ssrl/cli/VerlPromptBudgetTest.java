package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.testsupport.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verl's overlong-prompt filter cannot see images (its {@code _build_messages} pops the images
 * before the length check), so docs/integrations.md makes {@code --max-prompt-tokens} the way to
 * keep a {@code --verl} dataset within {@code data.max_prompt_length}. This reads the verl Parquet
 * rows themselves and checks every row against the budget twice: by the {@code promptTokens} its
 * JSONL line records, and by tokens re-estimated here from the JPEGs inside the row. Each case also
 * generates the same sources without a budget and requires a row over it there, so the check is
 * shown to fail on data the budget was not applied to.
 */
class VerlPromptBudgetTest {
  @TempDir Path tmp;

  // EasyR1's data.min_pixels / max_pixels defaults, which ssrl generate also defaults to.
  private static final long TRAINER_MIN_PIXELS = 262_144;
  private static final long TRAINER_MAX_PIXELS = 4_194_304;
  // Qwen2.5-VL's processor (preprocessor_config.json): 28-px tokens, 3,136 to 12,845,056 pixels.
  private static final int FACTOR = 28;
  private static final long PROCESSOR_MIN_PIXELS = 3_136;
  private static final long PROCESSOR_MAX_PIXELS = 12_845_056;

  @Test
  void builtInScenes() throws IOException {
    // A one-image sample of a 640×480 scene is about 600 tokens, a five-image crop about 2,000.
    assertBudgetHolds(1000, "--builtin-scenes", "4");
  }

  @Test
  void sharedPhotosWithMegaDepth() throws IOException {
    Path rgb = SharedData.require("data/rgb");
    Path rgbd = SharedData.require("data/rgbd");
    // Unbudgeted, the MegaDepth crop samples estimate 2,600 to 3,820 tokens: 2,500 makes some
    // again from a smaller scene and rejects others.
    assertBudgetHolds(2500, "--val-fraction", "0.05", rgb.toString(), rgbd.toString());
  }

  @Test
  void reestimateAgreesWithTheProcessorItself() {
    // Image pad tokens measured with EasyR1 b44b311's process_image (min 262,144, max 4,194,304)
    // and transformers 5.18's Qwen2VLImageProcessor at Qwen2.5-VL's pixel range (the method of
    // docs/scripts/easyr1_image_tokens.py), plus the 2 vision markers.
    int[][] measured = {
      {640, 480, 391}, // a built-in scene, used as it is
      {240, 240, 324}, // a crop candidate, enlarged to 512 × 512
      {375, 500, 336}, // the smallest shared photo, enlarged to 443 × 591
      {1600, 1064, 2166}, // a MegaDepth scene
      {2896, 1448, 5356}, // under 4,194,304 px, but rounding to 28 px goes over it
      {4000, 3000, 5292}, // shrunk to 2364 × 1773
      {100, 2000, 328}, // narrow: enlarged to 114 × 2289
    };
    for (int[] m : measured) {
      assertEquals(m[2] + 2L, imageTokens(m[0], m[1]), m[0] + "×" + m[1]);
    }
  }

  private void assertBudgetHolds(int budget, String... sources) throws IOException {
    Path free = generate("free", 0, sources);
    int overInFree = 0;
    for (Row row : verlRows(free)) {
      if (row.reestimate > budget) {
        overInFree++;
      }
    }
    assertTrue(
        overInFree > 0,
        "without a budget some verl row re-estimates over "
            + budget
            + " tokens (else the check below could not fail)");

    Path out = generate("budget", budget, sources);
    List<Row> rows = verlRows(out);
    assertFalse(rows.isEmpty(), "rows were written under the budget");
    for (Row row : rows) {
      assertTrue(
          row.recorded <= budget, row.id + ": promptTokens " + row.recorded + " > " + budget);
      assertTrue(
          row.reestimate <= budget,
          row.id + ": re-estimated from its images " + row.reestimate + " > " + budget);
      // The recorded estimate promises an upper bound of what the trainer's processor makes of
      // the same images.
      assertTrue(
          row.recorded >= row.reestimate,
          row.id + ": promptTokens " + row.recorded + " below the re-estimate " + row.reestimate);
    }
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals(budget, manifest.path("config").path("maxPromptTokens").asInt());
    assertTrue(manifest.path("promptTokens").path("max").asInt() <= budget, manifest::toString);
    assertTrue(manifest.path("promptTokens").path("p99").asInt() <= budget, manifest::toString);
    // Every row the budget kept out was either made again smaller or rejected by name.
    int resized = 0;
    for (Row row : rows) {
      resized += row.resized ? 1 : 0;
    }
    int rejected = 0;
    for (JsonNode rej : GenerateTest.lines(out.resolve("rejects.jsonl"))) {
      if (rej.path("reason").asText().endsWith("prompt over --max-prompt-tokens")) {
        rejected++;
      }
    }
    assertTrue(resized + rejected > 0, "the budget changed something: " + overInFree + " over");
  }

  private Path generate(String name, int budget, String... sources) {
    Path out = tmp.resolve(name);
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "generate",
            "--out",
            out.toString(),
            "--verl",
            "--threads",
            "2",
            "--max-prompt-tokens",
            String.valueOf(budget)));
    args.addAll(List.of(sources));
    Cli r = Cli.run(args.toArray(new String[0]));
    assertEquals(0, r.status, r::toString);
    return out;
  }

  /** One verl Parquet row: its id, the estimate its JSONL line records, and the re-estimate. */
  private record Row(String id, int recorded, long reestimate, boolean resized) {}

  private static List<Row> verlRows(Path out) throws IOException {
    Map<String, JsonNode> metadata = new HashMap<>();
    for (String jsonl : List.of("train.jsonl", "val.jsonl")) {
      if (Files.exists(out.resolve(jsonl))) {
        for (JsonNode line : GenerateTest.lines(out.resolve(jsonl))) {
          metadata.put(line.path("id").asText(), line.path("metadata"));
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String parquet : List.of("verl/train.parquet", "verl/val.parquet")) {
      if (!Files.exists(out.resolve(parquet))) {
        continue;
      }
      for (Group row : ParquetRead.rows(out.resolve(parquet))) {
        String id = row.getGroup("extra_info", 0).getString("id", 0);
        Group message = row.getGroup("prompt", 0).getGroup("list", 0).getGroup("element", 0);
        String text = message.getString("content", 0);
        Group images = row.getGroup("images", 0);
        long tokens = textTokens(text);
        for (int k = 0; k < images.getFieldRepetitionCount("list"); k++) {
          byte[] jpeg =
              images.getGroup("list", k).getGroup("element", 0).getBinary("bytes", 0).getBytes();
          BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
          assertNotNull(img, id + ": image " + k + " does not decode");
          tokens += imageTokens(img.getWidth(), img.getHeight());
        }
        JsonNode meta = metadata.get(id);
        assertNotNull(meta, id + ": verl row without a JSONL line");
        assertTrue(meta.path("promptTokens").isInt(), id + ": no promptTokens in " + meta);
        rows.add(new Row(id, meta.path("promptTokens").asInt(), tokens, meta.has("sceneResize")));
      }
    }
    return rows;
  }

  /**
   * The text allowance docs/cli.md states: a token per 3 characters, rounded up, plus 32 for the
   * chat template (a tokenizer is not at hand; English BPE averages about 4 characters a token).
   */
  private static long textTokens(String text) {
    return 32 + (text.length() + 2) / 3;
  }

  /**
   * What a Qwen2.5-VL trainer spends on a {@code width × height} image, worked out here from the
   * two steps' definitions rather than taken from {@code PromptTokens}: EasyR1's {@code
   * process_image} scales the image into [min_pixels, max_pixels] (factor √(limit / area), sizes
   * truncated), then the processor's {@code smart_resize} rounds each side to a multiple of 28 px
   * (half to even) within its own pixel range; one token per 28 × 28 pixels, and two vision
   * markers.
   */
  static long imageTokens(int width, int height) {
    long w = width;
    long h = height;
    if (w * h > TRAINER_MAX_PIXELS) {
      double f = Math.sqrt((double) TRAINER_MAX_PIXELS / (w * h));
      w = (long) (w * f);
      h = (long) (h * f);
    }
    if (w * h < TRAINER_MIN_PIXELS) {
      double f = Math.sqrt((double) TRAINER_MIN_PIXELS / (w * h));
      w = (long) (w * f);
      h = (long) (h * f);
    }
    long hBar = (long) Math.rint((double) h / FACTOR) * FACTOR;
    long wBar = (long) Math.rint((double) w / FACTOR) * FACTOR;
    if (hBar * wBar > PROCESSOR_MAX_PIXELS) {
      double beta = Math.sqrt((double) (h * w) / PROCESSOR_MAX_PIXELS);
      hBar = Math.max(FACTOR, (long) Math.floor(h / beta / FACTOR) * FACTOR);
      wBar = Math.max(FACTOR, (long) Math.floor(w / beta / FACTOR) * FACTOR);
    } else if (hBar * wBar < PROCESSOR_MIN_PIXELS) {
      double beta = Math.sqrt((double) PROCESSOR_MIN_PIXELS / (h * w));
      hBar = (long) Math.ceil(h * beta / FACTOR) * FACTOR;
      wBar = (long) Math.ceil(w * beta / FACTOR) * FACTOR;
    }
    return (hBar / FACTOR) * (wBar / FACTOR) + 2;
  }
}
