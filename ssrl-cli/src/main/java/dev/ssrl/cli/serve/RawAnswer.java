package dev.ssrl.cli.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;

/** The bytes of an HTTP/1.1 answer: every answer of the reward server is JSON with a length. */
final class RawAnswer {
  private RawAnswer() {}

  /**
   * The head of an answer to {@code r}: status line, {@code Date} field line (as {@code dateLine}),
   * the JSON type, the length, {@code r}'s own fields and {@code Connection} if {@code connection}
   * is not null, then the blank line.
   */
  static byte[] head(HttpTransport.Response r, String dateLine, String connection) {
    StringBuilder h = new StringBuilder(200);
    h.append("HTTP/1.1 ")
        .append(r.status())
        .append(' ')
        .append(HttpStatus.getMessage(r.status()))
        .append("\r\n")
        .append(dateLine)
        .append("Content-Type: application/json; charset=utf-8\r\nContent-Length: ")
        .append(r.body().length)
        .append("\r\n");
    for (Map.Entry<String, String> e : r.headers().entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    if (connection != null) {
      h.append("Connection: ").append(connection).append("\r\n");
    }
    return h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The {@code Date} field line of the time {@code millis}, with its CRLF. */
  static String dateLine(long millis) {
    // Jetty's IMF-fixdate writer: no locale data to load (a DateTimeFormatter with English names
    // loads the JDK's locale providers, tens of milliseconds at start-up).
    return "Date: " + DateGenerator.formatDate(millis) + "\r\n";
  }

  /** A complete answer with {@code Connection: close}, for a connection's only write. */
  static byte[] bytes(HttpTransport.Response r) {
    byte[] head = head(r, dateLine(System.currentTimeMillis()), "close");
    byte[] all = Arrays.copyOf(head, head.length + r.body().length);
    System.arraycopy(r.body(), 0, all, head.length, r.body().length);
    return all;
  }
}
