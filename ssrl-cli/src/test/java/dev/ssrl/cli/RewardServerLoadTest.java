package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.serve.RewardServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reward server under load on loopback, with the real rewards: many concurrent clients for a
 * bounded time, malformed requests mixed in, and slow clients that dribble their request a byte at
 * a time. Every well-formed request must get 200 with exactly the rewards the library computes
 * locally; every malformed one its 4xx; nothing is dropped (no 5xx, no I/O error); and the slow
 * clients must not stall the others (many requests complete while they are still sending).
 *
 * <p>Duration {@code -Dssrl.load.seconds} (default 3; the {@code soak} profile runs longer) and
 * client count {@code -Dssrl.load.clients} (default 12). Throughput and p50/p99 latency are printed
 * for docs/RELIABILITY.md; they are measurements, never assertions.
 */
class RewardServerLoadTest {
  private static final int MAX_ITEMS = 64;
  private static final int MAX_BODY = 16 * 1024;
  private static final String[] ANSWERS = {"A", "B", "C", "D", "2-1-3", "0-2-3-1", "3-0", "1-0"};
  private static final String[] TASKS = {null, "crop", "position", "shuffle", "depth", "flip"};
  private static final String[] NOISE = {
    "",
    " ",
    "\n",
    "< think >",
    "</ think>",
    "{",
    "}",
    "深度",
    "😀",
    "\ud800",
    "\u0000",
    "Левый",
    "\u200f",
    "\\boxed{",
    "C. Left",
    "(B)"
  };

  private final Scoring scoring = Rewards.scoring();
  private RewardServer server;
  private int port;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A model-like response around a boxed answer, with random noise. */
  static String response(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    if (r.nextInt(5) != 0) {
      b.append(r.nextBoolean() ? "<think>" : "< think >");
    }
    for (int i = r.nextInt(12); i > 0; i--) {
      b.append(NOISE[r.nextInt(NOISE.length)]).append("word ");
    }
    if (r.nextInt(5) != 0) {
      b.append("</think>");
    }
    if (r.nextInt(8) != 0) {
      b.append("\\boxed{").append(ANSWERS[r.nextInt(ANSWERS.length)]).append('}');
    }
    return b.toString();
  }

  /** A request and what it must get back. */
  record Call(String method, String path, byte[] body, int status, JsonNode expected) {}

  Call valid(SplittableRandom r) {
    if (r.nextInt(4) == 0) {
      // OpenRLHF /get_reward with prompts to strip.
      int n = 1 + r.nextInt(4);
      ObjectNode body = Json.MAPPER.createObjectNode();
      ArrayNode q = body.putArray("query");
      ArrayNode p = body.putArray("prompts");
      ArrayNode l = body.putArray("labels");
      ObjectNode out = Json.MAPPER.createObjectNode();
      ArrayNode rewards = out.putArray("rewards");
      for (int i = 0; i < n; i++) {
        String prompt = "<|im_start|>user\nWhich?<|im_end|>\n";
        String resp = response(r);
        String label = ANSWERS[r.nextInt(ANSWERS.length)];
        q.add(prompt + resp);
        p.add(prompt);
        l.add(label);
        rewards.add(scoring.score(null, resp, label).overall());
      }
      return new Call("POST", "/get_reward", bytes(body), 200, out);
    }
    int n = 1 + r.nextInt(8);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode items = body.putArray("items");
    double[] overall = new double[n];
    List<Reward> rewards = new ArrayList<>();
    // Tolerant mode needs every item's task; the reference mode ignores a task that is sent.
    boolean tolerant = r.nextBoolean();
    if (tolerant) {
      body.put("mode", "tolerant");
    }
    for (int i = 0; i < n; i++) {
      String resp = response(r);
      String answer = ANSWERS[r.nextInt(ANSWERS.length)];
      String task =
          tolerant ? TASKS[1 + r.nextInt(TASKS.length - 1)] : TASKS[r.nextInt(TASKS.length)];
      ObjectNode it = items.addObject();
      it.put("response", resp).put("answer", answer).put("group", "g");
      if (task != null) {
        it.put("task", task);
      }
      Reward w = scoring.score(tolerant ? task : null, resp, answer);
      rewards.add(w);
      overall[i] = w.overall();
    }
    double[] adv = scoring.advantages(overall);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode results = out.putArray("results");
    for (int i = 0; i < n; i++) {
      ObjectNode o = results.addObject();
      o.put("overall", rewards.get(i).overall());
      o.put("format", rewards.get(i).format());
      o.put("accuracy", rewards.get(i).accuracy());
      o.put("advantage", adv[i]);
    }
    return new Call("POST", "/v1/score", bytes(body), 200, out);
  }

  static Call malformed(SplittableRandom r) {
    String many =
        "{\"items\": ["
            + String.join(",", Collections.nCopies(MAX_ITEMS + 1, "{\"answer\":\"A\"}"))
            + "]}";
    Object[][] cases = {
      {"POST", "/v1/score", "{\"items\": [", 400},
      {"POST", "/v1/score", "not json at all", 400},
      {"POST", "/v1/score", "[1, 2]", 400},
      {"POST", "/v1/score", "", 400},
      {"POST", "/v1/score", "{\"items\": [{\"response\": \"x\"}]}", 400},
      {"POST", "/v1/score", "{\"items\": [{\"response\": 5, \"answer\": \"A\"}]}", 400},
      {"POST", "/v1/score", "{\"items\": \"x\"}", 400},
      {"POST", "/v1/score", "{\"items\": [7]}", 400},
      {"POST", "/get_reward", "{\"query\": [\"a\"], \"labels\": [\"a\", \"b\"]}", 400},
      {"POST", "/get_reward", "{\"query\": [\"a\"]}", 400},
      {"POST", "/v1/score", many, 413},
      {"POST", "/v1/score", "{\"pad\": \"" + "x".repeat(MAX_BODY) + "\"}", 413},
      {"GET", "/v1/score", null, 405},
      {"POST", "/nope", "{}", 404},
    };
    if (r.nextInt(cases.length + 1) == cases.length) {
      // Invalid UTF-8 inside a JSON string.
      byte[] b =
          "{\"items\": [{\"response\": \"\u0001\u0001\", \"answer\": \"A\"}]}"
              .getBytes(StandardCharsets.UTF_8);
      b[25] = (byte) 0xFF;
      b[26] = (byte) 0xFE;
      return new Call("POST", "/v1/score", b, 400, null);
    }
    Object[] c = cases[r.nextInt(cases.length)];
    return new Call(
        (String) c[0],
        (String) c[1],
        c[2] == null ? null : ((String) c[2]).getBytes(StandardCharsets.UTF_8),
        (Integer) c[3],
        null);
  }

  static byte[] bytes(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Requests Java's {@code HttpClient} failed with "header parser received no bytes", over all
   * tests of this JVM. The cause is the JDK client's own: its HTTP/1.1 pool watches an idle
   * connection with a "cleanup trigger" that closes the connection when data arrives; when the
   * connection is taken for the next request, the answer to that request can reach the trigger
   * before the new exchange has taken over the reads, and the client closes its own connection
   * ("connection closed locally", caused by "Unexpected cleanup triggered for non pooled
   * connection: Data received while in pool" on JDK 25.0.3). OpenJDK has fixed parts of this race
   * twice (JDK-8338569, JDK-8357639); it still occurs in 17.0.15 and 25.0.3, rarely (about once per
   * million requests in standalone runs, more often in a full test run; docs/BENCHMARKS.md, "Java's
   * HttpClient against Jetty"). Such a request is sent once more and counted, and each test bounds
   * the count; any other failure fails the test at once.
   */
  static final java.util.concurrent.atomic.AtomicLong NO_ANSWER =
      new java.util.concurrent.atomic.AtomicLong();

  static HttpResponse<String> send(HttpClient http, HttpRequest req)
      throws IOException, InterruptedException {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("header parser received no bytes")) {
        throw e;
      }
      NO_ANSWER.incrementAndGet();
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
  }

  /** At most one request in 1,000 (and at least 1 allowed) found its connection closed. */
  static void assertFewNoAnswers(long requests, long before) {
    long n = NO_ANSWER.get() - before;
    assertTrue(
        n <= Math.max(1, requests / 1000),
        n + " of " + requests + " requests found their connection closed with no answer");
  }

  /** Checks a 200 answer against the locally computed one (details are not compared). */
  static void check(Call c, int status, String body) throws IOException {
    assertEquals(
        c.status,
        status,
        () ->
            c.path
                + " "
                + new String(c.body == null ? new byte[0] : c.body, StandardCharsets.UTF_8)
                    .substring(0, Math.min(200, c.body == null ? 0 : c.body.length))
                + " -> "
                + body);
    JsonNode got = Json.MAPPER.readTree(body);
    if (c.expected == null) {
      assertTrue(got.get("error").isTextual(), body);
      return;
    }
    if (c.path.equals("/get_reward")) {
      JsonNode want = c.expected.get("rewards");
      assertEquals(want.size(), got.get("rewards").size(), body);
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i).asDouble(), got.get("rewards").get(i).asDouble(), 0.0, body);
      }
      return;
    }
    JsonNode want = c.expected.get("results");
    JsonNode have = got.get("results");
    assertEquals(want.size(), have.size(), body);
    for (int i = 0; i < want.size(); i++) {
      for (String k : List.of("overall", "format", "accuracy", "advantage")) {
        assertEquals(
            want.get(i).get(k).asDouble(), have.get(i).get(k).asDouble(), 0.0, k + " " + body);
      }
    }
  }

  /**
   * A client that sends the request line and headers, then the body one byte every {@code
   * pauseMillis}, while {@code during} counts the other requests answered meanwhile.
   */
  static String slowPost(int port, String path, byte[] body, long pauseMillis) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(60_000);
      OutputStream o = s.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      // Even the headers arrive slowly, a few bytes at a time.
      byte[] h = head.getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < h.length; i += 16) {
        o.write(h, i, Math.min(16, h.length - i));
        o.flush();
        sleep(pauseMillis);
      }
      for (byte b : body) {
        o.write(b);
        o.flush();
        sleep(pauseMillis);
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void manyClientsMalformedAndSlowOnesGetCorrectAnswersWithoutStalling() throws Exception {
    long seconds = Long.getLong("ssrl.load.seconds", 3);
    int clients = Integer.getInteger("ssrl.load.clients", 12);
    int slowClients = 3;
    server = new RewardServer(scoring, "127.0.0.1", 0, 2, 64, MAX_BODY, MAX_ITEMS);
    port = server.start();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    long seed = System.nanoTime();
    long noAnswerBefore = NO_ANSWER.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong completedWhileSlow = new AtomicLong();
    AtomicLong malformedSent = new AtomicLong();
    List<Long> latencies = new CopyOnWriteArrayList<>();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients + slowClients);
    List<Future<?>> work = new ArrayList<>();
    // Slow clients: each takes most of the test to send one valid request.
    Call slowCall = valid(new SplittableRandom(seed));
    long slowPause = Math.max(1, TimeUnit.SECONDS.toMillis(seconds) / (slowCall.body.length + 12));
    List<Future<String>> slow = new ArrayList<>();
    for (int k = 0; k < slowClients; k++) {
      slow.add(pool.submit(() -> slowPost(port, slowCall.path, slowCall.body, slowPause)));
    }
    for (int c = 0; c < clients; c++) {
      long clientSeed = seed + 1 + c;
      work.add(
          pool.submit(
              () -> {
                SplittableRandom r = new SplittableRandom(clientSeed);
                while (System.nanoTime() < deadline) {
                  boolean bad = r.nextInt(8) == 0;
                  Call call = bad ? malformed(r) : valid(r);
                  if (bad) {
                    malformedSent.incrementAndGet();
                  }
                  HttpRequest.Builder b =
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path))
                          .timeout(Duration.ofSeconds(30));
                  b =
                      call.body == null
                          ? b.GET()
                          : b.POST(HttpRequest.BodyPublishers.ofByteArray(call.body));
                  long t0 = System.nanoTime();
                  HttpResponse<String> resp = send(http, b.build());
                  latencies.add(System.nanoTime() - t0);
                  statuses
                      .computeIfAbsent(resp.statusCode(), k -> new AtomicLong())
                      .incrementAndGet();
                  check(call, resp.statusCode(), resp.body());
                  if (slow.stream().noneMatch(Future::isDone)) {
                    completedWhileSlow.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : work) {
      f.get(seconds + 120, TimeUnit.SECONDS);
    }
    for (Future<String> f : slow) {
      String raw = f.get(seconds * 3 + 120, TimeUnit.SECONDS);
      assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
      check(slowCall, 200, raw.substring(raw.indexOf("\r\n\r\n") + 4));
    }
    pool.shutdown();
    long total = latencies.size();
    assertFewNoAnswers(total, noAnswerBefore);
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "RewardServerLoadTest: %d clients + %d slow, %d s, seed %d: %d requests (%d malformed),"
            + " %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, statuses %s, %d answered"
            + " while the slow clients were still sending%n",
        clients,
        slowClients,
        seconds,
        seed,
        total,
        malformedSent.get(),
        total / (double) seconds,
        sorted[(int) (sorted.length * 0.50)] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        statuses,
        completedWhileSlow.get());
    assertTrue(malformedSent.get() > 0, "malformed requests were mixed in");
    assertTrue(
        statuses.keySet().stream().allMatch(s -> s < 500),
        "no request was dropped or failed on the server: " + statuses);
    assertTrue(
        completedWhileSlow.get() >= 20,
        "the slow clients did not stall the others: "
            + completedWhileSlow.get()
            + " requests answered while they were sending");
    assertEquals(total, sorted.length);
  }
}
