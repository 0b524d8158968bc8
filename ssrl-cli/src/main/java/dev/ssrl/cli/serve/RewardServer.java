package dev.ssrl.cli.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.PartialCreditOption;
import dev.ssrl.cli.common.RewardMode;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.common.UsageError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP reward server behind {@code ssrl serve}, on Jetty 12 ({@link HttpTransport}).
 *
 * <p>Endpoints: {@code POST /get_reward} (OpenRLHF's remote reward protocol), {@code POST
 * /v1/score} (native, with group advantages) and {@code GET /health} (and {@code HEAD}). The
 * transport reads requests with deadlines, a connection cap and a body budget; a complete request
 * is parsed and scored on {@code threads} workers with a queue of {@code queue} requests, and a
 * request arriving when both are full is answered 503 at once instead of piling up. Bodies above
 * {@code maxBodyBytes} and requests with more than {@code maxItems} items get 413; a body that is
 * not UTF-8 gets 400 naming the byte offset; a Content-Type other than JSON gets 415; malformed
 * JSON or a missing field gets 400 with a JSON error naming it.
 */
public final class RewardServer {
  /** What a 415 names as accepted. */
  public static final String EXPECTED_TYPE = "application/json (UTF-8)";

  private final Scoring scoring;
  private final int maxItems;
  private volatile RewardMode defaultMode = RewardMode.REFERENCE;
  private final HttpTransport http;
  private final ThreadPoolExecutor workers;

  public RewardServer(
      Scoring scoring,
      String host,
      int port,
      int threads,
      int queue,
      int maxBodyBytes,
      int maxItems)
      throws IOException {
    this(
        scoring,
        host,
        port,
        threads,
        queue,
        maxBodyBytes,
        maxItems,
        HttpLimits.defaults(maxBodyBytes));
  }

  public RewardServer(
      Scoring scoring,
      String host,
      int port,
      int threads,
      int queue,
      int maxBodyBytes,
      int maxItems,
      HttpLimits limits)
      throws IOException {
    if (threads < 1 || queue < 0 || maxBodyBytes < 1 || maxItems < 1) {
      throw new UsageError(
          "--threads, --max-body-bytes and --max-items must be >= 1 and --queue >= 0");
    }
    this.scoring = scoring;
    this.maxItems = maxItems;
    BlockingQueue<Runnable> waiting =
        queue == 0
            ? new SynchronousQueue<>()
            : new java.util.concurrent.ArrayBlockingQueue<>(queue);
    this.workers =
        new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, waiting, named("ssrl-score"));
    try {
      this.http =
          new HttpTransport(
              host,
              port,
              limits,
              maxBodyBytes,
              new HttpTransport.Application() {
                @Override
                public HttpTransport.Route route(String method, String path, String contentType) {
                  return RewardServer.this.route(method, path, contentType);
                }

                @Override
                public HttpTransport.Response error(
                    int status, String message, Map<String, String> headers) {
                  return RewardServer.error(status, message, headers);
                }
              },
              workers);
    } catch (IOException | RuntimeException e) {
      workers.shutdownNow();
      throw e;
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The reward mode of a request that names none ({@code ssrl serve --reward-mode}); {@link
   * RewardMode#REFERENCE} unless set. Set before {@link #start()}.
   */
  RewardServer defaultMode(RewardMode mode) {
    this.defaultMode = java.util.Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** The request's {@code mode}, or the server's default. */
  private RewardMode mode(JsonNode body) throws HttpError {
    JsonNode m = body.get("mode");
    if (m == null || m.isNull()) {
      return defaultMode;
    }
    if (!m.isTextual()) {
      throw new HttpError(400, "field 'mode' must be a string: reference or tolerant");
    }
    try {
      return RewardMode.parse(m.asText());
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "field 'mode': " + e.getMessage());
    }
  }

  /**
   * The scoring of a request: the server's, with the request's {@code partial_credit} ({@code
   * TASK=MODE,...} as {@code --partial-credit} takes it) chosen on top in tolerant mode.
   */
  private Scoring scoring(JsonNode body, RewardMode mode) throws HttpError {
    JsonNode p = body.get("partial_credit");
    if (p == null || p.isNull()) {
      return scoring;
    }
    if (!p.isTextual()) {
      throw new HttpError(400, "field 'partial_credit' must be a string: TASK=MODE[,TASK=MODE...]");
    }
    if (mode != RewardMode.TOLERANT) {
      throw new HttpError(400, "field 'partial_credit' applies to mode tolerant");
    }
    try {
      return scoring.withPartialCredit(PartialCreditOption.parse(p.asText()));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "field 'partial_credit': " + e.getMessage());
    }
  }

  /** One item's reward; a grid or ground truth its verifier cannot read is a 400 naming it. */
  private static Reward scored(
      Scoring s, String task, String response, String answer, String grid, String item)
      throws HttpError {
    try {
      return s.score(task, response, answer, grid);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, item + ": " + e.getMessage());
    }
  }

  /**
   * Called once, with a reason, if the server can no longer accept connections (its listening
   * socket is gone); {@code ssrl serve} then exits non-zero instead of living on deaf.
   */
  public RewardServer onFailure(java.util.function.Consumer<String> listener) {
    http.onFailure(listener);
    return this;
  }

  /** The transport (for tests). */
  public HttpTransport transport() {
    return http;
  }

  /** Starts serving; returns the bound port (useful with port 0). */
  public int start() {
    return http.start();
  }

  /** Stops accepting, lets running requests finish for up to {@code graceSeconds}, then stops. */
  public void stop(int graceSeconds) {
    http.stop(graceSeconds);
    workers.shutdown();
    try {
      workers.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
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

  /** Decides from the request head alone; only a scoring request reads its body. */
  private HttpTransport.Route route(String method, String path, String contentType) {
    if (path.equals("/health")) {
      // HEAD is GET without the content (RFC 9110 9.3.2); Http1Connection leaves the content out.
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return HttpTransport.Route.answer(
            error(405, "use GET, not " + method, Map.of("Allow", "GET, HEAD")));
      }
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("status", "ok");
      n.put("version", CliContext.version());
      return HttpTransport.Route.answer(json(200, n, Map.of()));
    }
    boolean openrlhf = path.equals("/get_reward");
    if (!openrlhf && !path.equals("/v1/score")) {
      return HttpTransport.Route.answer(
          error(
              404,
              "no endpoint " + path + "; try POST /get_reward, POST" + " /v1/score or GET /health",
              Map.of()));
    }
    if (!method.equals("POST")) {
      return HttpTransport.Route.answer(
          error(405, "use POST, not " + method, Map.of("Allow", "POST")));
    }
    String problem = contentTypeProblem(contentType);
    if (problem != null) {
      return HttpTransport.Route.answer(error(415, problem, Map.of()));
    }
    return HttpTransport.Route.body((bytes, len) -> handle(openrlhf, bytes, len));
  }

  /**
   * {@code null} when a POST body of this Content-Type is read as JSON, else the 415 message. JSON
   * is {@code application/json} or a {@code +json} type, with no charset or UTF-8. A missing (or
   * empty) Content-Type is read as JSON: Java's HttpClient and Python's {@code
   * requests.post(data=...)} send none, and the body is checked as strict UTF-8 JSON anyway.
   */
  static String contentTypeProblem(String header) {
    if (header == null
        || header.isBlank()
        || header.equals("application/json")
        || header.equalsIgnoreCase("application/json; charset=utf-8")) {
      // The two every trainer sends, without the split below.
      return null;
    }
    String[] parts = header.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    boolean json =
        type.equals("application/json")
            || (type.startsWith("application/") && type.endsWith("+json"));
    if (!json) {
      return "Content-Type '" + shorten(header) + "' is not accepted; send " + EXPECTED_TYPE;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String cs = p.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!cs.equals("utf-8") && !cs.equals("utf8")) {
          return "Content-Type charset '"
              + shorten(cs)
              + "' is not accepted; JSON bodies are UTF-8: send "
              + EXPECTED_TYPE;
        }
      }
    }
    return null;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  /** A scoring request on a worker thread: strict UTF-8, JSON, score, the JSON answer. */
  private HttpTransport.Response handle(boolean openrlhf, byte[] bytes, int len) {
    try {
      JsonNode body = readJson(bytes, len);
      return json(200, openrlhf ? getReward(body) : score(body), Map.of());
    } catch (HttpError e) {
      return error(e.status, e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      return error(500, "scoring failed: " + e, Map.of());
    }
  }

  private static JsonNode readJson(byte[] bytes, int len) throws HttpError {
    String bad = Utf8Check.problem(bytes, len);
    if (bad != null) {
      throw new HttpError(400, bad);
    }
    try {
      JsonNode n = Json.MAPPER.readTree(bytes, 0, len);
      if (n == null || !n.isObject()) {
        throw new HttpError(400, "the body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new HttpError(400, "malformed JSON: " + e.getMessage());
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
   * OpenRLHF: {@code query[i]} is prompt + response; {@link QueryResponse} finds the response
   * (after {@code prompts[i]} with image pad runs collapsed, else after the last assistant turn,
   * else the whole query). In tolerant mode {@code tasks[i]} names each item's task.
   */
  ObjectNode getReward(JsonNode body) throws HttpError {
    ArrayNode query = array(body, "query", true);
    ArrayNode labels = array(body, "labels", true);
    ArrayNode prompts = array(body, "prompts", false);
    ArrayNode tasks = array(body, "tasks", false);
    ArrayNode grids = array(body, "grids", false);
    RewardMode mode = mode(body);
    Scoring s = scoring(body, mode);
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
    if (grids != null && grids.size() != n) {
      throw new HttpError(400, "field 'grids' has " + grids.size() + " items but 'query' has " + n);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("mode", mode.id());
    ArrayNode rewards = out.putArray("rewards");
    ArrayNode scores = out.putArray("scores");
    ObjectNode logs = out.putObject("extra_logs");
    ArrayNode format = logs.putArray("format");
    ArrayNode accuracy = logs.putArray("accuracy");
    for (int i = 0; i < n; i++) {
      String q = text(query.get(i), "query[" + i + "]", false);
      String label = text(labels.get(i), "labels[" + i + "]", false);
      String prompt = prompts == null ? null : text(prompts.get(i), "prompts[" + i + "]", true);
      String task = task(mode, tasks == null ? null : tasks.get(i), "tasks[" + i + "]");
      String grid = grids == null ? null : text(grids.get(i), "grids[" + i + "]", true);
      String response = QueryResponse.response(q, prompt);
      Reward r = scored(s, task, response, label, grid, "query[" + i + "]");
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
    RewardMode mode = mode(body);
    Scoring s = scoring(body, mode);
    List<Reward> rewards = new ArrayList<>();
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw new HttpError(400, "items[" + i + "] must be an object");
      }
      String response = text(item.get("response"), "items[" + i + "].response", true);
      String answer = text(item.get("answer"), "items[" + i + "].answer", false);
      String task = task(mode, item.get("task"), "items[" + i + "].task");
      JsonNode group = item.get("group");
      String key =
          group == null || group.isNull()
              ? "\u0000item:" + i
              : group.isTextual() ? "s:" + group.asText() : group.toString();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      String grid = text(item.get("grid"), "items[" + i + "].grid", true);
      rewards.add(scored(s, task, response, answer, grid, "items[" + i + "]"));
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
    out.put("mode", mode.id());
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

  /**
   * The task the verifier gets for an item's {@code task} field ({@link RewardMode#verifierTask}).
   */
  private static String task(RewardMode mode, JsonNode n, String name) throws HttpError {
    try {
      return mode.verifierTask(text(n, name, true));
    } catch (RewardMode.MissingTask e) {
      throw new HttpError(
          400,
          "field '"
              + name
              + "' is missing: mode "
              + mode.id()
              + " parses by task (send the sample's task, or mode reference)");
    }
  }

  static HttpTransport.Response json(int status, JsonNode body, Map<String, String> headers) {
    try {
      return new HttpTransport.Response(status, Json.MAPPER.writeValueAsBytes(body), headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON answer", e);
    }
  }

  static HttpTransport.Response error(int status, String message, Map<String, String> headers) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("error", message);
    return json(status, n, headers);
  }

  /** Body bytes the transport holds buffered now (for tests). */
  public long bufferedBodyBytes() {
    return http.bufferedBytes();
  }
}
