package dev.ssrl.bench.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second of {@code ssrl serve} on loopback, as a trainer sees it: the real server is
 * started as a child process from the shaded jar ({@code ssrl-cli/target/ssrl.jar}, or {@code
 * -Dssrl.jar=PATH}), and each operation is one HTTP request with a JSON body, answered and parsed.
 *
 * <p>The server and the JMH client threads share the machine's cores, so on a small machine the
 * numbers are a lower bound of what a dedicated reward host serves. {@code items} is the number of
 * responses per request (OpenRLHF sends its micro-batch in one request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RewardServerBenchmark {

  /** Responses per request. */
  @Param({"1", "64"})
  public int items;

  /** Which endpoint: OpenRLHF's {@code /get_reward} or the native {@code /v1/score}. */
  @Param({"get_reward", "v1_score"})
  public String endpoint;

  private Process server;
  private HttpClient client;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void start() throws Exception {
    Path jar = Path.of(System.getProperty("ssrl.jar", "ssrl-cli/target/ssrl.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: build it with ./mvnw -B -q package -DskipTests");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    server =
        new ProcessBuilder(java, "-jar", jar.toString(), "serve", "--port", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    waitForHealth(port);

    String body = endpoint.equals("get_reward") ? openRlhfBody(items) : nativeBody(items);
    String path = endpoint.equals("get_reward") ? "/get_reward" : "/v1/score";
    request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    // Fail the trial now, not with a misleading number, if the payload is refused.
    HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (first.statusCode() != 200) {
      throw new IllegalStateException(
          "server answered " + first.statusCode() + ": " + first.body());
    }
  }

  private void waitForHealth(int port) throws Exception {
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("ssrl serve exited with " + server.exitValue());
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("ssrl serve did not answer /health within 60 s");
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    server.destroy();
    if (!server.waitFor(20, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  @Benchmark
  public int request() throws Exception {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("server answered " + r.statusCode());
    }
    return r.body().length();
  }

  /** About 1 KB per response, like the reference measurement's mean of 1,011 characters. */
  static String response(SplittableRandom rnd, String answer) {
    StringBuilder think = new StringBuilder();
    while (think.length() < 960) {
      think.append("the patch at the top left continues the roof line ");
    }
    String boxed = rnd.nextInt(4) == 0 ? "B" : answer;
    return "<think>" + think + "</think> So the answer is \\\\boxed{" + boxed + "}";
  }

  static String openRlhfBody(int n) {
    SplittableRandom rnd = new SplittableRandom(1);
    StringBuilder q = new StringBuilder("{\"query\":[");
    StringBuilder p = new StringBuilder("],\"prompts\":[");
    StringBuilder l = new StringBuilder("],\"labels\":[");
    for (int i = 0; i < n; i++) {
      String sep = i == 0 ? "" : ",";
      q.append(sep).append("\"<image> Which patch? ").append(response(rnd, "A")).append('"');
      p.append(sep).append("\"<image> Which patch? \"");
      l.append(sep).append("\"A\"");
    }
    return q.append(p).append(l).append("]}").toString();
  }

  static String nativeBody(int n) {
    SplittableRandom rnd = new SplittableRandom(1);
    StringBuilder b = new StringBuilder("{\"items\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"response\":\"")
          .append(response(rnd, "A"))
          .append("\",\"answer\":\"A\",\"task\":\"crop\",\"group\":\"g")
          .append(i / 8)
          .append("\"}");
    }
    return b.append("]}").toString();
  }
}
