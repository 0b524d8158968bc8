package dev.ssrl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ssrl.api.Reward;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP reward server behind {@code ssrl serve}, on the JDK's built-in HTTP server.
 *
 * <p>Endpoints: {@code POST /get_reward} (OpenRLHF's remote reward protocol), {@code POST
 * /v1/score} (native, with group advantages) and {@code GET /health}. Requests are read by a small
 * pool of connection threads; scoring runs on {@code threads} workers with a queue of {@code queue}
 * requests, and a request arriving when both are full is answered 503 at once instead of piling up.
 * Bodies above {@code maxBodyBytes} and requests with more than {@code maxItems} items get 413;
 * malformed JSON or a missing field gets 400 with a JSON error naming it.
 */
final class RewardServer {
  /** The JDK server's property for TCP_NODELAY, read once when its configuration class loads. */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on
    // (its default) the body waits for the client's delayed ACK, adding about 40 ms to every
    // request on Linux (measured: p50 48 ms vs 2.8 ms for a one-item score over loopback). A user
    // who sets the property explicitly keeps their choice.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  private final Scoring scoring;
  private final int maxBodyBytes;
  private final int maxItems;
  private final HttpServer server;
  private final ExecutorService connections;
  private final ThreadPoolExecutor workers;

  RewardServer(
      Scoring scoring,
      String host,
      int port,
      int threads,
      int queue,
      int maxBodyBytes,
      int maxItems)
      throws IOException {
    if (threads < 1 || queue < 0 || maxBodyBytes < 1 || maxItems < 1) {
      throw new UsageError(
          "--threads, --max-body-bytes and --max-items must be >= 1 and --queue >= 0");
    }
    this.scoring = scoring;
    this.maxBodyBytes = maxBodyBytes;
    this.maxItems = maxItems;
    BlockingQueue<Runnable> waiting =
        queue == 0
            ? new SynchronousQueue<>()
            : new java.util.concurrent.ArrayBlockingQueue<>(queue);
    this.workers =
        new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, waiting, named("ssrl-score"));
    // More connection threads than scoring slots, so that saturation is seen (and answered 503)
    // rather than hidden in the connection queue.
    this.connections =
        new ThreadPoolExecutor(
            threads + queue + 2,
            threads + queue + 2,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            named("ssrl-http"));
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.setExecutor(connections);
    server.createContext("/", this::handle);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts serving; returns the bound port (useful with port 0). */
  int start() {
    server.start();
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets running requests finish for up to {@code graceSeconds}, then stops. */
  void stop(int graceSeconds) {
    server.stop(graceSeconds);
    workers.shutdown();
    connections.shutdown();
    try {
      workers.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    connections.shutdownNow();
  }

  /** A client error, answered with its status and a JSON {@code error}. */
  static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/health")) {
          requireMethod(method, "GET");
          ObjectNode n = Json.MAPPER.createObjectNode();
          n.put("status", "ok");
          n.put("version", Main.version());
          send(ex, 200, n);
          return;
        }
        boolean openrlhf = path.equals("/get_reward");
        if (!openrlhf && !path.equals("/v1/score")) {
          throw new HttpError(
              404,
              "no endpoint " + path + "; try POST /get_reward, POST" + " /v1/score or GET /health");
        }
        requireMethod(method, "POST");
        JsonNode body = readJson(ex);
        Future<ObjectNode> result;
        try {
          result = workers.submit(() -> openrlhf ? getReward(body) : score(body));
        } catch (RejectedExecutionException e) {
          ex.getResponseHeaders().add("Retry-After", "1");
          throw new HttpError(503, "server busy: all scoring threads and queue slots are taken");
        }
        send(ex, 200, await(result));
      } catch (HttpError e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("error", e.getMessage());
        send(ex, e.status, n);
      }
    }
  }

  private static ObjectNode await(Future<ObjectNode> f) throws HttpError {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "server is shutting down");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpError h) {
        throw h;
      }
      throw new HttpError(500, "scoring failed: " + e.getCause());
    }
  }

  private static void requireMethod(String method, String expected) throws HttpError {
    if (!method.equals(expected)) {
      throw new HttpError(405, "use " + expected + ", not " + method);
    }
  }

  private JsonNode readJson(HttpExchange ex) throws IOException, HttpError {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > maxBodyBytes) {
          throw new HttpError(413, "request body larger than " + maxBodyBytes + " bytes");
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad Content-Length: " + declared);
      }
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (InputStream in = ex.getRequestBody()) {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        buf.write(chunk, 0, n);
        if (buf.size() > maxBodyBytes) {
          throw new HttpError(413, "request body larger than " + maxBodyBytes + " bytes");
        }
      }
    }
    try {
      JsonNode n = Json.MAPPER.readTree(buf.toByteArray());
      if (n == null || !n.isObject()) {
        throw new HttpError(400, "the body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  private ArrayNode array(JsonNode body, String field, boolean required) throws HttpError {
    JsonNode a = body.get(field);
    if (a == null || a.isNull()) {
      if (required) {
        throw new HttpError(400, "field '" + field + "' is missing");
      }
      return null;
    }
    if (!a.isArray()) {
      throw new HttpError(400, "field '" + field + "' must be an array");
    }
    if (a.size() > maxItems) {
      throw new HttpError(
          413, "field '" + field + "' has " + a.size() + " items; the limit is " + maxItems);
    }
    return (ArrayNode) a;
  }

  private static String text(JsonNode n, String name, boolean nullable) throws HttpError {
    if (n == null || n.isNull()) {
      if (nullable) {
        return null;
      }
      throw new HttpError(400, "field '" + name + "' is missing");
    }
    if (!n.isTextual()) {
      throw new HttpError(400, "field '" + name + "' must be a string");
    }
    return n.asText();
  }

  /**
   * OpenRLHF: {@code query[i]} is prompt + response; the response is what follows {@code
   * prompts[i]} when the query starts with it, else the whole query.
   */
  ObjectNode getReward(JsonNode body) throws HttpError {
    ArrayNode query = array(body, "query", true);
    ArrayNode labels = array(body, "labels", true);
    ArrayNode prompts = array(body, "prompts", false);
    ArrayNode tasks = array(body, "tasks", false);
    int n = query.size();
    if (labels.size() != n) {
      throw new HttpError(
          400, "field 'labels' has " + labels.size() + " items but 'query' has " + n);
    }
    if (prompts != null && prompts.size() != n) {
      throw new HttpError(
          400, "field 'prompts' has " + prompts.size() + " items but 'query' has " + n);
    }
    if (tasks != null && tasks.size() != n) {
      throw new HttpError(400, "field 'tasks' has " + tasks.size() + " items but 'query' has " + n);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode rewards = out.putArray("rewards");
    ArrayNode scores = out.putArray("scores");
    ObjectNode logs = out.putObject("extra_logs");
    ArrayNode format = logs.putArray("format");
    ArrayNode accuracy = logs.putArray("accuracy");
    for (int i = 0; i < n; i++) {
      String q = text(query.get(i), "query[" + i + "]", false);
      String label = text(labels.get(i), "labels[" + i + "]", false);
      String prompt = prompts == null ? null : text(prompts.get(i), "prompts[" + i + "]", true);
      String task = tasks == null ? null : text(tasks.get(i), "tasks[" + i + "]", true);
      String response = prompt != null && q.startsWith(prompt) ? q.substring(prompt.length()) : q;
      Reward r = scoring.score(task, response, label);
      rewards.add(r.overall());
      scores.add(r.overall());
      format.add(r.format());
      accuracy.add(r.accuracy());
    }
    return out;
  }

  /** Native: items with optional task and group; advantages within each group of the request. */
  ObjectNode score(JsonNode body) throws HttpError {
    ArrayNode items = array(body, "items", true);
    List<Reward> rewards = new ArrayList<>();
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw new HttpError(400, "items[" + i + "] must be an object");
      }
      String response = text(item.get("response"), "items[" + i + "].response", true);
      String answer = text(item.get("answer"), "items[" + i + "].answer", false);
      String task = text(item.get("task"), "items[" + i + "].task", true);
      JsonNode group = item.get("group");
      String key =
          group == null || group.isNull()
              ? "\u0000item:" + i
              : group.isTextual() ? "s:" + group.asText() : group.toString();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      rewards.add(scoring.score(task, response, answer));
    }
    double[] advantage = new double[rewards.size()];
    for (List<Integer> members : groups.values()) {
      double[] r = new double[members.size()];
      for (int k = 0; k < r.length; k++) {
        r[k] = rewards.get(members.get(k)).overall();
      }
      double[] a = scoring.advantages(r);
      for (int k = 0; k < r.length; k++) {
        advantage[members.get(k)] = a[k];
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode results = out.putArray("results");
    for (int i = 0; i < rewards.size(); i++) {
      Reward r = rewards.get(i);
      ObjectNode o = results.addObject();
      o.put("overall", r.overall());
      o.put("format", r.format());
      o.put("accuracy", r.accuracy());
      o.set("details", Json.MAPPER.valueToTree(r.details()));
      o.put("advantage", advantage[i]);
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
