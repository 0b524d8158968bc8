package dev.ssrl.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Reward test inputs: the reference cases, and packing for the host harness. */
final class RewardCases {
  private RewardCases() {}

  /** One response with the scores the reference gave it. */
  record Case(String response, String truth, double format, double accuracy, double overall) {}

  /** The 3,000 cases of ../shared/reference/reward-cases.jsonl (skips or fails when absent). */
  static List<Case> reference() throws IOException {
    Path file = SharedData.require("reference/reward-cases.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<Case> cases = new ArrayList<>();
    int line = 0;
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line++;
      if (l.isBlank()) {
        continue;
      }
      JsonNode n = json.readTree(l);
      for (String f : List.of("response", "ground_truth", "format", "accuracy", "overall")) {
        if (!n.hasNonNull(f)) {
          throw new IOException(file + ":" + line + ": missing field " + f);
        }
      }
      cases.add(
          new Case(
              n.get("response").asText(),
              n.get("ground_truth").asText(),
              n.get("format").asDouble(),
              n.get("accuracy").asDouble(),
              n.get("overall").asDouble()));
    }
    return cases;
  }

  private static final String[] TOKENS = {
    "<think>", "</think>", "<", ">", "/", "think", "\\boxed{", "\\boxed", "{", "}", "A", "B",
    "3-1-2", "答案", "😀", "é", " ", " ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "\u2003",
    "\u0085", "\u001c", "\u001f", "\u2028", "\u200b", "\ufeff", "\u180e", "x", "None", "(C)"
  };
  private static final String[] TRUTHS = {"A", "3-1-2", "答案", "None", "A B", "{A}", "a/b", ""};

  /**
   * Random responses built from the tokens the rules react to (tags, delimiters, braces, ASCII and
   * Unicode whitespace, and non-whitespace look-alikes such as U+200B), paired with truths; half of
   * the truths are what the oracle extracts, so that both accuracy outcomes are exercised.
   */
  static List<Case> random(long seed, int n, int maxTokens) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Case> cases = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      if (rnd.nextBoolean()) {
        sb.append("<think>");
      }
      int tokens = rnd.nextInt(maxTokens + 1);
      for (int j = 0; j < tokens; j++) {
        sb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
      }
      String response = sb.toString();
      String truth =
          rnd.nextBoolean()
              ? PythonReference.extract(PythonReference.normalise(response))
              : TRUTHS[rnd.nextInt(TRUTHS.length)];
      double[] want = PythonReference.score(response, truth, 0.1);
      cases.add(new Case(response, truth, want[0], want[1], want[2]));
    }
    return cases;
  }

  /** The harness's reward input for these items (layout in src/test/cuda/harness.cpp). */
  static byte[] harnessInput(List<String> responses, List<String> truths, double formatWeight) {
    Utf8Pack r = Utf8Pack.of(responses, true, "responses");
    Utf8Pack t = Utf8Pack.of(truths, false, "ground truths");
    int n = responses.size();
    ByteBuffer b =
        ByteBuffer.allocate(12 + 16 * (n + 1) + r.bytes.length + t.bytes.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(n).putDouble(formatWeight);
    for (long o : r.offsets) {
      b.putLong(o);
    }
    for (long o : t.offsets) {
      b.putLong(o);
    }
    b.put(r.bytes).put(t.bytes);
    return b.array();
  }

  /** Scores through the host build of reward_core.cuh: per item {format, accuracy, overall}. */
  static double[][] hostScores(List<String> responses, List<String> truths, double formatWeight)
      throws IOException, InterruptedException {
    byte[] out = HostHarness.run("reward", harnessInput(responses, truths, formatWeight));
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    if (out.length != 16 * responses.size()) {
      throw new AssertionError("harness wrote " + out.length + " bytes for " + responses.size());
    }
    double[][] s = new double[responses.size()][];
    for (int i = 0; i < s.length; i++) {
      s[i] = new double[] {b.getFloat(), b.getFloat(), b.getDouble()};
    }
    return s;
  }
}
