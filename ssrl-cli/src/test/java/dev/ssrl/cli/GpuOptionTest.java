package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.cli.common.Json;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --gpu}: ssrl-gpu's engine is on the CLI's class path (so in ssrl.jar); without a
 * usable GPU the option is a usage error naming the reason and nothing is written; the log and the
 * manifest's {@code run.windowStatsEngine} name the engine that computed the window statistics;
 * where a GPU exists, its dataset equals the CPU's.
 */
class GpuOptionTest {
  @TempDir Path tmp;

  /** The engine ssrl.gpu=true gets here: the CPU when no GPU is usable. */
  private static WindowStatsEngine enabledEngine() {
    return WindowStatsEngines.forOptions(
        GenerationOptions.defaults().withParameters(Map.of(WindowStatsEngines.PROPERTY, "true")));
  }

  private Cli generate(Path out, String... more) {
    String[] base = {
      "generate", "--out", out.toString(), "--builtin-scenes", "3", "--threads", "2", "--seed", "5"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return Cli.run(args);
  }

  private static JsonNode run(Path out) throws IOException {
    return Json.MAPPER.readTree(out.resolve("manifest.json").toFile()).get("run");
  }

  @Test
  void theGpuEngineIsOnTheClassPathAndDeclinesWithAReasonHere() {
    String why =
        WindowStatsEngines.describe(
            GenerationOptions.defaults()
                .withParameters(Map.of(WindowStatsEngines.PROPERTY, "true")));
    // ssrl-gpu registered its provider: the choice names it, whether usable or declined.
    assertTrue(why.contains("gpu"), why);
    assertFalse(why.contains("no WindowStatsEngine provider"), why);
  }

  @Test
  void withoutAUsableGpuTheOptionIsAUsageErrorNamingTheReasonAndWritesNothing() {
    Assumptions.assumeTrue(enabledEngine() == WindowStatsEngines.CPU, "this machine has a GPU");
    Path out = tmp.resolve("gpu");
    Cli r = generate(out, "--tasks", "depth,position", "--gpu");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("--gpu cannot compute window statistics on a GPU here"), r.err);
    assertTrue(r.err.contains("gpu declined: "), r.err);
    assertFalse(Files.exists(out), "nothing is written");
    // Whatever the tasks: --gpu asks for the GPU, so it is refused the same way.
    assertEquals(2, generate(tmp.resolve("flip"), "--tasks", "flip", "--gpu").status);
  }

  @Test
  void withoutTheOptionTheLogAndManifestNameTheCpu() throws IOException {
    Path out = tmp.resolve("cpu");
    Cli r = generate(out, "--tasks", "depth,position");
    assertEquals(0, r.status, r::toString);
    assertTrue(r.err.contains("window statistics on cpu (ssrl.gpu is not enabled)"), r.err);
    assertEquals("cpu", run(out).path("windowStatsEngine").asText(null));
  }

  @Test
  void aRunWithoutDepthTasksRecordsNoWindowStatisticsEngine() throws IOException {
    Path out = tmp.resolve("rgb");
    Cli r = generate(out, "--tasks", "flip");
    assertEquals(0, r.status, r::toString);
    assertFalse(r.err.contains("window statistics"), r.err);
    assertFalse(run(out).has("windowStatsEngine"));
  }

  @Test
  void withAGpuTheDatasetEqualsTheCpusAndTheManifestNamesTheDevice() throws IOException {
    Assumptions.assumeFalse(
        enabledEngine() == WindowStatsEngines.CPU, "no usable GPU for window statistics");
    Path cpu = tmp.resolve("cpu");
    Path gpu = tmp.resolve("gpu");
    assertEquals(0, generate(cpu, "--tasks", "depth,position").status);
    Cli r = generate(gpu, "--tasks", "depth,position", "--gpu");
    assertEquals(0, r.status, r::toString);
    String device = run(gpu).path("windowStatsEngine").asText("");
    assertTrue(device.startsWith("cuda:"), device);
    assertTrue(r.err.contains("window statistics on " + device), r.err);
    assertEquals(Cli.tree(cpu), Cli.tree(gpu));
  }
}
