package dev.ssrl.cli.score;

import java.nio.charset.StandardCharsets;

/**
 * Reads the common {@code score} input line straight from its UTF-8 bytes: one flat object with a
 * string {@code answer}, whose {@code response}, {@code task} and {@code grid} are JSON strings or
 * {@code null}, whose {@code id} and {@code group} are strings, {@code null} or integers of at most
 * 18 digits, and whose other fields (a trainer's {@code prompt}, {@code step}, {@code score}, ...)
 * hold strings, numbers, booleans or {@code null}, which are checked as Jackson checks them and
 * skipped. This is what rollout files hold, and it spares the line's decoding into a {@code String}
 * and Jackson's parse of that string, which together were most of the CPU time of a score run
 * (docs/BENCHMARKS.md, issue 17).
 *
 * <p>It never decides anything on its own: whatever it does not recognise — an object or array as a
 * value, a fraction or exponent in an id, a duplicate name, a name with an escape or a byte outside
 * printable ASCII among the other fields, an escape Jackson would refuse, a control character,
 * bytes that are not well-formed UTF-8 (by the rules of Java's decoder, so that no U+FFFD
 * replacement is skipped), a string longer than Jackson's limit, trailing text — makes it return
 * {@code null}, and the caller reads the line with Jackson's tree reader, which accepts it with the
 * same result or rejects it with the usual message. For a line it does accept, the values are the
 * ones Jackson's tree reading gives (a property test compares the two over generated lines).
 *
 * <p>Not thread-safe: one instance per worker (it keeps a scratch buffer).
 */
final class ScoreLine {
  /**
   * The fields of an accepted line; {@code null} where the field is absent or JSON null. An id or
   * group that was a JSON integer is given as its digits, with {@code idNumber} / {@code
   * groupNumber} set.
   */
  record Fields(
      String id,
      String group,
      String response,
      String answer,
      String task,
      String grid,
      boolean idNumber,
      boolean groupNumber) {}

  private static final int ID = 1;
  private static final int GROUP = 2;
  private static final int RESPONSE = 4;
  private static final int ANSWER = 8;
  private static final int TASK = 16;
  private static final int GRID = 64;
  // A name that is none of the six, plain printable ASCII without escapes: its value is skipped.
  private static final int OTHER = 32;
  // A name the general path must read (an escape, another byte, no closing quote).
  private static final int ODD = -1;
  // Names of other fields longer than this go the general path (Jackson limits names to 50,000).
  private static final int MAX_OTHER_NAME = 256;
  // Numbers longer than this go the general path (Jackson limits numbers to 1,000 characters).
  private static final int MAX_NUMBER = 100;
  // Other fields on one line tracked for duplicates; more go the general path.
  private static final int MAX_OTHERS = 16;

  private final int maxString;
  private char[] chars = new char[1024];
  private int pos;
  // Where the names of the other fields of the current line start and end, for duplicates.
  private final int[] otherFrom = new int[MAX_OTHERS];
  private final int[] otherTo = new int[MAX_OTHERS];
  private int others;
  // Set by a name read: where it starts and ends in the line.
  private int nameFrom;
  private int nameTo;

  /**
   * @param maxString the longest string Jackson accepts (its {@code StreamReadConstraints})
   */
  ScoreLine(int maxString) {
    this.maxString = maxString;
  }

  /** The fields of {@code b[from, to)}, or null when the line is not of the common shape. */
  Fields read(byte[] b, int from, int to) {
    if (from >= to || b[from] != '{') {
      return null;
    }
    pos = from + 1;
    int seen = 0;
    others = 0;
    String id = null;
    String group = null;
    String response = null;
    String answer = null;
    String task = null;
    String grid = null;
    boolean idNumber = false;
    boolean groupNumber = false;
    if (!ws(b, to)) {
      return null;
    }
    if (b[pos] == '}') {
      return null; // no answer
    }
    while (true) {
      int field = name(b, to);
      if (field == ODD || (seen & field) != 0) {
        return null;
      }
      if (field == OTHER) {
        if (!newOther(b)) {
          return null;
        }
      } else {
        seen |= field;
      }
      if (!ws(b, to) || b[pos] != ':') {
        return null;
      }
      pos++;
      if (!ws(b, to)) {
        return null;
      }
      String value;
      boolean number = false;
      byte v = b[pos];
      if (v == '"') {
        value = string(b, to, field != OTHER);
        if (value == null) {
          return null;
        }
      } else if (literal(b, to, "null")) {
        if (field == ANSWER) {
          return null;
        }
        value = null;
      } else if (field == OTHER && (literal(b, to, "true") || literal(b, to, "false"))) {
        value = null;
      } else if (field == OTHER || field == ID || field == GROUP) {
        int start = pos;
        if (!number(b, to, field != OTHER)) {
          return null;
        }
        value =
            field == OTHER ? null : new String(b, start, pos - start, StandardCharsets.US_ASCII);
        number = true;
      } else {
        return null;
      }
      switch (field) {
        case ID -> {
          id = value;
          idNumber = number;
        }
        case GROUP -> {
          group = value;
          groupNumber = number;
        }
        case RESPONSE -> response = value;
        case ANSWER -> answer = value;
        case TASK -> task = value;
        case GRID -> grid = value;
        default -> {}
      }
      if (!ws(b, to)) {
        return null;
      }
      byte c = b[pos++];
      if (c == '}') {
        break;
      }
      if (c != ',' || !ws(b, to)) {
        return null;
      }
    }
    // Only whitespace may follow the object (Jackson: trailing tokens are an error).
    while (pos < to) {
      byte c = b[pos++];
      if (c != ' ' && c != '\t') {
        return null;
      }
    }
    if (answer == null) {
      return null;
    }
    return new Fields(id, group, response, answer, task, grid, idNumber, groupNumber);
  }

  /** Whether {@code word} is at {@code pos}; if so, moves past it. */
  private boolean literal(byte[] b, int to, String word) {
    int n = word.length();
    if (pos + n > to) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    pos += n;
    return true;
  }

  /**
   * Reads a JSON number (RFC 8259: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, which
   * Jackson's defaults accept) and moves past it; false for anything else. With {@code integer},
   * only an integer of at most 18 digits that Jackson writes back with the same characters (not
   * {@code -0}) is taken, since an id or group is written out as Jackson writes the number it read.
   */
  private boolean number(byte[] b, int to, boolean integer) {
    int i = pos;
    if (i < to && b[i] == '-') {
      i++;
    }
    int digitsFrom = i;
    if (i >= to || b[i] < '0' || b[i] > '9') {
      return false;
    }
    if (b[i] == '0') {
      i++;
    } else {
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
    }
    int digits = i - digitsFrom;
    boolean plain = true;
    if (i < to && b[i] == '.') {
      plain = false;
      int s = ++i;
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == s) {
        return false;
      }
    }
    if (i < to && (b[i] == 'e' || b[i] == 'E')) {
      plain = false;
      i++;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int s = i;
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == s) {
        return false;
      }
    }
    if (i - pos > MAX_NUMBER) {
      return false;
    }
    if (integer && (!plain || digits > 18 || (b[pos] == '-' && b[digitsFrom] == '0'))) {
      return false;
    }
    pos = i;
    return true;
  }

  /** Records the other field just named; false when it repeats an earlier one or there are many. */
  private boolean newOther(byte[] b) {
    int len = nameTo - nameFrom;
    for (int k = 0; k < others; k++) {
      if (otherTo[k] - otherFrom[k] == len
          && java.util.Arrays.equals(b, otherFrom[k], otherTo[k], b, nameFrom, nameTo)) {
        return false;
      }
    }
    if (others == MAX_OTHERS) {
      return false;
    }
    otherFrom[others] = nameFrom;
    otherTo[others] = nameTo;
    others++;
    return true;
  }

  /** Skips JSON whitespace; false when the line ends first. */
  private boolean ws(byte[] b, int to) {
    while (pos < to && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
    return pos < to;
  }

  /**
   * Reads a field name at {@code pos}: one of the six fields, {@link #OTHER} for another name of
   * plain printable ASCII, or {@link #ODD} for a name the general path must read.
   */
  private int name(byte[] b, int to) {
    if (b[pos] != '"') {
      return ODD;
    }
    int s = pos + 1;
    int e = s;
    boolean ascii = true;
    while (e < to && b[e] != '"') {
      if (b[e] == '\\' || (b[e] >= 0 && b[e] < 0x20)) {
        return ODD; // escaped or odd names are left to Jackson
      }
      ascii &= b[e] > 0 && b[e] < 0x7f;
      e++;
    }
    if (e >= to) {
      return ODD;
    }
    pos = e + 1;
    nameFrom = s;
    nameTo = e;
    int field;
    switch (e - s) {
      case 2 -> field = b[s] == 'i' && b[s + 1] == 'd' ? ID : 0;
      case 4 -> field = is(b, s, "task") ? TASK : is(b, s, "grid") ? GRID : 0;
      case 5 -> field = is(b, s, "group") ? GROUP : 0;
      case 6 -> field = is(b, s, "answer") ? ANSWER : 0;
      case 8 -> field = is(b, s, "response") ? RESPONSE : 0;
      default -> field = 0;
    }
    if (field != 0) {
      return field;
    }
    return ascii && e - s <= MAX_OTHER_NAME ? OTHER : ODD;
  }

  private static boolean is(byte[] b, int s, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (b[s + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes the JSON string at {@code pos} (its opening quote) and moves past its closing quote;
   * null for anything Jackson would refuse or the general path must see (see the class comment).
   * Without {@code keep} the string is only checked, and "" returned for it.
   */
  private String string(byte[] b, int to, boolean keep) {
    int i = pos + 1;
    int n = 0;
    char[] out = chars;
    while (true) {
      if (i >= to) {
        return null; // unterminated
      }
      if (n + 2 > out.length) {
        if (out.length >= maxString) {
          return null;
        }
        out = chars = java.util.Arrays.copyOf(out, Math.min(2 * out.length, maxString + 2));
      }
      int c = b[i];
      if (c >= 0x20 && c != '"' && c != '\\') {
        out[n++] = (char) c;
        i++;
        continue;
      }
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        if (i + 1 >= to) {
          return null;
        }
        byte e = b[i + 1];
        i += 2;
        switch (e) {
          case '"' -> out[n++] = '"';
          case '\\' -> out[n++] = '\\';
          case '/' -> out[n++] = '/';
          case 'b' -> out[n++] = '\b';
          case 'f' -> out[n++] = '\f';
          case 'n' -> out[n++] = '\n';
          case 'r' -> out[n++] = '\r';
          case 't' -> out[n++] = '\t';
          case 'u' -> {
            if (i + 4 > to) {
              return null;
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int h = hex(b[i + k]);
              if (h < 0) {
                return null;
              }
              v = (v << 4) | h;
            }
            i += 4;
            out[n++] = (char) v;
          }
          default -> {
            return null;
          }
        }
        continue;
      }
      if (c >= 0) {
        return null; // a raw control character
      }
      // A multi-byte sequence, well-formed as Java's UTF-8 decoder requires (RFC 3629).
      int lead = c & 0xFF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        if (i + 1 >= to || !cont(b[i + 1], 0x80, 0xBF)) {
          return null;
        }
        out[n++] = (char) (((lead & 0x1F) << 6) | (b[i + 1] & 0x3F));
        i += 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        int lo = lead == 0xE0 ? 0xA0 : 0x80;
        int hi = lead == 0xED ? 0x9F : 0xBF;
        if (i + 2 >= to || !cont(b[i + 1], lo, hi) || !cont(b[i + 2], 0x80, 0xBF)) {
          return null;
        }
        out[n++] = (char) (((lead & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
        i += 3;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        int lo = lead == 0xF0 ? 0x90 : 0x80;
        int hi = lead == 0xF4 ? 0x8F : 0xBF;
        if (i + 3 >= to
            || !cont(b[i + 1], lo, hi)
            || !cont(b[i + 2], 0x80, 0xBF)
            || !cont(b[i + 3], 0x80, 0xBF)) {
          return null;
        }
        int cp =
            ((lead & 0x07) << 18)
                | ((b[i + 1] & 0x3F) << 12)
                | ((b[i + 2] & 0x3F) << 6)
                | (b[i + 3] & 0x3F);
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
        i += 4;
      } else {
        return null;
      }
    }
    if (n > maxString) {
      return null;
    }
    pos = i + 1;
    return keep ? new String(out, 0, n) : "";
  }

  private static boolean cont(byte v, int lo, int hi) {
    int u = v & 0xFF;
    return u >= lo && u <= hi;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
