package dev.ssrl.verify;

import java.util.regex.Pattern;

/**
 * An independent, regex-based transcription of the Python reference reward, for comparing against
 * on small generated inputs (backtracking regexes are fine there, not on adversarial sizes).
 */
final class PythonOracle {
  /** Python 3 {@code \s} for str patterns, written out. */
  static final String WS =
      "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
          + "\\x{202F}\\x{205F}\\x{3000}";

  private static final Pattern NORMALISE = Pattern.compile("[" + WS + "]*([<>/])[" + WS + "]*");
  private static final Pattern FORMAT =
      Pattern.compile("<think>.*</think>.*\\\\boxed\\{.*\\}.*", Pattern.DOTALL);
  private static final Pattern STRIP = Pattern.compile("^[" + WS + "]+|[" + WS + "]+$");

  private PythonOracle() {}

  static String normalise(String s) {
    return NORMALISE.matcher(s).replaceAll("$1");
  }

  static boolean format(String s) {
    return FORMAT.matcher(normalise(s)).matches();
  }

  static String extract(String s) {
    String n = normalise(s);
    int i = n.lastIndexOf("\\boxed{");
    if (i < 0) {
      return "None";
    }
    int depth = 0;
    for (int j = i + 7; j < n.length(); j++) {
      char c = n.charAt(j);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth < 0) {
          return STRIP.matcher(n.substring(i + 7, j)).replaceAll("");
        }
      }
    }
    return "None";
  }
}
