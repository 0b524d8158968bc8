package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.serve.QueryResponse;
import dev.ssrl.cli.serve.RewardServer;
import dev.ssrl.testsupport.SharedData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request body captured from OpenRLHF's own client code (v0.9.0 and v0.11.0, in {@code
 * ../shared/reference/clients/}) is posted byte for byte to a live {@code /get_reward} with the
 * real reward and must get the rewards {@code expected.json} states for it.
 */
class OpenRlhfClientsTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private RewardServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 2, 16, 1 << 22, 64);
    port = server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void everyCapturedBodyGetsItsStatedRewards() throws Exception {
    Path dir = SharedData.require("reference/clients");
    JsonNode expected = Json.MAPPER.readTree(dir.resolve("expected.json").toFile());
    int files = 0;
    int imageBodies = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byte[] body = Files.readAllBytes(dir.resolve(e.getKey()));
      JsonNode sent = Json.MAPPER.readTree(body);
      String q0 = sent.get("query").get(0).asText();
      if (!q0.startsWith(sent.get("prompts").get(0).asText())) {
        imageBodies++;
      }
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get_reward"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), e.getKey() + ": " + r.body());
      JsonNode got = Json.MAPPER.readTree(r.body());
      assertEquals("reference", got.get("mode").asText());
      JsonNode want = e.getValue();
      assertEquals(want.size(), got.get("rewards").size(), e.getKey());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(
            want.get(i).asDouble(),
            got.get("rewards").get(i).asDouble(),
            1e-12,
            e.getKey() + " item " + i);
      }
      // Each body's prompt is found by the first rule, not by the assistant-marker fallback.
      for (int i = 0; i < sent.get("query").size(); i++) {
        QueryResponse.Found f =
            QueryResponse.find(
                sent.get("query").get(i).asText(), sent.get("prompts").get(i).asText());
        assertEquals(QueryResponse.Rule.PROMPT, f.rule(), e.getKey());
        assertFalse(f.response().contains("<|image_pad|>"), e.getKey());
      }
      files++;
    }
    assertEquals(13, files, "bodies listed in expected.json");
    // The point of the test: the bodies whose query does not start with the prompt (8 of 13).
    assertTrue(imageBodies >= 8, "image bodies: " + imageBodies);
  }
}
