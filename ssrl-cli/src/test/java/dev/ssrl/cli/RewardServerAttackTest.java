package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.serve.RewardServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 26, each on raw sockets against the server with its default limits (16 MiB
 * bodies, the default connection cap and body budget): every one of them broke the hand-written
 * transport that came before (docs/RELIABILITY.md, "Round three", has the answers before and
 * after).
 */
class RewardServerAttackTest {
  private static final String ONE_ITEM =
      "{\"items\": [{\"response\": \"<think>x</think> \\\\boxed{A}\", \"answer\": \"A\"}]}";
  private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

  private RewardServer server;
  private int port;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private void start(Scoring scoring) throws IOException {
    server = new RewardServer(scoring, "127.0.0.1", 0, 2, 64, 16 << 20, 4096);
    port = server.start();
  }

  private RawHttp.Response exchange(String request) throws IOException {
    try (RawHttp c = new RawHttp(port, 10_000)) {
      return c.send(request).read();
    }
  }

  private RawHttp.Response score() throws IOException {
    try (RawHttp c = new RawHttp(port, 10_000)) {
      return c.send(RawHttp.post("/v1/score", "application/json", ONE_ITEM.getBytes())).read();
    }
  }

  private static String error(RawHttp.Response r) throws IOException {
    return Json.MAPPER.readTree(r.body()).get("error").asText();
  }

  /** One write of 2,000 pipelined health checks, nothing read: the server must live on. */
  @Test
  void aBurstOfTwoThousandPipelinedRequestsLeavesTheServerServing() throws Exception {
    start(new FakeScoring());
    for (String request : new String[] {HEALTH, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}) {
      try (RawHttp burst = new RawHttp(port, 20_000)) {
        burst.send(request.repeat(2000));
        Thread.sleep(500);
        // Another client is served while the burst's answers wait to be read.
        RawHttp.Response r = score();
        assertEquals(200, r.status(), r.body());
        // And the burst itself gets its 2,000 answers, in order, on its connection.
        int expected = request.equals(HEALTH) ? 200 : 404;
        for (int i = 0; i < 2000; i++) {
          RawHttp.Response a = burst.read();
          assertNotNull(a, "answer " + i + " of the burst");
          assertEquals(expected, a.status(), "answer " + i);
        }
      }
    }
    assertEquals(200, exchange(HEALTH).status());
  }

  /**
   * Sixteen heads declaring 16 MiB bodies (and sixteen chunked ones announcing a 1 MB chunk) that
   * never send a byte of them hold no body budget: a normal request is answered within a second.
   */
  @Test
  void declaredBodiesThatNeverArriveReserveNothing() throws Exception {
    start(new FakeScoring());
    List<RawHttp> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        RawHttp c = new RawHttp(port, 10_000);
        c.send(
            "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: 16777216\r\n"
                + "Content-Type: application/json\r\n\r\n");
        idle.add(c);
        RawHttp d = new RawHttp(port, 10_000);
        d.send(
            "POST /get_reward HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\n\r\n1000000\r\n");
        idle.add(d);
      }
      Thread.sleep(300);
      for (String path : new String[] {"/v1/score", "/get_reward"}) {
        String body =
            path.equals("/v1/score")
                ? ONE_ITEM
                : "{\"query\": [\"<think>x</think> \\\\boxed{A}\"], \"labels\": [\"A\"]}";
        long t0 = System.nanoTime();
        RawHttp.Response r;
        try (RawHttp c = new RawHttp(port, 1_000)) {
          r = c.send(RawHttp.post(path, "application/json", body.getBytes())).read();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status(), path + " -> " + r.body());
        assertTrue(ms < 1000, path + " answered in " + ms + " ms");
      }
    } finally {
      for (RawHttp c : idle) {
        c.close();
      }
    }
  }

  /** RFC 9112 6.1: Transfer-Encoding in an HTTP/1.0 message is faulty framing; close after. */
  @Test
  void http10WithTransferEncodingIsFaultyFramingAndClosed() throws Exception {
    start(new FakeScoring());
    try (RawHttp c = new RawHttp(port, 10_000)) {
      String chunked = Integer.toHexString(ONE_ITEM.length()) + "\r\n" + ONE_ITEM + "\r\n0\r\n\r\n";
      c.send(
          "POST /v1/score HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
              + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
              + chunked);
      RawHttp.Response r = c.read();
      assertEquals(400, r.status(), r.body());
      assertTrue(c.closedByServer(), "the connection is closed after faulty framing");
    }
  }

  /** RFC 9110 10.1.1: a server must not send 100 (Continue) to an HTTP/1.0 client. */
  @Test
  void noContinueForHttp10Clients() throws Exception {
    start(new FakeScoring());
    try (RawHttp c = new RawHttp(port, 10_000)) {
      c.send(
          "POST /v1/score HTTP/1.0\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
              + ONE_ITEM.length()
              + "\r\n\r\n");
      c.socket.setSoTimeout(700);
      try {
        int b = c.in.read();
        throw new AssertionError("the server sent something before the body: " + (char) b);
      } catch (SocketTimeoutException expected) {
        // Nothing was sent: an HTTP/1.0 client sends its body without waiting.
      }
      c.socket.setSoTimeout(10_000);
      c.send(ONE_ITEM);
      RawHttp.Response r = c.read();
      assertEquals(200, r.status(), r.body());
    }
  }

  /** RFC 9112 3.2: an HTTP/1.1 request without Host, or with two, gets 400. */
  @Test
  void aMissingOrDoubledHostIs400() throws Exception {
    start(new FakeScoring());
    for (String bad :
        new String[] {
          "GET /health HTTP/1.1\r\n\r\n",
          "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
          "GET /health HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"
        }) {
      RawHttp.Response r = exchange(bad);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      assertTrue(error(r).length() > 0, r.body());
    }
    assertEquals(200, exchange(HEALTH).status());
  }

  /** RFC 9110 5.6.3: only SP and HTAB are whitespace in fields; VT and FF are not trimmed. */
  @Test
  void verticalTabAndFormFeedAreNotWhitespaceInLengthsAndChunkSizes() throws Exception {
    start(new FakeScoring());
    int n = ONE_ITEM.length();
    for (char ws : new char[] {'\u000b', '\u000c'}) {
      for (String bad :
          new String[] {
            "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + n
                + ws
                + "\r\n\r\n"
                + ONE_ITEM,
            "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + ws
                + n
                + "\r\n\r\n"
                + ONE_ITEM,
            "POST /v1/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                + ws
                + "\r\n\r\n"
                + Integer.toHexString(n)
                + "\r\n"
                + ONE_ITEM
                + "\r\n0\r\n\r\n",
            "POST /v1/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(n)
                + ws
                + "\r\n"
                + ONE_ITEM
                + "\r\n0\r\n\r\n"
          }) {
        RawHttp.Response r = exchange(bad);
        assertEquals(400, r.status(), bad.replace("\r\n", "|") + " -> " + r.body());
      }
    }
    // The same requests with a space where the VT was are read.
    assertEquals(
        200,
        exchange(
                "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + n
                    + " \r\n\r\n"
                    + ONE_ITEM)
            .status());
  }

  /** RFC 9112 7.1.2: trailer lines are field lines, and the trailer section ends with CRLF. */
  @Test
  void trailerLinesMustBeFieldsAndAMissingFinalCrlfSwallowsNothing() throws Exception {
    start(new FakeScoring());
    String head = "POST /v1/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    String data = Integer.toHexString(ONE_ITEM.length()) + "\r\n" + ONE_ITEM + "\r\n";
    RawHttp.Response r = exchange(head + data + "0\r\nthis is not a field\r\n\r\n");
    assertEquals(400, r.status(), r.body());
    assertTrue(error(r).contains("malformed chunked body"), r.body());
    // A valid trailer field is read and the connection goes on.
    try (RawHttp c = new RawHttp(port, 10_000)) {
      assertEquals(200, c.send(head + data + "0\r\nX-Checksum: 1\r\n\r\n").read().status());
      assertEquals(200, c.send(HEALTH).read().status());
    }
    // No final CRLF, a pipelined request right after the last chunk: its request line is not a
    // trailer field, so this is 400, not a 200 that swallowed the second request.
    try (RawHttp c = new RawHttp(port, 10_000)) {
      RawHttp.Response first = c.send(head + data + "0\r\n" + HEALTH).read();
      assertEquals(400, first.status(), first.body());
      assertTrue(c.closedByServer());
    }
  }

  /** RFC 3986 2.2: %2F is data, not a path separator; routing sees it undecoded. */
  @Test
  void anEncodedSlashIsNotAPathSeparator() throws Exception {
    start(new FakeScoring());
    for (String target : new String[] {"/v1%2Fscore", "/v1%2fscore"}) {
      RawHttp.Response r;
      try (RawHttp c = new RawHttp(port, 10_000)) {
        byte[] req = RawHttp.post(target, "application/json", ONE_ITEM.getBytes());
        r = c.send(req).read();
      }
      assertNotEquals(200, r.status(), target + " must not reach /v1/score");
      assertTrue(r.status() == 400 || r.status() == 404, target + " -> " + r.status());
      assertTrue(error(r).length() > 0, r.body());
    }
  }

  /**
   * Targets whose percent-encoding cannot be decoded are a 400 naming the target, never a
   * connection closed without an answer (the helper probe of issue 26's fifth round found that).
   */
  @Test
  void aTargetWithBadPercentEncodingIs400() throws Exception {
    start(new FakeScoring());
    for (String target : new String[] {"/he%zzlth", "/health%00", "/a%2", "/v1/sc%zzore"}) {
      RawHttp.Response r = exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertNotNull(r, target + ": no answer");
      assertEquals(400, r.status(), target + ": " + r.body());
      assertTrue(error(r).length() > 0, r.body());
    }
    assertEquals(200, exchange(HEALTH).status());
  }

  /** Heads over the limits get 414 and 431 with their own reason, nothing about bodies. */
  @Test
  void oversizedHeadsSayWhatIsTooLarge() throws Exception {
    start(new FakeScoring());
    RawHttp.Response uri = exchange("GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(414, uri.status(), uri.body());
    assertFalse(error(uri).contains("body"), uri.body());
    RawHttp.Response fields =
        exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-A: " + "a".repeat(33_792) + "\r\n\r\n");
    assertEquals(431, fields.status(), fields.body());
    assertFalse(error(fields).contains("body"), fields.body());
  }

  /**
   * RFC 9110 15.6.6 and 10.1.1: an HTTP/2 request line (the prior-knowledge preface included) is
   * 505, and an expectation other than 100-continue is 417; both close.
   */
  @Test
  void otherVersionsAndExpectationsAreRefused() throws Exception {
    start(new FakeScoring());
    for (String req :
        new String[] {
          "GET /health HTTP/2.0\r\nHost: x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        }) {
      try (RawHttp c = new RawHttp(port, 10_000)) {
        RawHttp.Response r = c.send(req).read();
        assertEquals(505, r.status(), req + " -> " + r.body());
        assertTrue(c.closedByServer());
      }
    }
    RawHttp.Response r = exchange("GET /health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n");
    assertEquals(417, r.status(), r.body());
    assertTrue(error(r).contains("foo"), r.body());
  }

  /** RFC 9110 9.3.2: HEAD is GET without the content. */
  @Test
  void headOfHealthIsItsGetWithoutContent() throws Exception {
    start(new FakeScoring());
    RawHttp.Response get = exchange(HEALTH);
    try (RawHttp c = new RawHttp(port, 10_000)) {
      c.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n");
      String status = readLine(c);
      assertTrue(status.startsWith("HTTP/1.1 200 "), status);
      String length = null;
      for (String l = readLine(c); !l.isEmpty(); l = readLine(c)) {
        if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = l.substring(15).trim();
        }
      }
      assertEquals(Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length), length);
      // No content follows: the next answer on the connection starts right away.
      c.send(HEALTH);
      assertTrue(readLine(c).startsWith("HTTP/1.1 200 "));
    }
    // HEAD of a scoring endpoint is still the wrong method (its answer has no content either).
    try (RawHttp c = new RawHttp(port, 10_000)) {
      c.send("HEAD /v1/score HTTP/1.1\r\nHost: x\r\n\r\n");
      String status = readLine(c);
      assertTrue(status.startsWith("HTTP/1.1 405 "), status);
      boolean allow = false;
      for (String l = readLine(c); !l.isEmpty(); l = readLine(c)) {
        allow |= l.equalsIgnoreCase("Allow: POST");
      }
      assertTrue(allow, "Allow: POST");
    }
  }

  private static String readLine(RawHttp c) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int ch = c.in.read(); ch >= 0 && ch != '\n'; ch = c.in.read()) {
      if (ch != '\r') {
        b.append((char) ch);
      }
    }
    return b.toString();
  }

  /**
   * An Error thrown while scoring one request (here a StackOverflowError and an AssertionError) is
   * that request's 500; the server goes on serving.
   */
  @Test
  void anErrorInOneRequestIsItsOwn500() throws Exception {
    FakeScoring fake = new FakeScoring();
    Scoring throwing =
        new Scoring() {
          @Override
          public Reward score(String task, String response, String answer) {
            if ("overflow".equals(answer)) {
              throw new StackOverflowError("injected");
            }
            if ("assert".equals(answer)) {
              throw new AssertionError("injected");
            }
            return fake.score(task, response, answer);
          }

          @Override
          public double[] advantages(double[] g) {
            return fake.advantages(g);
          }
        };
    start(throwing);
    for (String answer : new String[] {"overflow", "assert"}) {
      String body = ONE_ITEM.replace("\"answer\": \"A\"", "\"answer\": \"" + answer + "\"");
      for (int i = 0; i < 3; i++) {
        RawHttp.Response r;
        try (RawHttp c = new RawHttp(port, 10_000)) {
          r = c.send(RawHttp.post("/v1/score", null, body.getBytes())).read();
        }
        assertEquals(500, r.status(), r.body());
        assertTrue(error(r).contains("injected"), r.body());
      }
      assertEquals(200, score().status());
    }
  }

  /**
   * A server whose listening socket is gone reports it (ssrl serve then exits 1) instead of living
   * on with no way to reach it.
   */
  @Test
  void aServerThatCanNoLongerAcceptSaysSo() throws Exception {
    start(new FakeScoring());
    java.util.concurrent.CompletableFuture<String> failed =
        new java.util.concurrent.CompletableFuture<>();
    server.onFailure(failed::complete);
    assertEquals(200, exchange(HEALTH).status());
    server.transport().listener().close();
    String reason = failed.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(reason.contains("stopped accepting"), reason);
  }

  /**
   * A body over the limit is answered 413 before it is read; the client, still writing it, must get
   * that answer and not a reset connection (what Java's HttpClient reported as "header parser
   * received no bytes" under load): the server drops the rest of the body before it closes.
   */
  @Test
  void aClientStillSendingAnOversizedBodyReadsThe413() throws Exception {
    server = new RewardServer(new FakeScoring(), "127.0.0.1", 0, 2, 64, 1024, 4096);
    port = server.start();
    int size = 4 << 20;
    for (int round = 0; round < 5; round++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        java.io.OutputStream out = s.getOutputStream();
        out.write(
            ("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + size
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 << 10];
        java.util.Arrays.fill(chunk, (byte) ' ');
        // The whole body is written before anything is read, as a client that streams its body
        // does; the answer must still be there afterwards.
        for (int sent = 0; sent < size; sent += chunk.length) {
          out.write(chunk);
        }
        out.flush();
        byte[] head = s.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 413", new String(head, StandardCharsets.US_ASCII), "round " + round);
      }
    }
    assertEquals(200, score().status());
  }
}
