package dev.ssrl.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Reward;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssrl score}: scores a JSONL file of responses. A malformed line stops the run with its
 * line number (exit 1): silently skipping rollouts would shift every later advantage.
 *
 * <p>The file is streamed: the input is read in byte chunks of whole lines, worker threads parse,
 * score and serialise the lines of a chunk, and this thread writes the lines in input order, adding
 * each group's advantages once the group is complete. Memory is bounded by the chunks in flight and
 * the largest group, not by the file. A group is taken to be complete when a line of another group
 * follows it (rollout files keep a group's lines together); a group that comes back later in the
 * file is corrected in a second pass over the output, so the advantages are always those over all
 * lines of the group. The output is written to a temporary file and moved into place (or copied to
 * standard output) only when the whole input was good: a malformed line leaves no output, as
 * before.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores responses. Input JSONL lines: {\"id\", \"group\", \"response\", \"answer\","
          + " \"task\"?}; output JSONL in the same order: {\"id\", \"group\", \"task\","
          + " \"overall\", \"format\", \"accuracy\", \"details\", \"advantage\"}.",
      "Advantages are group-relative over all lines of the file with the same group (a line"
          + " without a group is a group of its own, advantage 0). A per-task summary goes to"
          + " standard error. A malformed line is an error naming its line number (exit 1);"
          + " then nothing is written.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl score --in rollouts.jsonl --out scored.jsonl",
      "  cat rollouts.jsonl | ssrl score --in - --out - > scored.jsonl"
    })
final class ScoreCommand implements Callable<Integer> {
  /** Input is handed to the workers in chunks of about this many bytes (whole lines). */
  static final int CHUNK_BYTES = 1 << 19;

  private static final byte[] ADVANTAGE = ",\"advantage\":".getBytes(StandardCharsets.US_ASCII);

  private final Main.Context context;

  ScoreCommand(Main.Context context) {
    this.context = context;
  }

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "Input JSONL, or - for standard input.")
  String in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output JSONL, or - for standard output.")
  String out;

  @Option(
      names = "--reward-mode",
      defaultValue = "reference",
      paramLabel = "reference|tolerant",
      description =
          "reference: exactly Spatial-SSRL's reward (a line's task is ignored); tolerant: the"
              + " task's verifier, lenient parsing and partial credit (every line needs a task)"
              + " (default: ${DEFAULT-VALUE}).")
  String rewardMode = "reference";

  /** Worker threads; 0 means one per available processor. Tests use small chunks and 1-3. */
  int threads = 0;

  int chunkBytes = CHUNK_BYTES;

  @Override
  public Integer call() throws IOException {
    Scoring scoring = inMode(context.scoring().get(), RewardMode.fromFlag(rewardMode));
    Path target = out.equals("-") ? null : outputTarget();
    InputStream input = openInput();
    Path tmp =
        target == null
            ? Files.createTempFile("ssrl-score-", ".jsonl")
            : Files.createTempFile(
                target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      Totals totals;
      try (InputStream is = input;
          OutputStream os = Files.newOutputStream(tmp)) {
        totals = stream(is, os, scoring);
      }
      if (!totals.dirty.isEmpty()) {
        regroup(tmp, totals.dirty, scoring);
      }
      if (target == null) {
        Files.copy(tmp, context.out());
        context.out().flush();
      } else {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      summary(totals);
    } finally {
      if (!done || target == null) {
        Files.deleteIfExists(tmp);
      }
    }
    return 0;
  }

  /** Opens {@code --in}, saying exactly what is wrong with an unusable path (exit 2). */
  private InputStream openInput() throws IOException {
    if (in.equals("-")) {
      return context.in();
    }
    Path p = Path.of(in);
    if (Files.isDirectory(p)) {
      throw new UsageError("--in " + in + " is a directory, not a JSONL file");
    }
    try {
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw new UsageError("--in " + in + ": file not found");
    } catch (AccessDeniedException e) {
      throw new UsageError("--in " + in + ": file is not readable (permission denied)");
    }
  }

  /** Where {@code --out} goes: the file itself, or what a symbolic link points to. */
  private Path outputTarget() throws IOException {
    Path p = Path.of(out);
    if (Files.isDirectory(p)) {
      throw new UsageError("--out " + out + " is a directory, not a file");
    }
    if (Files.exists(p) && !Files.isRegularFile(p)) {
      throw new UsageError("--out " + out + " is not a regular file");
    }
    Path parent = p.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      throw new UsageError("--out " + out + ": folder " + parent + " does not exist");
    }
    return Files.isSymbolicLink(p) ? p.toRealPath() : p;
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming pass.

  /** What the ordered pass accumulates: the summary, and groups that came back (see regroup). */
  static final class Totals {
    long count;
    final Map<String, double[]> byTask = new TreeMap<>();
    final Set<String> dirty = new HashSet<>();
  }

  /** One chunk of whole lines. */
  private record Chunk(byte[] bytes, int length) {}

  /** The parsed lines of a chunk: serialised up to the advantage, or the chunk's first error. */
  private static final class Parsed {
    int rows;
    String[] keys = new String[64];
    double[] overall = new double[64];
    double[] format = new double[64];
    double[] accuracy = new double[64];
    String[] tasks = new String[64];
    int[] ends = new int[64];
    byte[] bytes = new byte[1 << 16];
    int length;
    // Lines of the chunk (blank ones included), and its first error: the line number in the
    // message counts from the chunk's start until the ordered pass knows where the chunk begins.
    long lines;
    IOException error;
    long errorLine;

    void add(String key, String task, Reward r, byte[] prefix) {
      if (rows == keys.length) {
        int n = rows * 2;
        keys = Arrays.copyOf(keys, n);
        overall = Arrays.copyOf(overall, n);
        format = Arrays.copyOf(format, n);
        accuracy = Arrays.copyOf(accuracy, n);
        tasks = Arrays.copyOf(tasks, n);
        ends = Arrays.copyOf(ends, n);
      }
      if (length + prefix.length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + prefix.length));
      }
      System.arraycopy(prefix, 0, bytes, length, prefix.length);
      length += prefix.length;
      keys[rows] = key;
      tasks[rows] = task;
      overall[rows] = r.overall();
      format[rows] = r.format();
      accuracy[rows] = r.accuracy();
      ends[rows] = length;
      rows++;
    }
  }

  Totals stream(InputStream is, OutputStream os, Scoring scoring) throws IOException {
    int workers = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    boolean strictUtf8 = !in.equals("-");
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "ssrl-score");
              t.setDaemon(true);
              return t;
            });
    Ordered ordered = new Ordered(os, scoring);
    ArrayDeque<Future<Parsed>> inFlight = new ArrayDeque<>();
    try {
      byte[] buf = new byte[chunkBytes];
      int filled = 0;
      boolean eof = false;
      while (!eof) {
        int n = is.read(buf, filled, buf.length - filled);
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
          if (filled < buf.length) {
            continue;
          }
        }
        int cut = eof ? filled : lastCut(buf, filled);
        if (cut < 0) {
          // One line longer than the buffer: read on until it ends.
          buf = Arrays.copyOf(buf, buf.length * 2);
          continue;
        }
        if (cut > 0) {
          byte[] chunk = Arrays.copyOf(buf, cut);
          inFlight.add(
              pool.submit(() -> parse(new Chunk(chunk, chunk.length), scoring, strictUtf8)));
        }
        System.arraycopy(buf, cut, buf, 0, filled - cut);
        filled -= cut;
        if (buf.length > chunkBytes && filled < chunkBytes) {
          buf = Arrays.copyOf(buf, Math.max(chunkBytes, filled));
        }
        while (!inFlight.isEmpty() && (inFlight.size() > 2 * workers || inFlight.peek().isDone())) {
          ordered.accept(Futures.await(inFlight.poll()));
        }
      }
      while (!inFlight.isEmpty()) {
        ordered.accept(Futures.await(inFlight.poll()));
      }
      ordered.finish();
      return ordered.totals;
    } finally {
      for (Future<Parsed> f : inFlight) {
        f.cancel(true);
      }
      pool.shutdownNow();
    }
  }

  /**
   * The end of the last complete line in {@code b[0, n)}, or -1 if there is none. A line ends at
   * {@code \n}, {@code \r} or {@code \r\n} as for {@link BufferedReader#readLine}; a {@code \r} as
   * the last byte read does not count yet, since a {@code \n} may follow in the next read.
   */
  static int lastCut(byte[] b, int n) {
    for (int i = n - 1; i >= 0; i--) {
      if (b[i] == '\n' || (b[i] == '\r' && i + 1 < n)) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Parses, scores and serialises the lines of one chunk (on a worker thread). */
  private static Parsed parse(Chunk c, Scoring scoring, boolean strictUtf8) {
    Parsed p = new Parsed();
    // The longest string Jackson reads (its default limit): longer ones go the general way. Read
    // here, not in a static field: picocli creates this command for every command line, and
    // --version must not pay for building the JSON mapper.
    ScoreLine reader =
        new ScoreLine(Json.MAPPER.getFactory().streamReadConstraints().getMaxStringLength());
    byte[] b = c.bytes;
    int start = 0;
    long number = 0;
    StringBuilder sb = new StringBuilder(256);
    while (start < c.length) {
      int end = start;
      while (end < c.length && b[end] != '\n' && b[end] != '\r') {
        end++;
      }
      number++;
      try {
        line(b, start, end, number, scoring, strictUtf8, reader, sb, p);
      } catch (IOException e) {
        p.error = e;
        p.errorLine = number;
        return p;
      } catch (RewardMode.MissingTask e) {
        p.error =
            new IOException(
                "line "
                    + number
                    + ": field 'task' is missing (--reward-mode tolerant scores by task)");
        p.errorLine = number;
        return p;
      }
      start = end;
      if (start < c.length) {
        start += b[start] == '\r' && start + 1 < c.length && b[start + 1] == '\n' ? 2 : 1;
      }
    }
    p.lines = number;
    return p;
  }

  /**
   * The scoring of a mode: reference ignores the task (exactly the reward Spatial-SSRL trained
   * with); tolerant passes it to the task's verifier and refuses a line without one.
   */
  static Scoring inMode(Scoring base, RewardMode mode) {
    return new Scoring() {
      @Override
      public Reward score(String taskIdOrNull, String response, String answer) {
        return base.score(mode.verifierTask(taskIdOrNull), response, answer);
      }

      @Override
      public double[] advantages(double[] groupRewards) {
        return base.advantages(groupRewards);
      }
    };
  }

  private static void line(
      byte[] b,
      int start,
      int end,
      long number,
      Scoring scoring,
      boolean strictUtf8,
      ScoreLine reader,
      StringBuilder sb,
      Parsed out)
      throws IOException {
    Row row = bytes(b, start, end, scoring, reader);
    if (row == null) {
      String line = new String(b, start, end - start, StandardCharsets.UTF_8);
      if (strictUtf8 && line.indexOf('\uFFFD') >= 0) {
        try {
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, start, end - start));
        } catch (CharacterCodingException e) {
          throw new IOException("line " + number + ": not valid UTF-8", e);
        }
      }
      if (line.isBlank()) {
        return;
      }
      row = fast(line, scoring);
      if (row == null) {
        row = legacy(line, number, scoring);
      }
    }
    sb.setLength(0);
    sb.append("{\"id\":").append(row.id);
    if (row.group != null) {
      sb.append(",\"group\":").append(row.group);
    }
    if (row.task != null) {
      sb.append(",\"task\":");
      string(sb, row.task);
    }
    Reward r = row.reward;
    sb.append(",\"overall\":");
    number(sb, r.overall());
    sb.append(",\"format\":");
    number(sb, r.format());
    sb.append(",\"accuracy\":");
    number(sb, r.accuracy());
    sb.append(",\"details\":{");
    boolean first = true;
    for (Map.Entry<String, Double> e : r.details().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      if (e.getValue() == null) {
        sb.append("null");
      } else {
        number(sb, e.getValue());
      }
    }
    sb.append('}');
    out.add(row.key, row.task, r, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One scored line: the JSON text of its id and group as {@link Json#MAPPER} writes them, the
   * group's key (null: a group of its own), its task and reward.
   */
  private record Row(String id, String group, String key, String task, Reward reward) {}

  /**
   * The common line read from its bytes by {@link ScoreLine}, or null when it is not of that shape
   * (then {@link #fast} and {@link #legacy} read it from its decoded text).
   */
  private static Row bytes(byte[] b, int start, int end, Scoring scoring, ScoreLine reader) {
    ScoreLine.Fields f = reader.read(b, start, end);
    if (f == null) {
      return null;
    }
    String g = f.group();
    return new Row(
        f.id() == null ? "null" : quoted(f.id()),
        g == null ? null : quoted(g),
        g == null ? null : "s:" + g,
        f.task(),
        scoring.score(f.task(), f.response(), f.answer()));
  }

  /**
   * The common line, read with the streaming parser of {@link Json#MAPPER} (same features: strict
   * duplicates, trailing tokens checked, big decimals), without building a tree of the response.
   * Returns null for anything unusual — a line that is not an object, a field of the wrong type, a
   * syntax error — which {@link #legacy} then reads or rejects with the usual message.
   */
  private static Row fast(String line, Scoring scoring) {
    try (JsonParser p = Json.MAPPER.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = "null";
      String group = null;
      String key = null;
      String response = null;
      String answer = null;
      String task = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "response":
            if (v == JsonToken.VALUE_STRING) {
              response = p.getText();
            } else if (v == JsonToken.VALUE_NULL) {
              response = null;
            } else {
              return null;
            }
            break;
          case "answer":
            if (v != JsonToken.VALUE_STRING) {
              return null;
            }
            answer = p.getText();
            break;
          case "task":
            if (v == JsonToken.VALUE_STRING) {
              task = p.getText();
            } else if (v == JsonToken.VALUE_NULL) {
              task = null;
            } else {
              return null;
            }
            break;
          case "id":
            if (v == JsonToken.VALUE_STRING) {
              id = quoted(p.getText());
            } else if (v == JsonToken.VALUE_NULL) {
              id = "null";
            } else {
              id = Json.write((JsonNode) p.readValueAsTree());
            }
            break;
          case "group":
            if (v == JsonToken.VALUE_NULL) {
              group = null;
              key = null;
            } else if (v == JsonToken.VALUE_STRING) {
              String g = p.getText();
              group = quoted(g);
              key = "s:" + g;
            } else {
              JsonNode g = p.readValueAsTree();
              group = Json.write(g);
              key = g.toString();
            }
            break;
          default:
            // Read as the tree reader would, so its limits and errors apply unchanged.
            p.readValueAsTree();
        }
      }
      if (answer == null || p.nextToken() != null) {
        return null;
      }
      return new Row(id, group, key, task, scoring.score(task, response, answer));
    } catch (IOException e) {
      return null;
    }
  }

  /** The tree reading of a line; throws the error that names the line and the cause. */
  private static Row legacy(String line, long number, Scoring scoring) throws IOException {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IOException(
          "line " + number + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (!n.isObject()) {
      throw new IOException("line " + number + ": expected a JSON object");
    }
    JsonNode response = n.get("response");
    JsonNode answer = n.get("answer");
    if (answer == null || !answer.isTextual()) {
      throw new IOException("line " + number + ": field 'answer' is missing or not a string");
    }
    if (response != null && !response.isTextual() && !response.isNull()) {
      throw new IOException("line " + number + ": field 'response' is not a string");
    }
    JsonNode task = n.get("task");
    if (task != null && !task.isTextual() && !task.isNull()) {
      throw new IOException("line " + number + ": field 'task' is not a string");
    }
    JsonNode group = n.get("group");
    String taskId = task == null || task.isNull() ? null : task.asText();
    Reward reward =
        scoring.score(
            taskId,
            response == null || response.isNull() ? null : response.asText(),
            answer.asText());
    JsonNode id = n.get("id");
    boolean grouped = group != null && !group.isNull();
    return new Row(
        id == null ? "null" : Json.write(id),
        grouped ? Json.write(group) : null,
        grouped ? key(group) : null,
        taskId,
        reward);
  }

  /** The key that makes two group values the same group. */
  static String key(JsonNode g) {
    return g.isTextual() ? "s:" + g.asText() : g.toString();
  }

  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    string(sb, s);
    return sb.toString();
  }

  /** Appends a JSON string exactly as {@link Json#MAPPER} writes it. */
  private static void string(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        sb.append(Json.write(s));
        return;
      }
    }
    sb.append('"').append(s).append('"');
  }

  /** Appends a double exactly as {@link Json#MAPPER} writes it. */
  private static void number(StringBuilder sb, double v) {
    if (Double.isFinite(v)) {
      sb.append(v);
    } else {
      sb.append(Json.write(v));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ordered pass: groups, advantages, output, summary (this thread, in input order).

  private final class Ordered {
    private final OutputStream os;
    private final Scoring scoring;
    final Totals totals = new Totals();
    private final Set<String> closed = new HashSet<>();
    private final byte[] out = new byte[1 << 16];
    private int used;
    // The current group: rows of the chunks it spans, all waiting for its advantages.
    private String current;
    private final List<Parsed> chunks = new ArrayList<>();
    private final List<int[]> ranges = new ArrayList<>();
    private int members;
    private long linesBefore;

    Ordered(OutputStream os, Scoring scoring) {
      this.os = os;
      this.scoring = scoring;
    }

    void accept(Parsed p) throws IOException {
      for (int i = 0; i < p.rows; i++) {
        String key = p.keys[i];
        if (members > 0 && (key == null || !key.equals(current))) {
          close();
        }
        if (members == 0 && key != null) {
          current = key;
          if (!closed.add(key)) {
            totals.dirty.add(outputKey(p, i));
          }
        }
        if (chunks.isEmpty() || chunks.get(chunks.size() - 1) != p) {
          chunks.add(p);
          ranges.add(new int[] {i, i});
        }
        ranges.get(ranges.size() - 1)[1] = i + 1;
        members++;
        totals.count++;
        double[] acc =
            totals.byTask.computeIfAbsent(
                p.tasks[i] == null ? "(no task)" : p.tasks[i], k -> new double[4]);
        acc[0]++;
        acc[1] += p.overall[i];
        acc[2] += p.format[i];
        acc[3] += p.accuracy[i];
        if (key == null) {
          close();
        }
      }
      if (p.error != null) {
        // "line N: ..." with N counted in the chunk: renumber from the start of the file.
        String local = "line " + p.errorLine;
        String message = p.error.getMessage();
        if (!message.startsWith(local)) {
          throw p.error;
        }
        throw new IOException(
            "line " + (linesBefore + p.errorLine) + message.substring(local.length()),
            p.error.getCause());
      }
      linesBefore += p.lines;
    }

    /** Writes the current group with its advantages. */
    private void close() throws IOException {
      double[] rewards = new double[members];
      int k = 0;
      for (int c = 0; c < chunks.size(); c++) {
        Parsed p = chunks.get(c);
        for (int i = ranges.get(c)[0]; i < ranges.get(c)[1]; i++) {
          rewards[k++] = p.overall[i];
        }
      }
      double[] a = scoring.advantages(rewards);
      k = 0;
      for (int c = 0; c < chunks.size(); c++) {
        Parsed p = chunks.get(c);
        for (int i = ranges.get(c)[0]; i < ranges.get(c)[1]; i++) {
          int from = i == 0 ? 0 : p.ends[i - 1];
          write(p.bytes, from, p.ends[i] - from);
          write(ADVANTAGE, 0, ADVANTAGE.length);
          String v = advantageText(a[k++]);
          for (int j = 0; j < v.length(); j++) {
            put((byte) v.charAt(j));
          }
          put((byte) '}');
          put((byte) '\n');
        }
      }
      chunks.clear();
      ranges.clear();
      members = 0;
      current = null;
    }

    void finish() throws IOException {
      if (members > 0) {
        close();
      }
      os.write(out, 0, used);
      used = 0;
    }

    private void put(byte b) throws IOException {
      if (used == out.length) {
        os.write(out, 0, used);
        used = 0;
      }
      out[used++] = b;
    }

    private void write(byte[] b, int off, int len) throws IOException {
      if (len > out.length - used) {
        os.write(out, 0, used);
        used = 0;
        if (len > out.length) {
          os.write(b, off, len);
          return;
        }
      }
      System.arraycopy(b, off, out, used, len);
      used += len;
    }
  }

  private static String advantageText(double v) {
    return Double.isFinite(v) ? Double.toString(v) : Json.write(v);
  }

  /** The key of row i's group as {@link #regroup} will read it back from the output. */
  private static String outputKey(Parsed p, int i) {
    int from = i == 0 ? 0 : p.ends[i - 1];
    try {
      JsonNode n =
          Json.MAPPER.readTree(
              new String(p.bytes, from, p.ends[i] - from, StandardCharsets.UTF_8) + "}");
      return key(n.get("group"));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites the advantages of the groups whose lines are not all together: the streaming pass gave
   * each run of such a group its own advantages; this pass reads the output back, collects each
   * such group's rewards in file order and writes the advantages over the whole group.
   */
  private static void regroup(Path file, Set<String> dirty, Scoring scoring) throws IOException {
    Map<String, List<Double>> rewards = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode n = Json.MAPPER.readTree(line);
        JsonNode g = n.get("group");
        if (g != null && dirty.contains(key(g))) {
          rewards.computeIfAbsent(key(g), k -> new ArrayList<>()).add(n.get("overall").asDouble());
        }
      }
    }
    Map<String, double[]> advantages = new HashMap<>();
    Map<String, int[]> next = new HashMap<>();
    for (Map.Entry<String, List<Double>> e : rewards.entrySet()) {
      double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      advantages.put(e.getKey(), scoring.advantages(v));
      next.put(e.getKey(), new int[1]);
    }
    Path fixed = Files.createTempFile(file.toAbsolutePath().getParent(), ".ssrl-score-", ".tmp");
    try {
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
          BufferedWriter w = Files.newBufferedWriter(fixed, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          JsonNode g = Json.MAPPER.readTree(line).get("group");
          String k = g == null ? null : key(g);
          if (k != null && advantages.containsKey(k)) {
            // The advantage is the last field: replace what follows its name.
            int cut = line.lastIndexOf(",\"advantage\":");
            line =
                line.substring(0, cut)
                    + ",\"advantage\":"
                    + advantageText(advantages.get(k)[next.get(k)[0]++])
                    + "}";
          }
          w.write(line);
          w.write('\n');
        }
      }
      Files.move(fixed, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(fixed);
    }
  }

  private void summary(Totals totals) {
    context.err().println("ssrl: scored " + totals.count + " responses");
    for (Map.Entry<String, double[]> e : totals.byTask.entrySet()) {
      double[] a = e.getValue();
      context
          .err()
          .println(
              String.format(
                  Locale.ROOT,
                  "  %-12s count %6d  overall %.4f  format %.4f  accuracy %.4f",
                  e.getKey(),
                  (long) a[0],
                  a[1] / a[0],
                  a[2] / a[0],
                  a[3] / a[0]));
    }
  }
}
