package dev.ssrl.cli.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;

/** The bytes of an HTTP/1.1 answer: every answer of the reward server is JSON with a length. */
final class RawAnswer {
  private static final byte[][] STATUS_LINES = new byte[600][];
  private static final byte[] TYPE_AND_LENGTH =
      ascii("Content-Type: application/json; charset=utf-8\r\nContent-Length: ");

  private RawAnswer() {}

  /** The {@code Connection} field of an answer: none (HTTP/1.1 keeps the connection), or one. */
  enum ConnectionField {
    NONE(null),
    CLOSE(ascii("Connection: close\r\n")),
    KEEP_ALIVE(ascii("Connection: keep-alive\r\n"));

    final byte[] line;

    ConnectionField(byte[] line) {
      this.line = line;
    }
  }

  /**
   * The head of an answer to {@code r}: status line, {@code Date} field line ({@code dateLine},
   * with its CRLF), the JSON type, the length, {@code r}'s own fields, the {@code Connection}
   * field, then the blank line. Assembled from bytes made once per status (a StringBuilder per
   * answer was a visible share of the selector thread's samples).
   */
  static byte[] head(HttpTransport.Response r, byte[] dateLine, ConnectionField field) {
    byte[] status = statusLine(r.status());
    byte[] extra = r.headers().isEmpty() ? null : fields(r.headers());
    byte[] connection = field.line;
    String length = Integer.toString(r.body().length);
    int n =
        status.length
            + dateLine.length
            + TYPE_AND_LENGTH.length
            + length.length()
            + 2
            + (extra == null ? 0 : extra.length)
            + (connection == null ? 0 : connection.length)
            + 2;
    byte[] h = new byte[n];
    int at = put(h, 0, status);
    at = put(h, at, dateLine);
    at = put(h, at, TYPE_AND_LENGTH);
    for (int i = 0; i < length.length(); i++) {
      h[at++] = (byte) length.charAt(i);
    }
    h[at++] = '\r';
    h[at++] = '\n';
    if (extra != null) {
      at = put(h, at, extra);
    }
    if (connection != null) {
      at = put(h, at, connection);
    }
    h[at++] = '\r';
    h[at] = '\n';
    return h;
  }

  /** The {@code Date} field line of the time {@code millis}, with its CRLF. */
  static byte[] dateLine(long millis) {
    // Jetty's IMF-fixdate writer: no locale data to load (a DateTimeFormatter with English names
    // loads the JDK's locale providers, tens of milliseconds at start-up).
    return ascii("Date: " + DateGenerator.formatDate(millis) + "\r\n");
  }

  /** A complete answer with {@code Connection: close}, for a connection's only write. */
  static byte[] bytes(HttpTransport.Response r) {
    byte[] head = head(r, dateLine(System.currentTimeMillis()), ConnectionField.CLOSE);
    byte[] all = Arrays.copyOf(head, head.length + r.body().length);
    System.arraycopy(r.body(), 0, all, head.length, r.body().length);
    return all;
  }

  private static byte[] statusLine(int status) {
    if (status < 100 || status >= STATUS_LINES.length) {
      return ascii("HTTP/1.1 " + status + " " + HttpStatus.getMessage(status) + "\r\n");
    }
    byte[] line = STATUS_LINES[status];
    if (line == null) {
      // A benign race: two threads may both make the same line.
      line = ascii("HTTP/1.1 " + status + " " + HttpStatus.getMessage(status) + "\r\n");
      STATUS_LINES[status] = line;
    }
    return line;
  }

  private static byte[] fields(Map<String, String> headers) {
    StringBuilder b = new StringBuilder(64);
    for (Map.Entry<String, String> e : headers.entrySet()) {
      b.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    return ascii(b.toString());
  }

  private static int put(byte[] to, int at, byte[] from) {
    System.arraycopy(from, 0, to, at, from.length);
    return at + from.length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
