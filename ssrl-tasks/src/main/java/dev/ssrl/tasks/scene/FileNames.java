package dev.ssrl.tasks.scene;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * File names as text, whatever the locale.
 *
 * <p>On Linux a file name is a string of bytes; the JVM turns it into a {@link String} with the
 * charset of the locale ({@code sun.jnu.encoding}), which under {@code LC_ALL=C} is ASCII. So
 * {@code café.png} comes out of a directory listing as {@code caf??.png}, and a name with bytes
 * that are not UTF-8 comes out with U+FFFD even under a UTF-8 locale; in both cases turning that
 * string back into a path ({@code Path.of}, {@code resolve}) fails or names another file. The rule
 * here: keep the {@link Path} the listing gave (it holds the bytes), and show it with {@link
 * #display}: the name's bytes decoded as UTF-8, in any locale, with each byte that is not part of
 * valid UTF-8 shown as {@code \xNN}.
 */
public final class FileNames {
  private FileNames() {}

  /**
   * The path as text for messages and ids: {@code path.toString()} when that string names the same
   * file (every name under a UTF-8 locale, every ASCII name under any), else each name element
   * decoded from its bytes as UTF-8 with invalid bytes as {@code \xNN}.
   *
   * @throws NullPointerException if path is null
   */
  public static String display(Path path) {
    String s = path.toString();
    if (roundTrips(path, s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    if (path.getRoot() != null) {
      sb.append(path.getRoot());
    }
    String sep = path.getFileSystem().getSeparator();
    for (int i = 0; i < path.getNameCount(); i++) {
      if (i > 0) {
        sb.append(sep);
      }
      sb.append(displayElement(path.getName(i)));
    }
    return sb.toString();
  }

  /** The file name (last element) as {@link #display} shows it; "" for a root. */
  static String displayName(Path path) {
    Path name = path.getFileName();
    return name == null ? "" : displayElement(name);
  }

  private static String displayElement(Path element) {
    String s = element.toString();
    if (roundTrips(element, s)) {
      return s;
    }
    byte[] raw = rawBytes(element);
    return raw == null ? s : decode(raw);
  }

  /** Whether {@code s} converts back to exactly {@code path} (same bytes). */
  private static boolean roundTrips(Path path, String s) {
    try {
      return path.getFileSystem().getPath(s).equals(path);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * The bytes of a one-element path, or null when they cannot be had. The default file system's
   * {@code toUri} percent-encodes a Unix path's own bytes (no charset involved), which is the only
   * public way to reach them; the element is the URI's last segment.
   */
  private static byte[] rawBytes(Path element) {
    String raw;
    try {
      raw = element.toUri().getRawPath();
    } catch (RuntimeException | java.io.IOError e) {
      return null;
    }
    if (raw == null) {
      return null;
    }
    int end = raw.endsWith("/") ? raw.length() - 1 : raw.length(); // folders get a trailing '/'
    int begin = raw.lastIndexOf('/', end - 1) + 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = begin; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < end) {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c); // URIs are ASCII: unescaped characters are single bytes
      }
    }
    return out.toByteArray();
  }

  /** UTF-8 text of {@code bytes}, each byte of an invalid sequence shown as {@code \xNN}. */
  static String decode(byte[] bytes) {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1); // UTF-8 never has more chars than bytes
    StringBuilder sb = new StringBuilder();
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      out.flip();
      sb.append(out);
      out.clear();
      if (!r.isError()) {
        break;
      }
      for (int i = 0; i < r.length(); i++) {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", in.get() & 0xFF));
      }
    }
    dec.flush(out);
    out.flip();
    return sb.append(out).toString();
  }
}
