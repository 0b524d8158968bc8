package dev.ssrl.cli.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;

/** An answer as the bytes of a whole HTTP/1.1 response, for {@link HttpTransport}'s own writes. */
final class RawAnswer {
  private RawAnswer() {}

  /** A complete HTTP/1.1 response with {@code Connection: close}, for writes outside Jetty's. */
  static byte[] bytes(HttpTransport.Response r) {
    StringBuilder h = new StringBuilder(200);
    h.append("HTTP/1.1 ")
        .append(r.status())
        .append(' ')
        .append(HttpStatus.getMessage(r.status()))
        .append("\r\n");
    // Jetty's IMF-fixdate writer: no locale data to load (a DateTimeFormatter with English names
    // loads the JDK's locale providers, tens of milliseconds at start-up).
    h.append("Date: ").append(DateGenerator.formatDate(System.currentTimeMillis())).append("\r\n");
    h.append("Content-Type: application/json; charset=utf-8\r\n");
    h.append("Content-Length: ").append(r.body().length).append("\r\n");
    for (Map.Entry<String, String> e : r.headers().entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    h.append("Connection: close\r\n\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(head, head.length + r.body().length);
    System.arraycopy(r.body(), 0, all, head.length, r.body().length);
    return all;
  }
}
