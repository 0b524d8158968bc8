package dev.ssrl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Reward;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssrl score}: scores a JSONL file of responses. A malformed line stops the run with its
 * line number (exit 1): silently skipping rollouts would shift every later advantage.
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
          + " standard error. A malformed line is an error naming its line number (exit 1).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl score --in rollouts.jsonl --out scored.jsonl",
      "  cat rollouts.jsonl | ssrl score --in - --out - > scored.jsonl"
    })
final class ScoreCommand implements Callable<Integer> {
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

  private record Scored(JsonNode id, JsonNode group, String task, Reward reward) {}

  @Override
  public Integer call() throws IOException {
    Scoring scoring = context.scoring().get();
    List<Scored> rows = new ArrayList<>();
    try (BufferedReader r =
        in.equals("-")
            ? new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(in), StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        rows.add(parse(line, number, scoring));
      }
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode g = rows.get(i).group;
      String key = g == null ? "\u0000line:" + i : g.isTextual() ? "s:" + g.asText() : g.toString();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    double[] advantage = new double[rows.size()];
    for (List<Integer> members : groups.values()) {
      double[] rewards = new double[members.size()];
      for (int k = 0; k < rewards.length; k++) {
        rewards[k] = rows.get(members.get(k)).reward.overall();
      }
      double[] a = scoring.advantages(rewards);
      for (int k = 0; k < rewards.length; k++) {
        advantage[members.get(k)] = a[k];
      }
    }
    OutputStream os = out.equals("-") ? context.out() : Files.newOutputStream(Path.of(out));
    try (Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8))) {
      for (int i = 0; i < rows.size(); i++) {
        Scored s = rows.get(i);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", s.id);
        if (s.group != null) {
          o.put("group", s.group);
        }
        if (s.task != null) {
          o.put("task", s.task);
        }
        o.put("overall", s.reward.overall());
        o.put("format", s.reward.format());
        o.put("accuracy", s.reward.accuracy());
        o.put("details", s.reward.details());
        o.put("advantage", advantage[i]);
        w.write(Json.write(o));
        w.write('\n');
      }
    } finally {
      if (out.equals("-")) {
        context.out().flush();
      }
    }
    summary(rows);
    return 0;
  }

  private static Scored parse(String line, int number, Scoring scoring) throws IOException {
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
    return new Scored(n.get("id"), group == null || group.isNull() ? null : group, taskId, reward);
  }

  private void summary(List<Scored> rows) {
    Map<String, double[]> byTask = new TreeMap<>();
    for (Scored s : rows) {
      double[] acc =
          byTask.computeIfAbsent(s.task == null ? "(no task)" : s.task, k -> new double[4]);
      acc[0]++;
      acc[1] += s.reward.overall();
      acc[2] += s.reward.format();
      acc[3] += s.reward.accuracy();
    }
    context.err().println("ssrl: scored " + rows.size() + " responses");
    for (Map.Entry<String, double[]> e : byTask.entrySet()) {
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
