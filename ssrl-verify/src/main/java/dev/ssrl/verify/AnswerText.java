package dev.ssrl.verify;

/** Lenient readings of an extracted answer, shared by the tolerant verifiers. */
final class AnswerText {
  private static final String[] WRAPPERS = {
    "\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{", "\\textrm{", "\\mbox{"
  };

  private AnswerText() {}

  /**
   * Removes, repeatedly, one LaTeX text wrapper ({@code \text{…}} and kin) enclosing the whole
   * answer, and one pair of enclosing {@code ()} or {@code []}, stripping whitespace each time.
   * Each round shortens the text, so this ends; models often write {@code \boxed{\text{(C)}}}.
   */
  static String unwrap(String s) {
    String cur = Scan.strip(s);
    while (true) {
      String next = unwrapOnce(cur);
      if (next == null) {
        return cur;
      }
      cur = Scan.strip(next);
    }
  }

  private static String unwrapOnce(String s) {
    int n = s.length();
    if (n >= 2) {
      char first = s.charAt(0);
      char last = s.charAt(n - 1);
      if ((first == '(' && last == ')') || (first == '[' && last == ']')) {
        return s.substring(1, n - 1);
      }
    }
    if (n > 0 && s.charAt(n - 1) == '}') {
      for (String w : WRAPPERS) {
        if (s.startsWith(w) && Scan.closingBrace(s, w.length()) == n - 1) {
          return s.substring(w.length(), n - 1);
        }
      }
    }
    return null;
  }

  /**
   * The option letter an answer names, upper-cased, or 0 when it names none. After {@link #unwrap}
   * and an optional opening {@code (} or {@code [}, the answer must begin with one ASCII letter
   * followed by the end or by a character that is neither a letter nor a digit: {@code C}, {@code
   * (C)}, {@code C.}, {@code C) Left}, {@code C. Left}, {@code c} all name C; {@code Cat}, {@code
   * C2} and {@code Left} name none. A leading "Option"/"Answer:" is not read: the box should hold
   * the answer itself.
   */
  static char optionLetter(String answer) {
    String s = unwrap(answer);
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '(' || s.charAt(i) == '[')) {
      i = Scan.skipSpace(s, i + 1, n);
    }
    if (i >= n) {
      return 0;
    }
    char c = s.charAt(i);
    if (!isAsciiLetter(c)) {
      return 0;
    }
    if (i + 1 < n && Character.isLetterOrDigit(s.charAt(i + 1))) {
      return 0;
    }
    return Character.toUpperCase(c);
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /**
   * Splits a permutation answer into labels: after {@link #unwrap}, on {@code -} or {@code ,}, each
   * label stripped of whitespace. Returns null if any label is empty.
   */
  static String[] labels(String answer) {
    String s = unwrap(answer);
    int count = 1;
    for (int i = 0; i < s.length(); i++) {
      if (isSeparator(s.charAt(i))) {
        count++;
      }
    }
    String[] out = new String[count];
    int k = 0;
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || isSeparator(s.charAt(i))) {
        String label = Scan.strip(s.substring(start, i));
        if (label.isEmpty()) {
          return null;
        }
        out[k++] = label;
        start = i + 1;
      }
    }
    return out;
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == ',';
  }
}
