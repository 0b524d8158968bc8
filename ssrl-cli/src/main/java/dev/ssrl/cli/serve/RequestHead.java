package dev.ssrl.cli.serve;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;

/**
 * What the reward server reads from a request head that Jetty's parser has checked: the request
 * line, and the few fields that decide routing, framing and keep-alive. One per connection, filled
 * by {@link Http1Connection}'s parser callbacks and cleared for the next request.
 */
final class RequestHead {
  String method;
  String target;
  HttpVersion version;
  String contentType;

  /** {@code Connection: close}. */
  boolean close;

  /** {@code Connection: keep-alive} (HTTP/1.0). */
  boolean keepAlive;

  /** {@code Expect: 100-continue}. */
  boolean expectContinue;

  /** An {@code Expect} value other than 100-continue; null when there is none. */
  String otherExpectation;

  /** The Transfer-Encoding field values, joined; null when there is none. */
  String transferEncoding;

  void start(String method, String target, HttpVersion version) {
    this.method = method;
    this.target = target;
    this.version = version;
  }

  void field(HttpField field) {
    HttpHeader header = field.getHeader();
    if (header == null) {
      return;
    }
    switch (header) {
      case CONTENT_TYPE -> {
        if (contentType == null) {
          contentType = field.getValue();
        }
      }
      case CONNECTION -> {
        close |= field.contains(HttpHeaderValue.CLOSE.asString());
        keepAlive |= field.contains(HttpHeaderValue.KEEP_ALIVE.asString());
      }
      case EXPECT -> {
        for (String v : field.getValues()) {
          if (v.equalsIgnoreCase(HttpHeaderValue.CONTINUE.asString())) {
            expectContinue = true;
          } else if (!v.isEmpty()) {
            otherExpectation = v;
          }
        }
      }
      case TRANSFER_ENCODING ->
          transferEncoding =
              transferEncoding == null
                  ? field.getValue()
                  : transferEncoding + ", " + field.getValue();
      default -> {}
    }
  }

  boolean http10() {
    return version == HttpVersion.HTTP_1_0;
  }

  /** Whether the connection may go on after the answer (RFC 9112 9.3). */
  boolean persistent() {
    return !close && (!http10() || keepAlive);
  }

  /** A transfer coding other than chunked (the parser has checked that chunked comes last). */
  boolean otherCoding() {
    if (transferEncoding == null) {
      return false;
    }
    for (String c : transferEncoding.split(",")) {
      if (!c.strip().equalsIgnoreCase("chunked")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The target itself when it is an origin-form path of letters, digits, '/', '_' and '-' only
   * (what trainers send): nothing in it can be encoded, ambiguous or a query, so Jetty's URI parser
   * and compliance check have nothing to find. Else null, and they run.
   */
  String plainPath() {
    int n = target.length();
    if (n == 0 || target.charAt(0) != '/') {
      return null;
    }
    for (int i = 1; i < n; i++) {
      char c = target.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || (c == '/' && target.charAt(i - 1) != '/');
      if (!ok) {
        return null;
      }
    }
    return target;
  }

  void clear() {
    method = null;
    target = null;
    version = null;
    contentType = null;
    close = false;
    keepAlive = false;
    expectContinue = false;
    otherExpectation = null;
    transferEncoding = null;
  }
}
