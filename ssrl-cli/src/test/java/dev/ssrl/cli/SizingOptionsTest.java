package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import dev.ssrl.tasks.PromptTokens;
import dev.ssrl.tasks.Sizing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --min-pixels}, {@code --max-pixels}, {@code --max-prompt-tokens} on the built-in scenes
 * (640 × 480): every written image is within the maximum, every line's {@code promptTokens} is the
 * estimate of its own problem and JPEG sizes and within the budget, the rest are named rejections,
 * and the manifest records the values, the maximum and the p99.
 */
class SizingOptionsTest {
  @TempDir Path tmp;

  @Test
  void imagesTokensRejectionsAndManifestFollowTheOptions() throws IOException {
    Path out = tmp.resolve("s");
    // Crop's four candidates are enlarged to the 100,000-px minimum by the trainer (about 130
    // tokens each) and its context cannot shrink below it: over 600 tokens whatever the scale,
    // while the one-image tasks fit.
    int budget = 600;
    long max = 120_000;
    long min = 100_000;
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "shuffle,flip,crop,depth,position",
            "--builtin-scenes",
            "4",
            "--max-pixels",
            String.valueOf(max),
            "--min-pixels",
            String.valueOf(min),
            "--max-prompt-tokens",
            String.valueOf(budget),
            "--threads",
            "2");
    assertEquals(0, r.status, r::toString);
    PromptTokens estimator = new Sizing(min, max, budget).tokens();
    List<Integer> tokens = new ArrayList<>();
    for (JsonNode line : GenerateTest.lines(out.resolve(Generator.TRAIN))) {
      String id = line.path("id").asText();
      JsonNode meta = line.path("metadata");
      // The built-in scenes (307,200 px) are over the maximum: every sample was made smaller.
      JsonNode to = meta.path(Sizing.RESIZE_KEY).path("to");
      assertEquals(
          List.of(640, 480),
          List.of(
              meta.path(Sizing.RESIZE_KEY).path("from").get(0).asInt(),
              meta.path(Sizing.RESIZE_KEY).path("from").get(1).asInt()),
          id);
      assertTrue((long) to.get(0).asInt() * to.get(1).asInt() <= max, id);
      long imageTokens = 0;
      for (JsonNode p : line.path("images")) {
        BufferedImage img = ImageIO.read(out.resolve(p.asText()).toFile());
        assertTrue((long) img.getWidth() * img.getHeight() <= max, id + " " + p.asText());
        imageTokens += estimator.imageTokens(img.getWidth(), img.getHeight());
      }
      String problem = line.path("problem").asText();
      long text =
          PromptTokens.TEMPLATE_TOKENS
              + (problem.length() + PromptTokens.CHARS_PER_TOKEN - 1)
                  / PromptTokens.CHARS_PER_TOKEN;
      int recorded = meta.path(Sizing.TOKENS_KEY).asInt();
      assertEquals(text + imageTokens, recorded, id + ": the estimate of what was written");
      assertTrue(recorded <= budget, id + " " + recorded);
      tokens.add(recorded);
    }
    assertTrue(tokens.size() >= 8, "samples were kept: " + tokens.size());
    int overBudget = 0;
    for (JsonNode rej : GenerateTest.lines(out.resolve(Generator.REJECTS))) {
      String reason = rej.path("reason").asText();
      if (reason.endsWith(Sizing.OVER_BUDGET)) {
        assertEquals(rej.path("task").asText() + ": " + Sizing.OVER_BUDGET, reason);
        overBudget++;
      }
    }
    assertTrue(overBudget > 0, "a 600-token budget rejects the five-image crop samples");
    JsonNode m = Json.MAPPER.readTree(out.resolve(Generator.MANIFEST).toFile());
    assertEquals(min, m.path("config").path("minPixels").asLong());
    assertEquals(max, m.path("config").path("maxPixels").asLong());
    assertEquals(budget, m.path("config").path("maxPromptTokens").asInt());
    Collections.sort(tokens);
    assertEquals(tokens.get(tokens.size() - 1), m.path("promptTokens").path("max").asInt());
    int rank = (99 * tokens.size() + 99) / 100;
    assertEquals(tokens.get(rank - 1), m.path("promptTokens").path("p99").asInt());
    assertEquals(
        overBudget,
        m.path("rejects").path("crop").path("crop: " + Sizing.OVER_BUDGET).asInt()
            + m.path("rejects").path("shuffle").path("shuffle: " + Sizing.OVER_BUDGET).asInt()
            + m.path("rejects").path("flip").path("flip: " + Sizing.OVER_BUDGET).asInt()
            + m.path("rejects").path("depth").path("depth: " + Sizing.OVER_BUDGET).asInt()
            + m.path("rejects").path("position").path("position: " + Sizing.OVER_BUDGET).asInt());
  }

  @Test
  void aMinimumAboveTheMaximumIsAUsageErrorNamingBothFlags() {
    Cli r =
        Cli.run(
            "generate",
            "--out",
            tmp.resolve("x").toString(),
            "--min-pixels",
            "5000000",
            "--max-pixels",
            "4000000");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("--min-pixels (5000000) must not exceed --max-pixels"), r.err);
  }
}
