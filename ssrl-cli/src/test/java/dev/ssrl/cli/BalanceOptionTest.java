package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssrl generate --balance}: the generation parameter, and what it does to the samples. */
class BalanceOptionTest {
  @TempDir Path tmp;

  @Test
  void balanceIsTheParameterInTheConfigAndTagsDepthAndPositionSamples() throws IOException {
    Path out = tmp.resolve("b");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--balance",
            "--tasks",
            "depth,position",
            "--builtin-scenes",
            "6",
            "--threads",
            "1");
    assertEquals(0, r.status, r::toString);
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals("true", manifest.path("config").path("parameters").path("ssrl.balance").asText());
    int tagged = 0;
    for (JsonNode line : GenerateTest.lines(out.resolve(Generator.TRAIN))) {
      assertTrue(line.path("metadata").has("balance"), line.path("id").asText());
      tagged++;
    }
    assertTrue(tagged > 0, "no samples: the test would prove nothing");
  }

  @Test
  void balanceWithAContradictingParameterIsAUsageError() {
    Cli r =
        Cli.run(
            "generate",
            "--out",
            tmp.resolve("x").toString(),
            "--balance",
            "--param",
            "ssrl.balance=false",
            "--builtin-scenes",
            "1");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("--balance contradicts"), r.err);
  }
}
