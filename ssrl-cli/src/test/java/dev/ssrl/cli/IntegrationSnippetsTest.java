package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.serve.RewardServer;
import dev.ssrl.cli.serve.RewardServerTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python reward functions printed in {@code docs/integrations.md} (EasyR1, verl, TRL), as
 * written, against a real server on loopback, so the documentation cannot drift from the protocol.
 * It needs {@code python3} with {@code requests} (what those trainers use); without them it is
 * reported as skipped with that reason. The Java-side payload tests in {@link RewardServerTest} run
 * everywhere.
 */
class IntegrationSnippetsTest {
  private RewardServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void theDocumentedPythonRewardFunctionsGetTheRightRewards() throws Exception {
    assumeTrue(
        pythonWithRequests(), "python3 with the requests package is not available on this machine");
    Path doc = repositoryRoot().resolve("docs/integrations.md");
    Path script = Path.of(getClass().getResource("/integrations/run_snippets.py").toURI());

    server = new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 2, 16, 1 << 20, 64);
    int port = server.start();
    Process p =
        new ProcessBuilder("python3", script.toString(), doc.toString(), Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "snippets did not finish");
    assertEquals(0, p.exitValue(), output);
    JsonNode r = Json.MAPPER.readTree(output);

    JsonNode easy = r.get("easyr1");
    assertEquals(1.0, easy.get(0).get("overall").asDouble());
    assertEquals(1.0, easy.get(0).get("format").asDouble());
    assertEquals(0.0, easy.get(1).get("overall").asDouble(), "no <think> and a wrong answer");

    assertEquals(1.0, r.get("verl").get("score").asDouble());
    // Right format, wrong letter: only the format weight.
    assertEquals(0.1, r.get("verl_wrong").get("score").asDouble(), 1e-12);

    assertEquals(1.0, r.get("trl").get(0).asDouble());
    assertEquals(0.1, r.get("trl").get(1).asDouble(), 1e-12, "chat-format completion, wrong");
  }

  private static boolean pythonWithRequests() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import requests")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static Path repositoryRoot() throws URISyntaxException {
    // target/test-classes -> ssrl-cli -> repository root
    Path classes =
        Path.of(
            IntegrationSnippetsTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    return classes.getParent().getParent().getParent();
  }
}
