package dev.ssrl.bench.verify;

import java.util.SplittableRandom;

/** Deterministic model-style responses for the reward benchmarks. */
final class Responses {
  private static final String[] WORDS = {
    "the",
    "patch",
    "top",
    "left",
    "right",
    "edge",
    "texture",
    "continues",
    "so",
    "then",
    "region",
    "closer",
    "coarser;",
    "marked",
    "arrangement",
    "深度",
    "étagère",
    "😀",
    "\\frac{1}{2}",
    "0",
    "2",
    "{",
    "}",
    "<",
    "/",
    "looks",
    "because",
    "one"
  };
  static final String[] TRUTHS = {"2-1-3", "0-2-3-1", "C", "3-0", "1-3-2"};

  private Responses() {}

  /**
   * {@code count} responses of about {@code length} characters: a think block of filler words, then
   * a boxed answer that is right for about half of them; a few lack tags or the box.
   */
  static String[] make(int count, int length, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      String truth = TRUTHS[i % TRUTHS.length];
      StringBuilder b = new StringBuilder(length + 64);
      boolean tags = rnd.nextInt(10) != 0;
      if (tags) {
        b.append(rnd.nextBoolean() ? "<think>" : "< think >");
      }
      while (b.length() < length - 40) {
        b.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextInt(8) == 0 ? '\n' : ' ');
      }
      if (tags) {
        b.append(rnd.nextBoolean() ? "</think>" : " </ think>\n");
      }
      String answer = rnd.nextBoolean() ? truth : TRUTHS[rnd.nextInt(TRUTHS.length)];
      if (rnd.nextInt(10) != 0) {
        b.append("The answer is \\boxed{ ").append(answer).append(" }.");
      } else {
        b.append("The answer is ").append(answer);
      }
      out[i] = b.toString();
    }
    return out;
  }

  static String truthOf(int i) {
    return TRUTHS[i % TRUTHS.length];
  }
}
