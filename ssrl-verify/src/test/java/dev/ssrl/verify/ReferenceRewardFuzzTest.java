package dev.ssrl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;

import dev.ssrl.api.Reward;
import dev.ssrl.api.Verifier;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Fuzzing of the reference reward against a second, independent statement of SPEC §5.1 written with
 * plain {@code String} scans (no regex, no code shared with {@link Scan} or {@link PythonOracle}).
 * Because that statement is linear too, it is compared on 10 MB inputs as well as on small random
 * ones. Inputs mix scripts, every Python whitespace character and the near misses Java and Python
 * disagree on, lone surrogates, NULs and deep braces.
 */
class ReferenceRewardFuzzTest {
  private static final int MB = 1 << 20;

  /** SPEC §5.1, restated. */
  static final class Spec {
    private Spec() {}

    /**
     * Python's {@code str.isspace()}, which {@code \s} and {@code strip()} follow: bidi classes WS,
     * B, S, or category Zs. Written out from the Unicode tables, not from any Java predicate.
     */
    static boolean pySpace(char c) {
      return (c >= '\t' && c <= '\r')
          || (c >= '\u001c' && c <= ' ')
          || c == '\u0085'
          || c == '\u00a0'
          || c == '\u1680'
          || (c >= '\u2000' && c <= '\u200a')
          || c == '\u2028'
          || c == '\u2029'
          || c == '\u202f'
          || c == '\u205f'
          || c == '\u3000';
    }

    static boolean delimiter(char c) {
      return c == '<' || c == '>' || c == '/';
    }

    /** Step 1: drop each whitespace run that touches a delimiter on either side. */
    static String normalise(String s) {
      StringBuilder b = new StringBuilder(s.length());
      int i = 0;
      while (i < s.length()) {
        if (!pySpace(s.charAt(i))) {
          b.append(s.charAt(i++));
          continue;
        }
        int j = i;
        while (j < s.length() && pySpace(s.charAt(j))) {
          j++;
        }
        boolean afterDelimiter = b.length() > 0 && delimiter(b.charAt(b.length() - 1));
        boolean beforeDelimiter = j < s.length() && delimiter(s.charAt(j));
        if (!afterDelimiter && !beforeDelimiter) {
          b.append(s, i, j);
        }
        i = j;
      }
      return b.toString();
    }

    /** Step 2: {@code <think>}, then {@code </think>}, then {@code \boxed{}, then {@code }}. */
    static boolean format(String n) {
      if (!n.startsWith("<think>")) {
        return false;
      }
      int close = n.indexOf("</think>", 7);
      int box = close < 0 ? -1 : n.indexOf("\\boxed{", close + 8);
      return box >= 0 && n.indexOf('}', box + 7) >= 0;
    }

    /** Step 3. */
    static String extract(String n) {
      int box = n.lastIndexOf("\\boxed{");
      if (box < 0) {
        return "None";
      }
      int depth = 0;
      for (int k = box + 7; k < n.length(); k++) {
        char c = n.charAt(k);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth < 0) {
          int a = box + 7;
          int z = k;
          while (a < z && pySpace(n.charAt(a))) {
            a++;
          }
          while (z > a && pySpace(n.charAt(z - 1))) {
            z--;
          }
          return n.substring(a, z);
        }
      }
      return "None";
    }

    /** Steps 4–5, with the library's documented deviation: an empty response scores zero. */
    static double[] reward(String response, String truth) {
      if (response.isEmpty()) {
        return new double[] {0, 0, 0};
      }
      String n = normalise(response);
      double format = format(n) ? 1 : 0;
      double accuracy = extract(n).equals(truth) ? 1 : 0;
      return new double[] {0.9 * accuracy + 0.1 * format, format, accuracy};
    }
  }

  /** Tokens of every kind the rules care about, plus mixed scripts and whitespace near misses. */
  static final String[] TOKENS = {
    "<think>",
    "</think>",
    "<",
    ">",
    "/",
    "think",
    "\\boxed{",
    "\\boxed",
    "{",
    "}",
    "\\",
    "a",
    "C",
    "2-1-3",
    "None",
    // Python whitespace, including what Java's isWhitespace misses (NEL, NBSP, 202F)
    " ",
    "\t",
    "\n",
    "\r",
    "\u000b",
    "\f",
    "\u001c",
    "\u001f",
    "\u0085",
    "\u00a0",
    "\u1680",
    "\u2007",
    "\u200a",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    // not whitespace for Python, though some look like it
    "\u200b",
    "\u180e",
    "\ufeff",
    "\u200d",
    "\u0000",
    // mixed scripts, bidi controls, combining marks, astral and lone surrogates
    "深度",
    "Левый",
    "يمين",
    "\u200fשמאל",
    "क्षि",
    "e\u0301",
    "😀",
    "𝔘",
    "\ud800",
    "\udfff",
    "\udc00\ud800",
  };

  static Gen<String> text(int maxTokens) {
    return Gens.soup(TOKENS, maxTokens);
  }

  private static void assertAgrees(String response, String truth) {
    double[] want = Spec.reward(response, truth);
    Reward got = SpatialSsrlReward.standard().score(response, truth);
    assertEquals(want[1], got.format(), "format");
    assertEquals(want[2], got.accuracy(), "accuracy");
    assertEquals(want[0], got.overall(), 1e-12, "overall");
  }

  @Test
  void theIndependentStatementAgreesWithPythonOracleOnSmallInputs() {
    // Cross-checks the restatement itself against the regex transcription of the reference.
    qt().withExamples(2000)
        .forAll(text(16))
        .checkAssert(
            s -> {
              assertEquals(PythonOracle.normalise(s), Spec.normalise(s), s);
              assertEquals(PythonOracle.format(s), Spec.format(Spec.normalise(s)), s);
              assertEquals(PythonOracle.extract(s), Spec.extract(Spec.normalise(s)), s);
            });
  }

  @Test
  void rewardsAgreeWithTheSpecOnFuzzedResponses() {
    qt().withExamples(5000)
        .forAll(text(40), arbitrary().pick("2-1-3", "C", "a", "None", "", "深度", "\ud800"))
        .checkAssert(
            (s, truth) -> {
              assertAgrees(s, truth);
              // The answer in the last box is also the truth: accuracy must follow extraction.
              String boxed = s + "\\boxed{" + truth + "}";
              assertAgrees(boxed, truth);
            });
  }

  @Test
  void rewardsAgreeWithTheSpecOnArbitraryUtf16() {
    qt().withExamples(2000)
        .forAll(Gens.anyUnits(60), text(8))
        .checkAssert((units, tokens) -> assertAgrees(units + tokens + units, "C"));
  }

  /** 10 MB responses of every shape: no exception, rewards in range, and the same answer. */
  @Test
  void tenMegabyteRandomAndAdversarialResponsesAgreeWithTheSpec() {
    SplittableRandom r = new SplittableRandom(20261127L);
    List<String> big =
        List.of(
            randomTokens(r, 10 * MB),
            randomTokens(r, 10 * MB),
            "<think>x</think>\\boxed{" + "{".repeat(10 * MB),
            "<think>x</think>\\boxed{" + "{".repeat(5 * MB) + "}".repeat(5 * MB) + "}",
            "<think>" + " \u00a0/ \u3000".repeat(2 * MB) + "</think>\\boxed{C}",
            "\ud800".repeat(5 * MB) + "<think>\u0000</think>\\boxed{C}" + "\udc00".repeat(5 * MB),
            "<think>" + "深度 Левый يمين 😀 ".repeat(MB / 2) + "</think>\\boxed{ C }",
            "\\boxed{".repeat(MB) + "C}");
    for (String s : big) {
      for (String truth : new String[] {"C", "None"}) {
        Reward got = SpatialSsrlReward.standard().score(s, truth);
        for (double v : new double[] {got.overall(), got.format(), got.accuracy()}) {
          assertTrue(v >= 0 && v <= 1, "in [0, 1]: " + v);
        }
        assertAgrees(s, truth);
      }
    }
  }

  /** Every verifier a task gets, and the tolerant ones, on the same 10 MB inputs: no exception. */
  @Test
  void everyVerifierScoresTenMegabyteInputsWithinTheUnitInterval() {
    SplittableRandom r = new SplittableRandom(7L);
    List<Verifier> all =
        List.of(
            Verifiers.forTask("shuffle"),
            Verifiers.forTask("flip"),
            Verifiers.forTask("crop"),
            Verifiers.forTask("depth"),
            Verifiers.forTask("position"),
            Verifiers.optionLetter(),
            Verifiers.permutation(PartialCredit.KENDALL),
            Verifiers.permutation(PartialCredit.FRACTION));
    // (About 0.1 s per verifier per 10 MB input on 2 cores, so two inputs and two truths.)
    List<String> big =
        List.of(
            randomTokens(r, 10 * MB),
            "<think>"
                + "\ud800\u0000深度 {".repeat(2 * MB)
                + "}".repeat(2 * MB)
                + "</think>\\boxed{ (C) }");
    for (String s : big) {
      for (Verifier v : all) {
        for (String truth : new String[] {"C", "2-1-3"}) {
          Reward got = v.score(s, truth);
          for (double x : new double[] {got.overall(), got.format(), got.accuracy()}) {
            assertTrue(x >= 0 && x <= 1, v + ": " + x);
          }
        }
      }
    }
  }

  private static String randomTokens(SplittableRandom r, int length) {
    StringBuilder b = new StringBuilder(length + 16);
    while (b.length() < length) {
      b.append(TOKENS[r.nextInt(TOKENS.length)]);
    }
    return b.toString();
  }
}
