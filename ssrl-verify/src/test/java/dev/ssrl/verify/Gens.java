package dev.ssrl.verify;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.quicktheories.core.Gen;

/** Generators of response-like text for the property tests. */
final class Gens {
  /** Pieces that exercise every rule: tags, boxes, braces, delimiters, Unicode and odd units. */
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
    " ",
    "\t",
    "\n",
    "\u3000",
    "\u00a0",
    "\u2003",
    "\u0085",
    "\u001c",
    "a",
    "B",
    "2-1-3",
    "\\frac{1}{2}",
    "😀",
    "深度",
    "\ud800",
    "\udc00",
    "\u0000",
    "< think >",
    "< / think >",
    "\\fbox{",
    "C. Left",
    "-"
  };

  private Gens() {}

  /** Concatenations of up to {@code max} tokens. */
  static Gen<String> soup(int max) {
    return soup(TOKENS, max);
  }

  /** Concatenations of up to {@code max} tokens drawn from {@code tokens}. */
  static Gen<String> soup(String[] tokens, int max) {
    return lists()
        .of(integers().between(0, tokens.length - 1))
        .ofSizeBetween(0, max)
        .map(picks -> join(tokens, picks));
  }

  /** Arbitrary UTF-16 text, lone surrogates and NUL included. */
  static Gen<String> anyUnits(int max) {
    return lists()
        .of(integers().between(0, 0xFFFF))
        .ofSizeBetween(0, max)
        .map(
            units -> {
              char[] cs = new char[units.size()];
              for (int i = 0; i < cs.length; i++) {
                cs[i] = (char) (int) units.get(i);
              }
              return new String(cs);
            });
  }

  private static String join(String[] tokens, List<Integer> picks) {
    StringBuilder b = new StringBuilder();
    for (int p : picks) {
      b.append(tokens[p]);
    }
    return b.toString();
  }

  /**
   * Balanced answers with no whitespace at their ends or next to a delimiter, and no backslash (so
   * no box inside): what the reference extraction returns unchanged.
   */
  static Gen<String> balancedAnswer() {
    String[] parts = {"a", "Z", "7", "-", "{", "}", " ", "深", "😀", "(", ")", ".", "\u0000"};
    return lists()
        .of(integers().between(0, parts.length - 1))
        .ofSizeBetween(0, 20)
        .map(
            picks -> {
              StringBuilder b = new StringBuilder();
              int depth = 0;
              for (int p : picks) {
                String s = parts[p];
                if (s.equals("}")) {
                  if (depth == 0) {
                    continue;
                  }
                  depth--;
                } else if (s.equals("{")) {
                  depth++;
                }
                b.append(s);
              }
              b.append("}".repeat(depth));
              return Scan.strip(b.toString());
            });
  }
}
