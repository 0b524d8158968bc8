package dev.ssrl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssrl preview}: one self-contained HTML page showing samples of a dataset. */
@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a self-contained HTML page (images inlined) with the first N samples of each task"
          + " of a dataset: images, problem, answer and metadata.",
      ""
    },
    footer = {"", "Example:", "  ssrl preview --dataset out/demo --out preview.html --per-task 3"})
final class PreviewCommand implements Callable<Integer> {
  private final Main.Context context;

  PreviewCommand(Main.Context context) {
    this.context = context;
  }

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description = "A folder written by 'ssrl generate'.")
  Path dataset;

  @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "Output page.")
  Path out;

  @Option(
      names = "--per-task",
      defaultValue = "4",
      paramLabel = "N",
      description = "Samples per task (default: ${DEFAULT-VALUE}).")
  int perTask;

  @Override
  public Integer call() throws IOException {
    if (perTask < 1) {
      throw new UsageError("--per-task must be >= 1, got " + perTask);
    }
    Path train = dataset.resolve(Generator.TRAIN);
    if (!Files.isRegularFile(train)) {
      throw new IOException(train + " does not exist: is " + dataset + " a generated dataset?");
    }
    Map<String, List<JsonNode>> byTask = new LinkedHashMap<>();
    for (Path file : List.of(train, dataset.resolve(Generator.VAL))) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int number = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          number++;
          JsonNode n;
          try {
            n = Json.MAPPER.readTree(line);
          } catch (IOException e) {
            throw new IOException(file + " line " + number + ": not valid JSON", e);
          }
          List<JsonNode> list =
              byTask.computeIfAbsent(n.path("task").asText("?"), k -> new ArrayList<>());
          if (list.size() < perTask) {
            list.add(n);
          }
        }
      }
    }
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>ssrl preview: ")
        .append(escape(dataset.toString()))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:1.5em;background:#fafafa;color:#222}\n")
        .append("section.task{margin-bottom:2em}\n")
        .append("article.sample{background:#fff;border:1px solid #ddd;border-radius:6px;")
        .append("padding:1em;margin:1em 0}\n")
        .append(".images img{max-width:320px;max-height:320px;margin:0 .5em .5em 0;")
        .append("border:1px solid #ccc;vertical-align:top}\n")
        .append("pre{white-space:pre-wrap;background:#f4f4f4;padding:.6em;border-radius:4px}\n")
        .append(".answer{font-weight:bold;font-size:1.2em;color:#0a6}\n")
        .append("</style>\n</head>\n<body>\n<h1>ssrl preview</h1>\n<nav><ul>\n");
    for (Map.Entry<String, List<JsonNode>> e : byTask.entrySet()) {
      html.append("<li><a href=\"#task-")
          .append(escape(e.getKey()))
          .append("\">")
          .append(escape(e.getKey()))
          .append("</a> (")
          .append(e.getValue().size())
          .append(")</li>\n");
    }
    html.append("</ul></nav>\n");
    AuditChart.append(html, dataset.resolve(Generator.MANIFEST));
    for (Map.Entry<String, List<JsonNode>> e : byTask.entrySet()) {
      html.append("<section class=\"task\" id=\"task-")
          .append(escape(e.getKey()))
          .append("\">\n<h2>")
          .append(escape(e.getKey()))
          .append("</h2>\n");
      for (JsonNode s : e.getValue()) {
        sample(html, s);
      }
      html.append("</section>\n");
    }
    html.append("</body>\n</html>\n");
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, html, StandardCharsets.UTF_8);
    context.err().println("ssrl: wrote " + out);
    return 0;
  }

  private void sample(StringBuilder html, JsonNode s) throws IOException {
    html.append("<article class=\"sample\" id=\"")
        .append(escape(s.path("id").asText()))
        .append("\">\n<h3>")
        .append(escape(s.path("id").asText()))
        .append("</h3>\n<div class=\"images\">\n");
    for (JsonNode p : s.path("images")) {
      Path file = dataset.resolve(p.asText());
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new IOException("cannot read image " + file + " of sample " + s.path("id"), e);
      }
      html.append("<img alt=\"")
          .append(escape(p.asText()))
          .append("\" src=\"data:image/jpeg;base64,")
          .append(Base64.getEncoder().encodeToString(bytes))
          .append("\">\n");
    }
    html.append("</div>\n<h4>Problem</h4>\n<pre class=\"problem\">")
        .append(escape(s.path("problem").asText()))
        .append("</pre>\n<h4>Answer</h4>\n<p class=\"answer\">")
        .append(escape(s.path("answer").asText()))
        .append("</p>\n<details><summary>Metadata</summary>\n<pre class=\"metadata\">")
        .append(
            escape(
                Json.MAPPER
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(s.path("metadata"))))
        .append("</pre></details>\n</article>\n");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
