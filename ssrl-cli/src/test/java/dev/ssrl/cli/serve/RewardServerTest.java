package dev.ssrl.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Reward;
import dev.ssrl.cli.FakeScoring;
import dev.ssrl.cli.RawHttp;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.RewardMode;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.common.Scoring;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives the reward server over real HTTP on an ephemeral loopback port. */
public class RewardServerTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private RewardServer server;
  private int port;
  private final FakeScoring scoring = new FakeScoring();

  void start(Scoring s, int threads, int queue, int maxBody, int maxItems) throws IOException {
    server = new RewardServer(s, "127.0.0.1", 0, threads, queue, maxBody, maxItems);
    port = server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return Json.MAPPER.readTree(r.body());
  }

  /** The body docs/integrations.md shows for OpenRLHF's --remote_rm_url. */
  @Test
  void openRlhfRemoteRewardStripsThePromptFromTheQuery() throws Exception {
    start(scoring, 2, 4, 1 << 20, 100);
    String body =
        "{\"query\": [\"<|im_start|>user\\nWhich tile?<|im_end|>\\n<|im_start|>assistant\\n"
            + "<think>tile 3 is mirrored</think> \\\\boxed{3-1}\","
            + " \"<|im_start|>user\\nWhich tile?<|im_end|>\\n<|im_start|>assistant\\n\\\\boxed{2-0}\"],"
            + " \"prompts\": [\"<|im_start|>user\\nWhich tile?<|im_end|>\\n<|im_start|>assistant\\n\","
            + " \"<|im_start|>user\\nWhich tile?<|im_end|>\\n<|im_start|>assistant\\n\"],"
            + " \"labels\": [\"3-1\", \"3-1\"]}";
    HttpResponse<String> r = post("/get_reward", body);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode n = json(r);
    assertEquals(1.0, n.get("rewards").get(0).asDouble(), 1e-12);
    assertEquals(0.0, n.get("rewards").get(1).asDouble(), 1e-12);
    assertEquals(n.get("rewards"), n.get("scores"));
    assertEquals(1.0, n.get("extra_logs").get("format").get(0).asDouble(), 1e-12);
    assertEquals(0.0, n.get("extra_logs").get("accuracy").get(1).asDouble(), 1e-12);
  }

  /** The payload of the EasyR1 reward-function file and the TRL reward function (batch). */
  @Test
  void nativeScoreReturnsRewardsAndGroupAdvantages() throws Exception {
    start(scoring, 2, 4, 1 << 20, 100);
    String body =
        "{\"items\": ["
            + "{\"response\": \"<think>a</think>\\\\boxed{C}\", \"answer\": \"C\", \"task\": \"crop\","
            + " \"group\": \"q1\"},"
            + "{\"response\": \"\\\\boxed{B}\", \"answer\": \"C\", \"task\": \"crop\", \"group\": \"q1\"},"
            + "{\"response\": \"<think>b</think>\\\\boxed{2-1-3}\", \"answer\": \"2-1-3\"}]}";
    HttpResponse<String> r = post("/v1/score", body);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode res = json(r).get("results");
    assertEquals(3, res.size());
    assertEquals(1.0, res.get(0).get("overall").asDouble(), 1e-12);
    assertEquals(0.5, res.get(0).get("advantage").asDouble(), 1e-12);
    assertEquals(-0.5, res.get(1).get("advantage").asDouble(), 1e-12);
    assertEquals(0.0, res.get(2).get("advantage").asDouble(), 1e-12);
    for (String k : new String[] {"overall", "format", "accuracy", "details", "advantage"}) {
      assertTrue(res.get(2).has(k), k);
    }
  }

  /** The single-item payload of the verl custom reward function (task from extra_info). */
  @Test
  void verlSingleItemCarriesTheTask() throws Exception {
    start(scoring, 1, 1, 1 << 20, 100);
    String body =
        "{\"mode\": \"tolerant\", \"items\": [{\"response\":"
            + " \"<think>x</think>\\\\boxed{A}\", \"answer\": \"A\", \"task\": \"position\"}]}";
    HttpResponse<String> r = post("/v1/score", body);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1.0, json(r).get("results").get(0).get("overall").asDouble(), 1e-12);
    assertEquals("position", scoring.lastTask);
  }

  /**
   * Responses are not held back by Nagle's algorithm (about 40 ms per request otherwise): every
   * accepted socket has TCP_NODELAY on.
   */
  @Test
  void serverSocketsDisableNagle() throws Exception {
    start(scoring, 1, 1, 1 << 20, 100);
    try (RawHttp c = new RawHttp(port, 10_000)) {
      assertEquals(200, c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
      var sockets = server.transport().openSockets();
      assertEquals(1, sockets.size());
      for (var channel : sockets) {
        assertEquals(true, channel.getOption(java.net.StandardSocketOptions.TCP_NODELAY));
      }
    }
  }

  @Test
  void healthAnswersGet() throws Exception {
    start(scoring, 1, 1, 1 << 20, 100);
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("ok", json(r).get("status").asText());
  }

  @Test
  void badRequestsGetAStatusAndAJsonErrorNamingTheProblem() throws Exception {
    start(scoring, 1, 2, 300, 2);
    HttpResponse<String> malformed = post("/v1/score", "{\"items\": [");
    assertEquals(400, malformed.statusCode());
    assertTrue(json(malformed).get("error").asText().startsWith("malformed JSON"));
    HttpResponse<String> missing = post("/get_reward", "{\"query\": [\"x\"]}");
    assertEquals(400, missing.statusCode());
    assertTrue(json(missing).get("error").asText().contains("'labels'"), missing.body());
    HttpResponse<String> noAnswer = post("/v1/score", "{\"items\": [{\"response\": \"x\"}]}");
    assertEquals(400, noAnswer.statusCode());
    assertTrue(json(noAnswer).get("error").asText().contains("items[0].answer"), noAnswer.body());
    HttpResponse<String> mismatch =
        post("/get_reward", "{\"query\": [\"a\", \"b\"], \"labels\": [\"a\"]}");
    assertEquals(400, mismatch.statusCode());
    HttpResponse<String> tooMany =
        post(
            "/v1/score", "{\"items\": [{\"answer\":\"A\"},{\"answer\":\"A\"},{\"answer\":\"A\"}]}");
    assertEquals(413, tooMany.statusCode(), tooMany.body());
    HttpResponse<String> tooBig =
        post("/v1/score", "{\"items\": [], \"pad\": \"" + "x".repeat(400) + "\"}");
    assertEquals(413, tooBig.statusCode());
    assertEquals(404, post("/nope", "{}").statusCode());
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/score")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
  }

  /** One scoring thread, no queue: while it is busy a second request is refused with 503. */
  @Test
  void aSaturatedServerAnswers503() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Scoring blocking =
        new Scoring() {
          @Override
          public Reward score(String task, String response, String answer) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Reward.zero();
          }

          @Override
          public double[] advantages(double[] g) {
            return new double[g.length];
          }
        };
    start(blocking, 1, 0, 1 << 20, 100);
    String body = "{\"items\": [{\"response\": \"x\", \"answer\": \"A\"}]}";
    CompletableFuture<HttpResponse<String>> first =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/score"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    entered.await();
    HttpResponse<String> second = post("/v1/score", body);
    assertEquals(503, second.statusCode(), second.body());
    release.countDown();
    assertEquals(200, first.get().statusCode());
  }

  /**
   * The same items under both modes: reference is Spatial-SSRL's exact-match reward whatever the
   * task; tolerant parses by task and gives partial credit. The answer names the mode used.
   */
  @Test
  void rewardModeIsAnExplicitChoice() throws Exception {
    start(Rewards.scoring(), 1, 4, 1 << 20, 100);
    String items =
        "\"items\": [{\"response\": \"<think>t</think> \\\\boxed{(B)}\", \"answer\": \"B\","
            + " \"task\": \"crop\"}, {\"response\": \"<think>t</think> \\\\boxed{1 - 2 - 3}\","
            + " \"answer\": \"1-2-3\", \"task\": \"depth\"}]";
    JsonNode ref = json(post("/v1/score", "{" + items + "}"));
    assertEquals("reference", ref.get("mode").asText());
    assertEquals(0.1, ref.get("results").get(0).get("overall").asDouble(), 1e-12);
    assertEquals(0.1, ref.get("results").get(1).get("overall").asDouble(), 1e-12);
    JsonNode explicit = json(post("/v1/score", "{\"mode\": \"reference\", " + items + "}"));
    assertEquals(ref, explicit);
    JsonNode tol = json(post("/v1/score", "{\"mode\": \"tolerant\", " + items + "}"));
    assertEquals("tolerant", tol.get("mode").asText());
    assertEquals(1.0, tol.get("results").get(0).get("overall").asDouble(), 1e-12);
    assertEquals(1.0, tol.get("results").get(1).get("overall").asDouble(), 1e-12);

    HttpResponse<String> noTask =
        post(
            "/v1/score",
            "{\"mode\": \"tolerant\", \"items\": [{\"response\": \"x\", \"answer\": \"A\"}]}");
    assertEquals(400, noTask.statusCode());
    assertTrue(json(noTask).get("error").asText().contains("items[0].task"), noTask.body());
    HttpResponse<String> unknown = post("/v1/score", "{\"mode\": \"lenient\", " + items + "}");
    assertEquals(400, unknown.statusCode());
    assertTrue(json(unknown).get("error").asText().contains("reference or tolerant"));

    String openrlhf =
        "{\"mode\": \"tolerant\", \"query\": [\"<think>t</think> \\\\boxed{b}\"],"
            + " \"labels\": [\"B\"], \"tasks\": [\"position\"]}";
    JsonNode o = json(post("/get_reward", openrlhf));
    assertEquals("tolerant", o.get("mode").asText());
    assertEquals(1.0, o.get("rewards").get(0).asDouble(), 1e-12);
    JsonNode oRef = json(post("/get_reward", openrlhf.replace("tolerant", "reference")));
    assertEquals(0.1, oRef.get("rewards").get(0).asDouble(), 1e-12);
  }

  /** {@code ssrl serve --reward-mode tolerant}: a request without a mode gets the server's. */
  @Test
  void theServerDefaultModeAppliesWhenTheRequestNamesNone() throws Exception {
    server =
        new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 1, 4, 1 << 20, 100)
            .defaultMode(RewardMode.TOLERANT);
    port = server.start();
    JsonNode n =
        json(
            post(
                "/v1/score",
                "{\"items\": [{\"response\": \"<think>t</think> \\\\boxed{c}\", \"answer\":"
                    + " \"C\", \"task\": \"crop\"}]}"));
    assertEquals("tolerant", n.get("mode").asText());
    assertEquals(1.0, n.get("results").get(0).get("overall").asDouble(), 1e-12);
  }
}
