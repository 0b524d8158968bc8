package dev.ssrl.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssrl.testsupport.SharedData;
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

  /**
   * Hand-made hard inputs with the reference's answers: megabytes of braces, deep nesting, Unicode
   * and control whitespace, non-whitespace look-alikes, empty texts, long multi-byte texts.
   */
  static List<Case> adversarial() {
    List<Case> cases = new ArrayList<>();
    String megaOpen = "{".repeat(1 << 20);
    // 1 MiB of '{' after the box: never closed, so the answer is the literal "None" (which a
    // ground truth "None" matches, as in the reference) and there is no format credit.
    cases.add(new Case("<think>t</think>\\boxed{" + megaOpen, "None", 0, 1, 0.9));
    cases.add(new Case("<think>t</think>\\boxed{" + megaOpen, "x", 0, 0, 0));
    // 1 MiB of '{' before a box: the last box wins.
    cases.add(new Case("<think>" + megaOpen + "</think>\\boxed{ 7 }", "7", 1, 1, 1));
    // 100,000 nested braces inside the box are kept verbatim.
    String nested = "{".repeat(100_000) + "ans" + "}".repeat(100_000);
    cases.add(new Case("<think>t</think>\\boxed{" + nested + "}", nested, 1, 1, 1));
    // Unicode whitespace around delimiters, multi-byte content, 4-byte characters.
    cases.add(
        new Case(
            "\u3000< \u2003think\u00a0>思考😀</think>\u2028\\boxed{\u00a0答案😀\u3000}",
            "答案😀",
            1,
            1,
            1));
    // U+001C..U+001F and U+0085 are whitespace to Python; U+200B and U+FEFF are not.
    cases.add(new Case("<think>\u001c</ think>\\boxed{\u001fA\u0085}", "A", 1, 1, 1));
    cases.add(new Case("\u200b<think></think>\\boxed{A}", "A", 0, 1, 0.9));
    cases.add(new Case("<think></think>\\boxed{\ufeffA}", "A", 1, 0, 0.1));
    // Whitespace next to '/' inside the answer goes, other inner whitespace stays.
    cases.add(new Case("<think></think>\\boxed{ a / b  c }", "a/b  c", 1, 1, 1));
    // Empty response: the reference would extract "None" (no box) and match the truth "None",
    // but the Verifier contract of ssrl-api, which ssrl-verify follows, scores an empty response
    // zero; the GPU scorer equals ssrl-verify.
    cases.add(new Case("", "None", 0, 0, 0));
    cases.add(new Case("", "", 0, 0, 0));
    // A long well-formed text (about 1.5 MB of mixed-width characters) with the box at the end.
    StringBuilder longText = new StringBuilder("<think>");
    for (int i = 0; i < 100_000; i++) {
      longText.append("深度 é 😀 < / > { } ");
    }
    longText.append("</think> \\boxed{2-1-3}");
    cases.add(new Case(longText.toString(), "2-1-3", 1, 1, 1));
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
