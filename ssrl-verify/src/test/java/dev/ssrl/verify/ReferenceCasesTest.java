package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssrl.api.Reward;
import dev.ssrl.testsupport.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reward agrees with the reference implementation on all of its recorded cases. */
class ReferenceCasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(
      int line,
      String response,
      String groundTruth,
      double overall,
      double format,
      double accuracy) {}

  static List<Case> load() throws IOException {
    Path file = SharedData.require("reference/reward-cases.jsonl");
    List<Case> cases = new ArrayList<>();
    int line = 0;
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(text);
      cases.add(
          new Case(
              line,
              n.get("response").asText(),
              n.get("ground_truth").asText(),
              n.get("overall").asDouble(),
              n.get("format").asDouble(),
              n.get("accuracy").asDouble()));
    }
    return cases;
  }

  @Test
  void everyReferenceCaseScoresExactlyAsTheReference() throws IOException {
    List<Case> cases = load();
    assertEquals(3000, cases.size(), "reference case count");
    SpatialSsrlReward reward = SpatialSsrlReward.standard();
    List<String> disagreements = new ArrayList<>();
    for (Case c : cases) {
      Reward r = reward.score(c.response(), c.groundTruth());
      if (r.overall() != c.overall() || r.format() != c.format() || r.accuracy() != c.accuracy()) {
        disagreements.add(
            "line "
                + c.line()
                + ": got "
                + r
                + ", reference "
                + c.overall()
                + "/"
                + c.format()
                + "/"
                + c.accuracy());
      }
    }
    assertTrue(disagreements.isEmpty(), disagreements.size() + " disagree: " + disagreements);
  }

  @Test
  void extractionAndFormatHelpersAgreeWithTheReferenceScores() throws IOException {
    for (Case c : load()) {
      assertEquals(
          c.format() == 1, SpatialSsrlReward.hasFormat(c.response()), "format, line " + c.line());
      assertEquals(
          c.accuracy() == 1,
          SpatialSsrlReward.extractAnswer(c.response()).equals(c.groundTruth()),
          "accuracy, line " + c.line());
    }
  }

  @Test
  void batchScoringInParallelGivesTheReferenceScoresInInputOrder() throws IOException {
    List<Case> cases = load();
    List<BatchScorer.Request> requests = new ArrayList<>();
    for (Case c : cases) {
      requests.add(new BatchScorer.Request(c.response(), c.groundTruth()));
    }
    List<Reward> rewards = BatchScorer.of(Verifiers.reference()).score(requests);
    for (int i = 0; i < cases.size(); i++) {
      assertEquals(cases.get(i).overall(), rewards.get(i).overall(), "line " + cases.get(i).line());
    }
  }
}
