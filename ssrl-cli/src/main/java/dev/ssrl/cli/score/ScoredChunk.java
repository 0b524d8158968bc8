package dev.ssrl.cli.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.RewardMode;
import dev.ssrl.cli.common.Scoring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The scored lines of one chunk of {@code ssrl score} input, made on a worker thread: each line
 * read, scored and serialised up to its advantage, which only the ordered pass ({@link
 * GroupedOutput}) can add. A line is read by one of two readers: {@link ScoreLine} straight from
 * its bytes for the common shape, else Jackson's tree reader, which also gives the error that names
 * the line and the cause.
 */
final class ScoredChunk {
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

  /** Parses, scores and serialises the lines of one chunk (on a worker thread). */
  static ScoredChunk of(byte[] b, int size, Scoring scoring, boolean strictUtf8) {
    ScoredChunk p = new ScoredChunk();
    // The longest string Jackson reads (its default limit): longer ones go the general way. Read
    // here, not in a static field: picocli creates this command for every command line, and
    // --version must not pay for building the JSON mapper.
    ScoreLine reader =
        new ScoreLine(Json.MAPPER.getFactory().streamReadConstraints().getMaxStringLength());
    int start = 0;
    long number = 0;
    StringBuilder sb = new StringBuilder(256);
    while (start < size) {
      int end = start;
      while (end < size && b[end] != '\n' && b[end] != '\r') {
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
      } catch (IllegalArgumentException e) {
        // A ground truth the task's verifier cannot read, or a grid that does not fit it.
        p.error = new IOException("line " + number + ": " + e.getMessage(), e);
        p.errorLine = number;
        return p;
      }
      start = end;
      if (start < size) {
        start += b[start] == '\r' && start + 1 < size && b[start + 1] == '\n' ? 2 : 1;
      }
    }
    p.lines = number;
    return p;
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
      ScoredChunk out)
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
      row = tree(line, number, scoring);
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
   * (then {@link #tree} reads it from its decoded text).
   */
  private static Row bytes(byte[] b, int start, int end, Scoring scoring, ScoreLine reader) {
    ScoreLine.Fields f = reader.read(b, start, end);
    if (f == null) {
      return null;
    }
    String g = f.group();
    // An integer id or group is written, and keyed, as Jackson writes an integer node: its digits.
    return new Row(
        f.id() == null ? "null" : f.idNumber() ? f.id() : quoted(f.id()),
        g == null ? null : f.groupNumber() ? g : quoted(g),
        g == null ? null : f.groupNumber() ? g : "s:" + g,
        f.task(),
        scoring.score(f.task(), f.response(), f.answer(), f.grid()));
  }

  /** The tree reading of a line; throws the error that names the line and the cause. */
  private static Row tree(String line, long number, Scoring scoring) throws IOException {
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
    JsonNode grid = n.get("grid");
    if (grid != null && !grid.isTextual() && !grid.isNull()) {
      throw new IOException("line " + number + ": field 'grid' is not a string");
    }
    JsonNode group = n.get("group");
    String taskId = task == null || task.isNull() ? null : task.asText();
    Reward reward =
        scoring.score(
            taskId,
            response == null || response.isNull() ? null : response.asText(),
            answer.asText(),
            grid == null || grid.isNull() ? null : grid.asText());
    JsonNode id = n.get("id");
    boolean grouped = group != null && !group.isNull();
    return new Row(
        id == null ? "null" : Json.write(id),
        grouped ? Json.write(group) : null,
        grouped ? key(group) : null,
        taskId,
        reward);
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

  /** The key that makes two group values the same group. */
  static String key(JsonNode g) {
    return g.isTextual() ? "s:" + g.asText() : g.toString();
  }
}
