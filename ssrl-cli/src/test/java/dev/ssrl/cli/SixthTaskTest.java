package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.generate.Generator;
import dev.ssrl.cli.generate.MemoryBudget;
import dev.ssrl.cli.serve.RewardServer;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sixth task defined in one test source file ({@code MirrorTask} in ssrl-tasks' tests) plus its
 * services entry (shipped in ssrl-tasks' test jar, as an extension jar would ship it) is handled by
 * generate, score, serve, preview, the blind audit and the memory budget with no switch edited.
 *
 * <p>Each check looks for a value only {@code MirrorTask} gives: a consumer that fell back to a
 * default, or to a switch on task ids that does not name {@code mirror}, fails it. Tagged {@code
 * sixth-task}, it runs in a surefire execution of its own (ssrl-cli/pom.xml), the only one that
 * sees the test jar; the other tests see the tasks they saw before.
 */
@Tag("sixth-task")
class SixthTaskTest {
  private static final String TOLERANT_WRONG = "<think>it is turned</think> \\boxed{B}";
  private static final String UNFORMATTED_RIGHT = "\\boxed{a}";

  @TempDir Path tmp;

  @Test
  void theSixthTaskIsFoundThroughItsOwnServicesEntryAndListedAfterTheFive() {
    // Known here only by its id: this module's code and this test never name its class.
    assertEquals("dev.ssrl.tasks.example.MirrorTask", Tasks.byId("mirror").getClass().getName());
    List<String> order = Tasks.defaultOrder(Tasks.all());
    assertEquals(
        List.of("shuffle", "flip", "crop", "depth", "position"), order.subList(0, 5), "" + order);
    assertTrue(order.contains("mirror"), "" + order);
  }

  @Test
  void generateTakesItsPresetShareAndTheAuditItsHeuristics() throws IOException {
    Path preset = tmp.resolve("preset");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            preset.toString(),
            "--preset",
            "spatial-ssrl-81k",
            "--builtin-scenes",
            "8",
            "--threads",
            "2");
    assertEquals(0, r.status, r::toString);
    JsonNode config = manifest(preset).get("config");
    // The task's share, 4,005 against depth's 20,620, to 4 places; the five keep theirs.
    assertEquals(0.1942, config.get("mix").get("mirror").asDouble());
    assertEquals(0.1942, config.get("mix").get("flip").asDouble());
    assertEquals(1.0, config.get("mix").get("depth").asDouble());
    assertEquals(
        List.of("shuffle", "flip", "crop", "depth", "position", "mirror"),
        texts(config.get("tasks")));

    Path ds = mirrorDataset();
    JsonNode audit = manifest(ds).get("audit").get("tasks").get("mirror");
    assertTrue(audit.get("samples").asLong() > 0, audit::toString);
    JsonNode baselines = audit.get("baselines");
    // Its own baselines: a letter prior with chance 1/2 and the transform prior, which the
    // answer-only default ("mostFrequentAnswer") would not report.
    assertEquals(List.of("optionLetter", "mostFrequentTransform"), names(baselines));
    assertEquals(0.5, baselines.get("optionLetter").get("chance").asDouble());
    assertEquals(0.5, baselines.get("mostFrequentTransform").get("chance").asDouble());
    assertEquals(
        audit.get("samples").asLong(),
        baselines.get("mostFrequentTransform").get("evaluated").asLong());
  }

  @Test
  void scoreUsesItsOwnVerifier() throws IOException {
    String in =
        "{\"id\":\"w\",\"task\":\"mirror\",\"response\":"
            + Json.MAPPER.writeValueAsString(TOLERANT_WRONG)
            + ",\"answer\":\"A\"}\n"
            + "{\"id\":\"r\",\"task\":\"mirror\",\"response\":"
            + Json.MAPPER.writeValueAsString(UNFORMATTED_RIGHT)
            + ",\"answer\":\"A\"}\n";
    Cli r =
        Cli.run(
            Rewards.scoring(), in, "score", "--in", "-", "--out", "-", "--reward-mode", "tolerant");
    assertEquals(0, r.status, r::toString);
    String[] lines = r.out.split("\n");
    // 0.8 accuracy + 0.2 format: a built-in verifier gives 0.1 and 0.9 here.
    assertEquals(0.2, Json.MAPPER.readTree(lines[0]).get("overall").asDouble(), 1e-12);
    assertEquals(0.8, Json.MAPPER.readTree(lines[1]).get("overall").asDouble(), 1e-12);
  }

  @Test
  void serveUsesItsOwnVerifier() throws Exception {
    RewardServer server = new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 2, 4, 1 << 20, 100);
    int port = server.start();
    try {
      String body =
          "{\"mode\":\"tolerant\",\"items\":["
              + "{\"task\":\"mirror\",\"answer\":\"A\",\"response\":"
              + Json.MAPPER.writeValueAsString(TOLERANT_WRONG)
              + "},{\"task\":\"mirror\",\"answer\":\"A\",\"response\":"
              + Json.MAPPER.writeValueAsString(UNFORMATTED_RIGHT)
              + "}]}";
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/score"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode results = Json.MAPPER.readTree(r.body()).get("results");
      assertEquals(0.2, results.get(0).get("overall").asDouble(), 1e-12);
      assertEquals(0.8, results.get(1).get("overall").asDouble(), 1e-12);
      // The detail only MirrorTask's verifier reports.
      assertEquals(0.0, results.get(1).get("details").get("sameCase").asDouble());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void previewShowsItsCaptions() throws IOException {
    Path ds = mirrorDataset();
    JsonNode first = Json.MAPPER.readTree(Files.readAllLines(ds.resolve(Generator.TRAIN)).get(0));
    Path html = tmp.resolve("preview.html");
    Cli r = Cli.run("preview", "--dataset", ds.toString(), "--out", html.toString());
    assertEquals(0, r.status, r::toString);
    String page = Files.readString(html);
    assertTrue(page.contains("<figcaption>original</figcaption>"), page);
    String transformed =
        "<figcaption>transformed ("
            + first.get("metadata").get("transform").asText()
            + ")</figcaption>";
    assertTrue(page.contains(transformed), transformed);
  }

  @Test
  void theMemoryBudgetUsesItsHeapPerPixel() throws IOException {
    // The guard's estimate for a scene (the figure generate compares with a worker's share; since
    // issue 27 a run has at most one worker per core, so a 2-core test JVM's share is too large
    // to make generate print it): MirrorTask's 6 B/px on top of the 3 B/px scene.
    long pixels = 1000L * 1000;
    long fixed = 8L << 20;
    long mirror = MemoryBudget.estimate(pixels, 3, false, 0, List.of(Tasks.byId("mirror")));
    assertEquals(fixed + pixels * (3 + 6), mirror);
    // A task that does not say gets the default, 34 B/px: the capability is what made it 9.
    Task silent =
        new Task() {
          @Override
          public String id() {
            return "silent";
          }

          @Override
          public dev.ssrl.api.AnswerFormat answerFormat() {
            return dev.ssrl.api.AnswerFormat.OPTION_LETTER;
          }

          @Override
          public boolean needsDepth() {
            return false;
          }

          @Override
          public dev.ssrl.api.Outcome generate(
              dev.ssrl.api.Scene scene, long seed, dev.ssrl.api.GenerationOptions options) {
            throw new UnsupportedOperationException("not generated in this test");
          }
        };
    assertEquals(
        fixed + pixels * (3 + 34), MemoryBudget.estimate(pixels, 3, false, 0, List.of(silent)));
    // And generate runs the mirror task on a scene of that size under the budget.
    Path src = tmp.resolve("scenes");
    Files.createDirectories(src);
    Raster rgb = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 3, 1000, 1000).rgb();
    Files.write(src.resolve("big.jpg"), ImageCodec.encodeJpeg(rgb, 90));
    Path out = tmp.resolve("memory");
    Cli r = Cli.run("generate", "--out", out.toString(), "--tasks", "mirror", src.toString());
    assertEquals(0, r.status, r::toString);
    assertTrue(manifest(out).get("counts").get("mirror").get("train").asLong() == 1, r.err);
  }

  /** A mirror-only dataset from six built-in scenes. */
  private Path mirrorDataset() {
    Path ds = tmp.resolve("mirror");
    if (!Files.isDirectory(ds)) {
      Cli r =
          Cli.run("generate", "--out", ds.toString(), "--tasks", "mirror", "--builtin-scenes", "6");
      assertEquals(0, r.status, r::toString);
    }
    return ds;
  }

  private static JsonNode manifest(Path ds) throws IOException {
    return Json.MAPPER.readTree(ds.resolve(Generator.MANIFEST).toFile());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
