package dev.ssrl.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.Cli;
import dev.ssrl.cli.FakeScoring;
import dev.ssrl.cli.Main;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
  @TempDir Path tmp;

  static final String INPUT =
      String.join(
          "\n",
          "{\"id\":\"a\",\"group\":\"p1\",\"response\":\"<think>x</think> \\\\boxed{C}\",\"answer\":\"C\",\"task\":\"crop\"}",
          "{\"id\":\"b\",\"group\":\"p1\",\"response\":\"\\\\boxed{D}\",\"answer\":\"C\",\"task\":\"crop\"}",
          "{\"id\":\"c\",\"group\":\"p2\",\"response\":\"<think></think>\\\\boxed{0-1}\",\"answer\":\"0-1\"}",
          "{\"id\":\"d\",\"response\":\"nothing\",\"answer\":\"1\"}",
          "");

  @Test
  void scoresInOrderWithGroupAdvantagesFromStdinToStdout() throws IOException {
    Cli r = Cli.run(new FakeScoring(), INPUT, "score", "--in", "-", "--out", "-");
    assertEquals(0, r.status, r::toString);
    List<JsonNode> out = new ArrayList<>();
    for (String l : r.out.split("\n")) {
      out.add(Json.MAPPER.readTree(l));
    }
    assertEquals(List.of("a", "b", "c", "d"), out.stream().map(n -> n.get("id").asText()).toList());
    assertEquals(1.0, out.get(0).get("overall").asDouble(), 1e-12);
    assertEquals(0.0, out.get(1).get("overall").asDouble(), 1e-12);
    // Group p1 has rewards 1.0 and 0.0: mean 0.5 with the test double's rule (r - mean).
    assertEquals(0.5, out.get(0).get("advantage").asDouble(), 1e-12);
    assertEquals(-0.5, out.get(1).get("advantage").asDouble(), 1e-12);
    assertEquals(0.0, out.get(2).get("advantage").asDouble(), 1e-12, "group of one");
    assertEquals(0.0, out.get(3).get("advantage").asDouble(), 1e-12, "no group: its own group");
    for (JsonNode n : out) {
      for (String k : List.of("id", "overall", "format", "accuracy", "details", "advantage")) {
        assertTrue(n.has(k), k + " in " + n);
      }
    }
    assertTrue(r.err.contains("crop") && r.err.contains("count      2"), r.err);
  }

  @Test
  void filesInAndOut() throws IOException {
    Path in = tmp.resolve("in.jsonl");
    Path out = tmp.resolve("out.jsonl");
    Files.writeString(in, INPUT);
    Cli r = Cli.run(new FakeScoring(), "", "score", "--in", in.toString(), "--out", out.toString());
    assertEquals(0, r.status, r::toString);
    assertEquals(4, Files.readAllLines(out).size());
  }

  @Test
  void aMalformedLineIsAnErrorNamingItsNumber() {
    String bad = INPUT.replace("{\"id\":\"c\"", "{\"id\" \"c\"");
    Cli r = Cli.run(new FakeScoring(), bad, "score", "--in", "-", "--out", "-");
    assertEquals(1, r.status, r::toString);
    assertTrue(r.err.contains("line 3"), r.err);
    Cli missing =
        Cli.run(
            new FakeScoring(),
            "{\"id\":\"x\",\"response\":\"r\"}\n",
            "score",
            "--in",
            "-",
            "--out",
            "-");
    assertEquals(1, missing.status);
    assertTrue(missing.err.contains("line 1") && missing.err.contains("'answer'"), missing.err);
  }

  @Test
  void aMissingInputFileIsAnUnusableArgument() {
    Cli r = Cli.run("score", "--in", tmp.resolve("none.jsonl").toString(), "--out", "-");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("none.jsonl"), r.err);
  }

  @Test
  void whenScoringIsUnavailableScoreSaysWhyAndExitsOne() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status =
        Main.execute(
            new CliContext(
                () -> {
                  throw new IllegalStateException("no reward library here");
                },
                new java.io.ByteArrayInputStream(
                    INPUT.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true)),
            "score",
            "--in",
            "-",
            "--out",
            "-");
    assertEquals(1, status);
    assertTrue(err.toString().contains("no reward library here"), err.toString());
  }

  /**
   * --reward-mode: reference (the default) ignores the task and scores exactly as Spatial-SSRL;
   * tolerant uses the task's verifier and refuses a line without a task, naming it.
   */
  @Test
  void rewardModeChoosesTheReferenceOrTheTaskVerifier() throws IOException {
    String in =
        "{\"id\":\"a\",\"response\":\"<think>t</think> \\\\boxed{(B)}\",\"answer\":\"B\","
            + "\"task\":\"crop\"}\n";
    Cli ref = Cli.run(Rewards.scoring(), in, "score", "--in", "-", "--out", "-");
    assertEquals(0, ref.status, ref::toString);
    assertEquals(0.1, Json.MAPPER.readTree(ref.out).get("overall").asDouble(), 1e-12);
    Cli tol =
        Cli.run(
            Rewards.scoring(), in, "score", "--reward-mode", "tolerant", "--in", "-", "--out", "-");
    assertEquals(0, tol.status, tol::toString);
    assertEquals(1.0, Json.MAPPER.readTree(tol.out).get("overall").asDouble(), 1e-12);
    Cli missing =
        Cli.run(
            Rewards.scoring(),
            in + "{\"id\":\"b\",\"response\":\"x\",\"answer\":\"B\"}\n",
            "score",
            "--reward-mode",
            "tolerant",
            "--in",
            "-",
            "--out",
            "-");
    assertEquals(1, missing.status, missing::toString);
    assertTrue(missing.err.contains("line 2: field 'task' is missing"), missing.err);
    Cli bad =
        Cli.run(
            Rewards.scoring(), in, "score", "--reward-mode", "loose", "--in", "-", "--out", "-");
    assertEquals(2, bad.status, bad::toString);
    assertTrue(bad.err.contains("reference or tolerant"), bad.err);
  }
}
