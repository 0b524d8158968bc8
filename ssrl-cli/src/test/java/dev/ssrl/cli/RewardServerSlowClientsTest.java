package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.serve.HttpLimits;
import dev.ssrl.cli.serve.RewardServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slowloris attack on the reward server: 200 connections that trickle their request one byte at a
 * time (half of them the head, half a declared 10,000-byte body), each replaced by a new one as
 * soon as the server cuts it off, while normal clients send real scoring requests. Every normal
 * request must get 200 with exactly the rewards computed locally; every slow connection must end
 * with a 408 or a close from the server, never an answer. Before the front end of its own, 68 such
 * connections stalled every normal request (issue 16).
 *
 * <p>Latency of the normal requests (p50/p99) is printed without and during the attack, for
 * docs/RELIABILITY.md; never asserted. {@code -Dssrl.slowloris.seconds} (default 6) sets the
 * attack's length, {@code -Dssrl.slowloris.connections} (default 200) its size.
 */
class RewardServerSlowClientsTest {
  private RewardServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Normal clients for {@code seconds}: each request checked, latencies in nanoseconds. */
  static List<Long> normalLoad(int port, int clients, double seconds, long seed) throws Exception {
    RewardServerLoadTest rewards = new RewardServerLoadTest();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<Long> latencies = new CopyOnWriteArrayList<>();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> work = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long clientSeed = seed + c;
      work.add(
          pool.submit(
              () -> {
                SplittableRandom r = new SplittableRandom(clientSeed);
                while (System.nanoTime() < deadline) {
                  RewardServerLoadTest.Call call = rewards.valid(r);
                  HttpRequest req =
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path()))
                          .header("Content-Type", "application/json")
                          .timeout(Duration.ofSeconds(30))
                          .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()))
                          .build();
                  long t0 = System.nanoTime();
                  HttpResponse<String> resp = RewardServerLoadTest.send(http, req);
                  latencies.add(System.nanoTime() - t0);
                  RewardServerLoadTest.check(call, resp.statusCode(), resp.body());
                }
                return null;
              }));
    }
    try {
      for (Future<?> f : work) {
        f.get((long) seconds + 120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return latencies;
  }

  /** One attacking connection: what it has sent, and how the server ended it. */
  static final class Slow {
    final RawHttp socket;
    final byte[] request;
    int sent;

    Slow(int port, byte[] request) throws IOException {
      this.socket = new RawHttp(port, 10_000);
      this.request = request;
    }
  }

  @Test
  void twoHundredTricklingConnectionsNeitherStallNorCorruptNormalRequests() throws Exception {
    double seconds = Double.parseDouble(System.getProperty("ssrl.slowloris.seconds", "6"));
    int connections = Integer.getInteger("ssrl.slowloris.connections", 200);
    int clients = 8;
    HttpLimits limits =
        new HttpLimits(
            HttpLimits.DEFAULT_MAX_CONNECTIONS,
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(30),
            64L << 20);
    assertTrue(connections + clients < limits.maxConnections(), "the attack fits under the cap");
    server = new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 2, 64, 16 * 1024, 64, limits);
    int port = server.start();
    long seed = System.nanoTime();
    long noAnswerBefore = RewardServerLoadTest.NO_ANSWER.get();

    normalLoad(port, clients, 4, seed - 1000); // warm-up (JIT, connections), not reported
    List<Long> quiet = normalLoad(port, clients, 3, seed);

    byte[] slowHead =
        ("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] slowBody = new byte[10_000];
    java.util.Arrays.fill(slowBody, (byte) ' ');
    byte[] slowRequest = new byte[slowHead.length + slowBody.length];
    System.arraycopy(slowHead, 0, slowRequest, 0, slowHead.length);
    System.arraycopy(slowBody, 0, slowRequest, slowHead.length, slowBody.length);

    AtomicBoolean attacking = new AtomicBoolean(true);
    AtomicLong opened = new AtomicLong();
    AtomicLong cut408 = new AtomicLong();
    AtomicLong cutClosed = new AtomicLong();
    List<String> wrong = new CopyOnWriteArrayList<>();
    Thread attacker =
        new Thread(
            () -> {
              List<Slow> slow = new ArrayList<>();
              try {
                while (attacking.get()) {
                  while (slow.size() < connections) {
                    Slow s = new Slow(port, slowRequest);
                    // Half trickle the head from its first byte; half send the head at once.
                    s.sent = opened.getAndIncrement() % 2 == 0 ? 0 : slowHead.length;
                    if (s.sent > 0) {
                      s.socket.send(slowHead);
                    }
                    slow.add(s);
                  }
                  for (int i = slow.size() - 1; i >= 0; i--) {
                    Slow s = slow.get(i);
                    boolean ended;
                    if (s.socket.in.available() > 0) {
                      RawHttp.Response r = s.socket.read();
                      if (r != null && r.status() == 408) {
                        cut408.incrementAndGet();
                      } else if (r != null) {
                        wrong.add("a slow connection got " + r.status() + ": " + r.body());
                      } else {
                        cutClosed.incrementAndGet();
                      }
                      ended = true;
                    } else {
                      try {
                        s.socket.out.write(s.request[s.sent++]);
                        s.socket.out.flush();
                        ended = s.sent == s.request.length;
                        if (ended) {
                          wrong.add("a slow connection sent its whole request");
                        }
                      } catch (IOException e) {
                        cutClosed.incrementAndGet();
                        ended = true;
                      }
                    }
                    if (ended) {
                      s.socket.close();
                      slow.remove(i);
                    }
                  }
                  Thread.sleep(50);
                }
              } catch (IOException | InterruptedException e) {
                wrong.add("attacker failed: " + e);
              } finally {
                for (Slow s : slow) {
                  try {
                    s.socket.close();
                  } catch (IOException ignored) {
                    // Closing.
                  }
                }
              }
            },
            "slowloris");
    attacker.start();
    // Let all of them connect and start trickling before measuring.
    long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (opened.get() < connections && System.nanoTime() < wait) {
      Thread.sleep(20);
    }
    List<Long> attacked;
    try {
      attacked = normalLoad(port, clients, seconds, seed + 1000);
    } finally {
      attacking.set(false);
      attacker.join(30_000);
    }
    String summary =
        String.format(
            Locale.ROOT,
            "RewardServerSlowClientsTest: %d normal clients, seed %d. Without attack: %s."
                + " With %d trickling connections held open for %.0f s: %s; slow connections"
                + " opened %d, cut with 408 %d, closed by the server %d",
            clients,
            seed,
            stats(quiet, 3),
            connections,
            seconds,
            stats(attacked, seconds),
            opened.get(),
            cut408.get(),
            cutClosed.get());
    System.out.println(summary);
    assertEquals(List.of(), wrong, summary);
    RewardServerLoadTest.assertFewNoAnswers((long) quiet.size() + attacked.size(), noAnswerBefore);
    assertTrue(opened.get() >= connections, summary);
    assertTrue(cut408.get() + cutClosed.get() > 0, "the server cut slow connections: " + summary);
    assertTrue(!attacked.isEmpty(), "normal requests were answered during the attack");
  }

  static String stats(List<Long> latencies, double seconds) {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return "no requests";
    }
    return String.format(
        Locale.ROOT,
        "%d requests (%.0f req/s), p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        sorted.length,
        sorted.length / seconds,
        sorted[sorted.length / 2] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
