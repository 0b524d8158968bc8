package dev.ssrl.gpu;

import java.util.regex.Pattern;

/**
 * An independent oracle for the tests: the reference reward transcribed line by line from its
 * Python form with java.util.regex (re.sub normalisation, re.fullmatch format check, rfind + brace
 * loop extraction, str.strip). Backtracking regexes make it slow on long inputs, so tests use it on
 * texts of moderate size; it is never used by the code under test.
 */
final class PythonReference {
  /** Python's str.isspace() set, which is also what `\s` matches in a str regex. */
  static final String WS =
      "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

  private static final Pattern NORMALISE = Pattern.compile("[" + WS + "]*(<|>|/)[" + WS + "]*");
  private static final Pattern FORMAT =
      Pattern.compile("<think>.*</think>.*\\\\boxed\\{.*\\}.*", Pattern.DOTALL);
  private static final Pattern SPACE = Pattern.compile("[" + WS + "]");

  private PythonReference() {}

  /** {format, accuracy, overall}; the one deliberate deviation is the empty response. */
  static double[] score(String response, String truth, double formatWeight) {
    if (response.isEmpty()) {
      // Not the reference (which would extract "None"), but the ssrl-api Verifier contract that
      // ssrl-verify and the kernel follow: an empty response scores zero.
      return new double[] {0, 0, 0};
    }
    String s = normalise(response);
    double format = FORMAT.matcher(s).matches() ? 1.0 : 0.0;
    double accuracy = extract(s).equals(truth) ? 1.0 : 0.0;
    return new double[] {format, accuracy, (1 - formatWeight) * accuracy + formatWeight * format};
  }

  /** re.sub(r"\s*(<|>|/)\s*", r"\1", s). */
  static String normalise(String s) {
    return NORMALISE.matcher(s).replaceAll("$1");
  }

  static String extract(String s) {
    int start = s.lastIndexOf("\\boxed{");
    if (start < 0) {
      return "None";
    }
    start += "\\boxed{".length();
    int depth = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth < 0) {
          return strip(s.substring(start, i));
        }
      }
    }
    return "None";
  }

  static String strip(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isSpace(s.codePointAt(b))) {
      b += Character.charCount(s.codePointAt(b));
    }
    while (e > b && isSpace(s.codePointBefore(e))) {
      e -= Character.charCount(s.codePointBefore(e));
    }
    return s.substring(b, e);
  }

  static boolean isSpace(int cp) {
    return SPACE.matcher(new String(Character.toChars(cp))).matches();
  }
}
