package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.serve.RewardServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code --partial-credit} in {@code score} and {@code serve}, and the per-line {@code grid}. The
 * expected credits are worked out by hand from the definitions in docs/verifiers.md: truth {@code
 * 0-1-2-3} answered {@code 2-3-0-1} swaps the rows of a 2×2 grid (2 of its 4 neighbour pairs kept:
 * 0.5), keeps 2 of the 3 pairs of a one-row reading (2/3), and no position (fraction 0).
 */
class PartialCreditCliTest {
  private static final String RESPONSE = "<think>t</think> \\\\boxed{2-3-0-1}";

  private static String line(String id, String task, String grid) {
    return "{\"id\":\""
        + id
        + "\",\"task\":\""
        + task
        + "\",\"response\":\""
        + RESPONSE
        + "\",\"answer\":\"0-1-2-3\""
        + (grid == null ? "" : ",\"grid\":\"" + grid + "\"")
        + "}\n";
  }

  private static double[] accuracies(Cli r) throws IOException {
    String[] lines = r.out.split("\n");
    double[] a = new double[lines.length];
    for (int i = 0; i < lines.length; i++) {
      a[i] = Json.MAPPER.readTree(lines[i]).get("accuracy").asDouble();
    }
    return a;
  }

  private static Cli score(String in, String... extra) {
    String[] args = new String[6 + extra.length];
    System.arraycopy(
        new String[] {"score", "--in", "-", "--out", "-", "--reward-mode"}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    return Cli.run(Rewards.scoring(), in, args);
  }

  @Test
  void scoreGivesEachTaskItsChosenCredit() throws IOException {
    String in =
        line("grid", "shuffle", "2x2")
            + line("row", "shuffle", null)
            + line("depth", "depth", null);
    Cli r = score(in, "tolerant", "--partial-credit", "shuffle=adjacency, depth=exact");
    assertEquals(0, r.status, r::toString);
    double[] a = accuracies(r);
    assertEquals(0.5, a[0], 1e-15);
    assertEquals(2.0 / 3, a[1], 1e-15);
    assertEquals(0.0, a[2], 1e-15);
    // Without the option: the default fraction credit, the grid unread.
    Cli plain = score(in, "tolerant");
    assertEquals(0, plain.status, plain::toString);
    double[] d = accuracies(plain);
    assertEquals(0.0, d[0] + d[1] + d[2], 1e-15);
  }

  @Test
  void theReferenceRewardIgnoresTheGridAndRefusesTheOption() throws IOException {
    Cli r = score(line("a", "shuffle", "2x2") + line("b", "shuffle", "9x9"), "reference");
    assertEquals(0, r.status, r::toString);
    double[] a = accuracies(r);
    assertEquals(0.0, a[0] + a[1]);
    Cli refused =
        score(line("a", "shuffle", null), "reference", "--partial-credit", "shuffle=exact");
    assertEquals(2, refused.status, refused::toString);
    assertTrue(
        refused.err.contains("--partial-credit applies to --reward-mode tolerant"), refused.err);
  }

  @Test
  void badChoicesAndGridsAreNamed() {
    String in = line("a", "shuffle", null);
    assertUsage(score(in, "tolerant", "--partial-credit", "crop=adjacency"), "task 'crop' answers");
    assertUsage(score(in, "tolerant", "--partial-credit", "shuffle=best"), "mode 'best'");
    assertUsage(score(in, "tolerant", "--partial-credit", "nosuch=exact"), "unknown task 'nosuch'");
    assertUsage(score(in, "tolerant", "--partial-credit", "shuffle"), "'shuffle' is not TASK=MODE");
    assertUsage(
        score(in, "tolerant", "--partial-credit", "shuffle=exact,shuffle=kendall"), "named twice");
    Cli cells =
        score(line("a", "shuffle", "3x3"), "tolerant", "--partial-credit", "shuffle=adjacency");
    assertEquals(1, cells.status, cells::toString);
    assertTrue(
        cells.err.contains("line 1: ") && cells.err.contains("grid 3x3 has 9 cells"), cells.err);
    Cli form =
        score(line("a", "shuffle", "2by2"), "tolerant", "--partial-credit", "shuffle=adjacency");
    assertEquals(1, form.status, form::toString);
    assertTrue(form.err.contains("line 1: field 'grid' must be CxR"), form.err);
    Cli type =
        score(
            "{\"task\":\"shuffle\",\"answer\":\"0-1\",\"grid\":2}\n",
            "tolerant",
            "--partial-credit",
            "shuffle=adjacency");
    assertEquals(1, type.status, type::toString);
    assertTrue(type.err.contains("line 1: field 'grid' is not a string"), type.err);
  }

  private static void assertUsage(Cli r, String text) {
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("--partial-credit: ") && r.err.contains(text), r.err);
  }

  @Test
  void serveTakesTheModePerRequestAndTheGridPerItem() throws Exception {
    RewardServer server = new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 2, 4, 1 << 20, 100);
    int port = server.start();
    try {
      String item =
          "{\"task\":\"shuffle\",\"answer\":\"0-1-2-3\",\"response\":\"" + RESPONSE + "\"";
      HttpResponse<String> r =
          post(
              port,
              "/v1/score",
              "{\"mode\":\"tolerant\",\"partial_credit\":\"shuffle=adjacency\",\"items\":["
                  + item
                  + ",\"grid\":\"2x2\"},"
                  + item
                  + "}]}");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode results = Json.MAPPER.readTree(r.body()).get("results");
      assertEquals(0.5, results.get(0).get("accuracy").asDouble(), 1e-15);
      assertEquals(0.5, results.get(0).get("details").get("adjacency").asDouble(), 1e-15);
      assertEquals(2.0 / 3, results.get(1).get("accuracy").asDouble(), 1e-15);
      HttpResponse<String> plain =
          post(
              port,
              "/v1/score",
              "{\"mode\":\"tolerant\",\"items\":[" + item + ",\"grid\":\"2x2\"}]}");
      assertEquals(
          0.0, Json.MAPPER.readTree(plain.body()).get("results").get(0).get("accuracy").asDouble());
      HttpResponse<String> reference =
          post(
              port,
              "/v1/score",
              "{\"partial_credit\":\"shuffle=adjacency\",\"items\":[" + item + "}]}");
      assertEquals(400, reference.statusCode());
      assertTrue(reference.body().contains("applies to mode tolerant"), reference.body());
      HttpResponse<String> cells =
          post(
              port,
              "/v1/score",
              "{\"mode\":\"tolerant\",\"partial_credit\":\"shuffle=adjacency\",\"items\":["
                  + item
                  + ",\"grid\":\"3x2\"}]}");
      assertEquals(400, cells.statusCode());
      assertTrue(cells.body().contains("items[0]: ") && cells.body().contains("3x2"), cells.body());
      HttpResponse<String> openrlhf =
          post(
              port,
              "/get_reward",
              "{\"mode\":\"tolerant\",\"partial_credit\":\"shuffle=adjacency\",\"query\":[\""
                  + RESPONSE
                  + "\"],\"labels\":[\"0-1-2-3\"],\"tasks\":[\"shuffle\"],\"grids\":[\"2x2\"]}");
      assertEquals(200, openrlhf.statusCode(), openrlhf.body());
      assertEquals(
          0.5,
          Json.MAPPER.readTree(openrlhf.body()).get("extra_logs").get("accuracy").get(0).asDouble(),
          1e-15);
    } finally {
      server.stop(0);
    }
  }

  private static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
