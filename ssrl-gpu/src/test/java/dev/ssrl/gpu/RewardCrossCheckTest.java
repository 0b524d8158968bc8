package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.Advantages;
import dev.ssrl.verify.SpatialSsrlReward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Invariant: for every response, ground truth and format weight, the reward core the kernel runs
 * (reward_core.cuh compiled for the host, fed through {@link Utf8Pack} exactly as the GPU scorer
 * feeds the device) gives the same format, accuracy and overall bits as {@code ssrl-verify}'s
 * {@link SpatialSsrlReward}; and its group advantages equal {@link Advantages}' bit for bit.
 *
 * <p>Inputs are seeded generators aimed at the places where a byte-level scan and a UTF-16 scan
 * could part: 4-byte characters (surrogate pairs in Java), lone surrogates (which the JDK's UTF-8
 * encoder would turn into '?'), '?' itself, NUL, every kind of Unicode whitespace next to the
 * delimiters, deep and unbalanced braces, long responses, empty responses, and boxes, tags and
 * multi-byte characters straddling item boundaries and 64 KiB multiples of the packed buffer.
 */
class RewardCrossCheckTest {
  private static final String[] TOKENS = {
    "<think>",
    "</think>",
    "< think >",
    "</ think>",
    "<",
    ">",
    "/",
    "think",
    "\\boxed{",
    "\\boxed",
    "\\boxed {",
    "{",
    "}",
    "{{",
    "}}",
    "A",
    "B",
    "2-1-3",
    "?",
    "\u0000",
    "答案",
    "é",
    "😀",
    "𝄞",
    "\ud83d",
    "\ude00",
    "\udbff",
    "\udc00",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u000b",
    "\u000c",
    "\u001c",
    "\u001f",
    "\u0085",
    "\u00a0",
    "\u1680",
    "\u2000",
    "\u200a",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "\u200b",
    "\ufeff",
    "\u180e",
    "None",
    "(C)",
    "x"
  };
  private static final double[] WEIGHTS = {0.1, 0, 1, 0.25, 0.5, 1.0 / 3, 0.9, 0.7, 0.3, 1e-17};

  @Test
  void randomTokenSoupsScoreLikeSsrlVerifyAtManyFormatWeights() throws Exception {
    SplittableRandom rnd = new SplittableRandom(20261127L);
    for (int batch = 0; batch < 6; batch++) {
      double w = batch < WEIGHTS.length ? WEIGHTS[batch] : rnd.nextDouble();
      List<String> r = new ArrayList<>();
      List<String> t = new ArrayList<>();
      for (int i = 0; i < 2500; i++) {
        String response = soup(rnd, 60);
        r.add(response);
        t.add(truthFor(rnd, response));
      }
      assertSameAsVerify(r, t, w, "soup batch " + batch);
    }
  }

  @Test
  void randomFormatWeightsGiveTheSameOverallBits() throws Exception {
    // Every outcome at many weights: (1 - w) * 1 + w * 1 rounds above 1 for some w, where
    // ssrl-verify clamps to 1.
    SplittableRandom rnd = new SplittableRandom(77);
    List<String> r =
        List.of("<think>a</think>\\boxed{A}", "<think>a</think>\\boxed{B}", "\\boxed{A}", "");
    List<String> t = List.of("A", "A", "A", "A");
    for (int i = 0; i < 200; i++) {
      double w =
          i < WEIGHTS.length
              ? WEIGHTS[i]
              : i % 2 == 0 ? rnd.nextDouble() : 1 - rnd.nextDouble() * 1e-3;
      assertSameAsVerify(r, t, w, "weight " + w);
    }
  }

  @Test
  void longResponsesDeepBracesAndEmptyTextsScoreLikeSsrlVerify() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    // Long soups (tens of KB) with the box anywhere.
    for (int i = 0; i < 40; i++) {
      String s = soup(rnd, 4000);
      r.add(s);
      t.add(truthFor(rnd, s));
    }
    String deep = "{".repeat(50_000) + "😀 a / b" + "}".repeat(50_000);
    r.add("<think>x</think>\\boxed{" + deep + "}");
    t.add(deep.replace(" / ", "/"));
    r.add("<think>x</think>\\boxed{" + "{".repeat(200_000));
    t.add("None");
    r.add("<think>x</think>\\boxed{" + "}".repeat(200_000));
    t.add("");
    // Empty and whitespace-only responses, also against the truth "None": the Verifier contract
    // scores an empty response zero (the reference, which never saw one, would match "None").
    for (String s : new String[] {"", " ", "\u3000", "\u0000", "\ud800"}) {
      for (String truth : new String[] {"None", "", "A", "?"}) {
        r.add(s);
        t.add(truth);
      }
    }
    r.add(null);
    t.add("None");
    assertSameAsVerify(r, t, 0.1, "long/deep/empty");
  }

  @Test
  void loneSurrogatesAndQuestionMarksAreNotConfused() throws Exception {
    // String.getBytes(UTF_8) writes a lone surrogate as '?': the packing must not, or a lone
    // surrogate answer would equal the truth "?" on the GPU but not in ssrl-verify.
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    String[] answers = {
      "\ud800", "\udc00", "?", "\ud83d\ude00", "\ud83d?", "?\ude00", "\udbff\udfff"
    };
    for (String a : answers) {
      for (String truth : answers) {
        r.add("<think>t</think>\\boxed{ " + a + " }");
        t.add(truth);
        r.add("<think>\ud800</think>\\boxed{" + a + "}\udc00");
        t.add(truth);
      }
    }
    assertSameAsVerify(r, t, 0.1, "surrogates");
  }

  @Test
  void boxesAndMultiByteCharactersAcrossItemAndBufferBoundariesScoreLikeSsrlVerify()
      throws Exception {
    // Items whose lengths put a box opener, a tag, a 4-byte character or a whitespace run right at
    // the end of one item and the start of the next, and across 64 KiB multiples of the buffer.
    SplittableRandom rnd = new SplittableRandom(64);
    String[] edges = {"\\boxed{", "\\box", "ed{A}", "😀", "\u3000", "<", "</think", ">", "}", "{"};
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    long packed = 0;
    while (r.size() < 400) {
      String head = edges[rnd.nextInt(edges.length)];
      String tail = edges[rnd.nextInt(edges.length)];
      // Pad so that this item ends within a few bytes of the next 64 KiB multiple.
      long next = (packed / 65536 + 1) * 65536;
      int pad = (int) Math.max(0, Math.min(70_000, next - packed - rnd.nextInt(12)));
      String body =
          rnd.nextBoolean() ? "<think>" + "é".repeat(pad / 4) + "</think>" : "x".repeat(pad / 2);
      String s = head + body + "\\boxed{A}" + tail;
      r.add(s);
      t.add(rnd.nextBoolean() ? "A" : SpatialSsrlReward.extractAnswer(s));
      packed += Utf8Pack.of(List.of(s), false, "probe").bytes.length;
    }
    assertSameAsVerify(r, t, 0.1, "boundaries");
  }

  @Test
  void groupAdvantagesEqualSsrlVerifyBitForBit() throws Exception {
    SplittableRandom rnd = new SplittableRandom(3);
    int groups = 2000;
    int[] off = new int[groups + 1];
    for (int g = 0; g < groups; g++) {
      off[g + 1] = off[g] + rnd.nextInt(17); // empty groups and groups of one included
    }
    double[] r = new double[off[groups]];
    double[] levels = {0, 0.1, 0.9, 1, 0.30000000000000004, 1.0 / 3};
    for (int g = 0; g < groups; g++) {
      int kind = rnd.nextInt(3);
      double level = levels[rnd.nextInt(levels.length)];
      for (int i = off[g]; i < off[g + 1]; i++) {
        // Constant groups (where a rounded mean leaves ±1e-17 residues), reward-like and arbitrary.
        r[i] = kind == 0 ? level : kind == 1 ? levels[rnd.nextInt(4)] : rnd.nextDouble();
      }
    }
    for (AdvantageMode mode : AdvantageMode.values()) {
      double[] got = AdvantageCoreHostTest.host(r, off, mode);
      double[] want = CpuRolloutScorerReference.advantages(r, off, mode);
      for (int i = 0; i < r.length; i++) {
        assertEquals(
            Double.doubleToLongBits(want[i]),
            Double.doubleToLongBits(got[i]),
            mode + " advantage " + i + ": " + want[i] + " vs " + got[i]);
      }
    }
  }

  /** A response of up to {@code maxTokens} tokens, sometimes starting with an opening tag. */
  static String soup(SplittableRandom rnd, int maxTokens) {
    StringBuilder sb = new StringBuilder();
    if (rnd.nextInt(3) > 0) {
      sb.append(rnd.nextBoolean() ? "<think>" : " \u3000< think\u00a0>");
    }
    int n = rnd.nextInt(maxTokens + 1);
    for (int j = 0; j < n; j++) {
      sb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
    }
    if (rnd.nextInt(4) == 0) {
      sb.append("</think>\\boxed{").append(TOKENS[rnd.nextInt(TOKENS.length)]).append('}');
    }
    return sb.toString();
  }

  /** Half the time what ssrl-verify extracts (so both accuracy outcomes occur), else a token. */
  static String truthFor(SplittableRandom rnd, String response) {
    return rnd.nextBoolean()
        ? SpatialSsrlReward.extractAnswer(response)
        : TOKENS[rnd.nextInt(TOKENS.length)];
  }

  static void assertSameAsVerify(List<String> r, List<String> t, double w, String what)
      throws Exception {
    double[][] got = RewardCases.hostScores(r, t, w);
    SpatialSsrlReward verify = SpatialSsrlReward.withFormatWeight(w);
    for (int i = 0; i < r.size(); i++) {
      Reward want = verify.score(r.get(i), t.get(i));
      String at =
          what
              + " item "
              + i
              + " "
              + (r.get(i) == null ? "null" : escape(r.get(i)))
              + " / "
              + escape(t.get(i))
              + " w="
              + w;
      assertEquals(want.format(), got[i][0], "format of " + at);
      assertEquals(want.accuracy(), got[i][1], "accuracy of " + at);
      assertEquals(
          Double.doubleToLongBits(want.overall()),
          Double.doubleToLongBits(got[i][2]),
          "overall of " + at + ": " + want.overall() + " vs " + got[i][2]);
    }
  }

  /** Printable ASCII for failure messages (lone surrogates and NULs break report files). */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 300; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return sb.append(s.length() > 300 ? "\"…(" + s.length() + " chars)" : "\"").toString();
  }

  /** {@link Advantages} applied group by group: what the CPU scorer computes. */
  static final class CpuRolloutScorerReference {
    private CpuRolloutScorerReference() {}

    static double[] advantages(double[] r, int[] off, AdvantageMode mode) {
      double[] out = new double[r.length];
      for (int g = 0; g + 1 < off.length; g++) {
        double[] group = Arrays.copyOfRange(r, off[g], off[g + 1]);
        double[] a = mode == AdvantageMode.GRPO ? Advantages.grpo(group) : Advantages.drGrpo(group);
        System.arraycopy(a, 0, out, off[g], a.length);
      }
      return out;
    }
  }
}
