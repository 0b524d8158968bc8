package dev.ssrl.cli.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Scoring;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ordered pass of {@code ssrl score} (one thread, in input order): takes the scored chunks,
 * closes each group when a line of another group follows, writes its lines with the group's
 * advantages, and keeps the per-task summary. A group that comes back later in the file is marked
 * dirty and corrected by {@link #regroup} over the finished output.
 */
final class GroupedOutput {
  private static final byte[] ADVANTAGE = ",\"advantage\":".getBytes(StandardCharsets.US_ASCII);

  /** What the ordered pass accumulates: the summary, and groups that came back (see regroup). */
  static final class Totals {
    long count;
    final Map<String, double[]> byTask = new TreeMap<>();
    final Set<String> dirty = new HashSet<>();
  }

  private final OutputStream os;
  private final Scoring scoring;
  final Totals totals = new Totals();
  private final Set<String> closed = new HashSet<>();
  private final byte[] out = new byte[1 << 16];
  private int used;
  // The current group: rows of the chunks it spans, all waiting for its advantages.
  private String current;
  private final List<ScoredChunk> chunks = new ArrayList<>();
  private final List<int[]> ranges = new ArrayList<>();
  private int members;
  private long linesBefore;

  GroupedOutput(OutputStream os, Scoring scoring) {
    this.os = os;
    this.scoring = scoring;
  }

  void accept(ScoredChunk p) throws IOException {
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
      ScoredChunk p = chunks.get(c);
      for (int i = ranges.get(c)[0]; i < ranges.get(c)[1]; i++) {
        rewards[k++] = p.overall[i];
      }
    }
    double[] a = scoring.advantages(rewards);
    k = 0;
    for (int c = 0; c < chunks.size(); c++) {
      ScoredChunk p = chunks.get(c);
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

  private static String advantageText(double v) {
    return Double.isFinite(v) ? Double.toString(v) : Json.write(v);
  }

  /** The key of row i's group as {@link #regroup} will read it back from the output. */
  private static String outputKey(ScoredChunk p, int i) {
    int from = i == 0 ? 0 : p.ends[i - 1];
    try {
      JsonNode n =
          Json.MAPPER.readTree(
              new String(p.bytes, from, p.ends[i] - from, StandardCharsets.UTF_8) + "}");
      return ScoredChunk.key(n.get("group"));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites the advantages of the groups whose lines are not all together: the streaming pass gave
   * each run of such a group its own advantages; this pass reads the output back, collects each
   * such group's rewards in file order and writes the advantages over the whole group.
   */
  static void regroup(Path file, Set<String> dirty, Scoring scoring) throws IOException {
    Map<String, List<Double>> rewards = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode n = Json.MAPPER.readTree(line);
        JsonNode g = n.get("group");
        if (g != null && dirty.contains(ScoredChunk.key(g))) {
          rewards
              .computeIfAbsent(ScoredChunk.key(g), k -> new ArrayList<>())
              .add(n.get("overall").asDouble());
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
          String k = g == null ? null : ScoredChunk.key(g);
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
}
