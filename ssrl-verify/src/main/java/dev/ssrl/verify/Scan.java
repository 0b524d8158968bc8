package dev.ssrl.verify;

/**
 * The reference reward's text rules, computed by direct scans of the original response.
 *
 * <p>The reference normalises the response with {@code re.sub(r"\s*(<|>|/)\s*", r"\1", s)} and then
 * works on the normalised copy. That substitution deletes exactly the maximal whitespace runs that
 * touch a {@code <}, {@code >} or {@code /} (the greedy trailing {@code \s*} of one match swallows
 * any run a following match could have claimed). None of the characters of <code>\boxed&#123;
 * </code>, <code>&#123;</code> or <code>&#125;</code> is a delimiter, so their occurrences in the
 * normalised text are exactly their occurrences in the original; only the think tags need
 * whitespace skipping. Working on the original avoids building a normalised copy on the hot path,
 * and every scan below is linear: each character is looked at a bounded number of times, with no
 * regex and no recursion.
 */
final class Scan {
  static final String BOX = "\\boxed{";
  static final String NONE = "None";

  private Scan() {}

  /**
   * Python 3's {@code str.isspace()} (the set {@code \s} matches in a {@code str} pattern and
   * {@code str.strip()} removes). All of it lies in the BMP, so testing UTF-16 units is exact.
   * Java's own {@code Character.isWhitespace} differs (no U+00A0, U+2007, U+202F), hence this
   * table.
   */
  static boolean isSpace(char c) {
    if (c <= ' ') {
      return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001c' && c <= '\u001f');
    }
    if (c < '\u0085') {
      return false;
    }
    return c == '\u0085'
        || c == '\u00a0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202f'
        || c == '\u205f'
        || c == '\u3000';
  }

  static boolean isDelimiter(char c) {
    return c == '<' || c == '>' || c == '/';
  }

  static int skipSpace(String s, int i, int end) {
    while (i < end && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Whether the normalised response fully matches {@code <think>.*</think>.*\\boxed\{.*\}.*} with
   * DOTALL: it starts with the opening tag, and after it come a closing tag, a box opener and a
   * closing brace, in that order.
   *
   * <p>Existence is decided from the right, because in real responses the answer sits at the end:
   * the last '}' bounds the box, the last box that fits before it bounds the closing tag, and the
   * last closing tag before that box must start after the opening tag. Each step takes the
   * rightmost candidate, which leaves the most room for what precedes it, so this is equivalent to
   * the regex; typical responses are decided by looking at their first and last few dozen
   * characters only.
   */
  static boolean hasFormat(String s) {
    return hasFormat(s, s.lastIndexOf(BOX));
  }

  /**
   * {@link #hasFormat(String)} given {@code lastBox = s.lastIndexOf(BOX)}, which scoring needs for
   * extraction anyway: a response without any box, often a long truncated one, is then scanned once
   * rather than twice.
   */
  static boolean hasFormat(String s, int lastBox) {
    int openEnd = openingThinkEnd(s);
    if (openEnd < 0 || lastBox < openEnd) {
      return false;
    }
    int lastBrace = s.lastIndexOf('}');
    int fits = lastBrace - BOX.length();
    int box = lastBox <= fits ? lastBox : s.lastIndexOf(BOX, fits);
    if (box < openEnd) {
      return false;
    }
    return lastClosingThinkStart(s, box, openEnd) >= openEnd;
  }

  /**
   * The index just past an opening tag at the very start of the normalised text, or -1. Leading
   * whitespace touches the '<' and whitespace inside the tag touches '<' or '>', so the original
   * may hold whitespace there.
   */
  static int openingThinkEnd(String s) {
    int n = s.length();
    int i = skipSpace(s, 0, n);
    if (i >= n || s.charAt(i) != '<') {
      return -1;
    }
    i = skipSpace(s, i + 1, n);
    if (!s.startsWith("think", i)) {
      return -1;
    }
    i = skipSpace(s, i + 5, n);
    return i < n && s.charAt(i) == '>' ? i + 1 : -1;
  }

  /**
   * The start of the last closing tag ending at or before {@code limit}, i.e. the last original
   * text of {@code <}, whitespace, {@code /}, whitespace, {@code think}, whitespace, {@code >}; or
   * -1 when there is none starting at or after {@code floor}. Closing tags never overlap, so once
   * one starts before {@code floor} every earlier one does too. A failed candidate spans only its
   * own '>', whitespace, "think" and '/', never another '>', so candidates do not overlap and the
   * search is linear.
   */
  static int lastClosingThinkStart(String s, int limit, int floor) {
    int p = limit - 1;
    while (p >= floor) {
      int gt = s.lastIndexOf('>', p);
      if (gt < floor) {
        return -1;
      }
      int k = skipSpaceBack(s, gt - 1, floor) - 4;
      if (k >= floor && s.startsWith("think", k)) {
        k = skipSpaceBack(s, k - 1, floor);
        if (k >= floor && s.charAt(k) == '/') {
          k = skipSpaceBack(s, k - 1, floor);
          if (k >= floor && s.charAt(k) == '<') {
            return k;
          }
        }
      }
      p = gt - 1;
    }
    return -1;
  }

  /** The last index at or before {@code i} that is not whitespace, or {@code floor - 1}. */
  static int skipSpaceBack(String s, int i, int floor) {
    while (i >= floor && isSpace(s.charAt(i))) {
      i--;
    }
    return i;
  }

  /**
   * The start of the content of the last box, or -1 when there is no box. The last occurrence in
   * the original is the last in the normalised text (see the class comment).
   */
  static int contentStart(int box) {
    return box < 0 ? -1 : box + BOX.length();
  }

  /** The index of the brace where the depth, counted from {@code from}, drops below zero, or -1. */
  static int closingBrace(String s, int from) {
    int depth = 0;
    int n = s.length();
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    return -1;
  }

  /**
   * Whether the normalised, stripped text of {@code s[from, to)} equals {@code truth}, without
   * building it. The segment lies between a '{' and a '}', neither of them whitespace nor a
   * delimiter, so normalising the segment alone gives the same characters as normalising the whole
   * response; and stripping commutes with normalising (both only delete whole whitespace runs).
   */
  static boolean segmentEquals(String s, int from, int to, String truth) {
    int a = skipSpace(s, from, to);
    int b = to;
    while (b > a && isSpace(s.charAt(b - 1))) {
      b--;
    }
    int g = 0;
    int gl = truth.length();
    int i = a;
    while (i < b) {
      char c = s.charAt(i);
      if (isSpace(c)) {
        // a < i and the run ends before b, both neighbours are inside the stripped segment.
        int j = skipSpace(s, i, b);
        if (isDelimiter(s.charAt(i - 1)) || isDelimiter(s.charAt(j))) {
          i = j;
          continue;
        }
        if (gl - g < j - i || !s.regionMatches(i, truth, g, j - i)) {
          return false;
        }
        g += j - i;
        i = j;
        continue;
      }
      if (g >= gl || truth.charAt(g) != c) {
        return false;
      }
      g++;
      i++;
    }
    return g == gl;
  }

  /** The normalised text of {@code s[from, to)} (Python {@code re.sub} of the reference). */
  static String normalize(String s, int from, int to) {
    // One char[] filled in place: a StringBuilder would re-check capacity and coder per char.
    char[] out = new char[to - from];
    s.getChars(from, to, out, 0);
    int k = 0;
    int i = 0;
    int n = out.length;
    while (i < n) {
      char c = out[i];
      if (!isSpace(c)) {
        out[k++] = c;
        i++;
        continue;
      }
      int j = i + 1;
      while (j < n && isSpace(out[j])) {
        j++;
      }
      // out[i - 1] is still the original character: writes never run ahead of reads.
      boolean touchesDelimiter =
          (i > 0 && isDelimiter(out[i - 1])) || (j < n && isDelimiter(out[j]));
      if (!touchesDelimiter) {
        while (i < j) {
          out[k++] = out[i++];
        }
      }
      i = j;
    }
    return k == n && from == 0 && to == s.length() ? s : new String(out, 0, k);
  }

  /** Python {@code str.strip()}: without the whitespace of {@link #isSpace} at both ends. */
  static String strip(String s) {
    int a = skipSpace(s, 0, s.length());
    int b = s.length();
    while (b > a && isSpace(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }

  /**
   * The reference extraction: the stripped, normalised content of the last box, or {@code null}
   * where the reference yields the literal {@code None} (no box, or no closing brace).
   */
  static String extractOrNull(String s) {
    return extractOrNull(s, s.lastIndexOf(BOX));
  }

  /** {@link #extractOrNull(String)} given {@code lastBox = s.lastIndexOf(BOX)}. */
  static String extractOrNull(String s, int lastBox) {
    int start = contentStart(lastBox);
    if (start < 0) {
      return null;
    }
    int end = closingBrace(s, start);
    if (end < 0) {
      return null;
    }
    return strip(normalize(s, start, end));
  }
}
