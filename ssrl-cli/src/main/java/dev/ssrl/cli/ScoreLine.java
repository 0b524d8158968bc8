package dev.ssrl.cli;

/**
 * Reads the common {@code score} input line straight from its UTF-8 bytes: one flat object whose
 * fields are among {@code id}, {@code group}, {@code response}, {@code answer} and {@code task},
 * each a JSON string or {@code null}, with {@code answer} a string. This is what rollout files
 * hold, and it spares the line's decoding into a {@code String} and Jackson's parse of that string,
 * which together were most of the CPU time of a score run (docs/BENCHMARKS.md, issue 17).
 *
 * <p>It never decides anything on its own: whatever it does not recognise — another field, a number
 * or object as a value, a duplicate name, an escape Jackson would refuse, a control character,
 * bytes that are not well-formed UTF-8 (by the rules of Java's decoder, so that no U+FFFD
 * replacement is skipped), a string longer than Jackson's limit, trailing text — makes it return
 * {@code null}, and the caller reads the line the general way, which accepts it with the same
 * result or rejects it with the usual message. For a line it does accept, the strings are the ones
 * Jackson's tree reading gives (a property test compares the two over generated lines).
 *
 * <p>Not thread-safe: one instance per worker (it keeps a scratch buffer).
 */
final class ScoreLine {
  /** The fields of an accepted line; {@code null} where the field is absent or JSON null. */
  record Fields(String id, String group, String response, String answer, String task) {}

  private static final int ID = 1;
  private static final int GROUP = 2;
  private static final int RESPONSE = 4;
  private static final int ANSWER = 8;
  private static final int TASK = 16;

  private final int maxString;
  private char[] chars = new char[1024];
  private int pos;

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
    String id = null;
    String group = null;
    String response = null;
    String answer = null;
    String task = null;
    if (!ws(b, to)) {
      return null;
    }
    if (b[pos] == '}') {
      return null; // no answer
    }
    while (true) {
      int field = name(b, to);
      if (field == 0 || (seen & field) != 0) {
        return null;
      }
      seen |= field;
      if (!ws(b, to) || b[pos] != ':') {
        return null;
      }
      pos++;
      if (!ws(b, to)) {
        return null;
      }
      String value;
      if (b[pos] == '"') {
        value = string(b, to);
        if (value == null) {
          return null;
        }
      } else if (pos + 4 <= to
          && b[pos] == 'n'
          && b[pos + 1] == 'u'
          && b[pos + 2] == 'l'
          && b[pos + 3] == 'l') {
        if (field == ANSWER) {
          return null;
        }
        pos += 4;
        value = null;
      } else {
        return null;
      }
      switch (field) {
        case ID -> id = value;
        case GROUP -> group = value;
        case RESPONSE -> response = value;
        case ANSWER -> answer = value;
        default -> task = value;
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
    return new Fields(id, group, response, answer, task);
  }

  /** Skips JSON whitespace; false when the line ends first. */
  private boolean ws(byte[] b, int to) {
    while (pos < to && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
    return pos < to;
  }

  /** Reads a field name at {@code pos}: one of the five fields, or 0 for anything else. */
  private int name(byte[] b, int to) {
    if (b[pos] != '"') {
      return 0;
    }
    int s = pos + 1;
    int e = s;
    while (e < to && b[e] != '"') {
      if (b[e] == '\\' || b[e] < 0x20) {
        return 0; // escaped or odd names are left to Jackson
      }
      e++;
    }
    if (e >= to) {
      return 0;
    }
    pos = e + 1;
    int field;
    switch (e - s) {
      case 2 -> field = b[s] == 'i' && b[s + 1] == 'd' ? ID : 0;
      case 4 -> field = is(b, s, "task") ? TASK : 0;
      case 5 -> field = is(b, s, "group") ? GROUP : 0;
      case 6 -> field = is(b, s, "answer") ? ANSWER : 0;
      case 8 -> field = is(b, s, "response") ? RESPONSE : 0;
      default -> field = 0;
    }
    return field;
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
   */
  private String string(byte[] b, int to) {
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
    return new String(out, 0, n);
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
