package dev.ssrl.cli.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.DatasetFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
public final class PreviewCommand implements Callable<Integer> {
  private final CliContext context;

  public PreviewCommand(CliContext context) {
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

  @Option(
      names = "--max-image-bytes",
      defaultValue = "33554432",
      paramLabel = "N",
      description =
          "Largest image file inlined; larger ones are shown as a placeholder (default:"
              + " ${DEFAULT-VALUE}, 32 MiB).")
  long maxImageBytes;

  private Path datasetReal;
  private int placeholders;
  // The tasks on the class path, for their preview captions (Task#previewCaptions).
  private Map<String, Task> tasks = Map.of();

  @Override
  public Integer call() throws IOException {
    if (perTask < 1) {
      throw new UsageError("--per-task must be >= 1, got " + perTask);
    }
    if (maxImageBytes < 1 || maxImageBytes > Integer.MAX_VALUE - 8) {
      throw new UsageError("--max-image-bytes must be in 1.." + (Integer.MAX_VALUE - 8));
    }
    Path train = dataset.resolve(DatasetFormat.jsonl(DatasetFormat.TRAIN));
    if (!Files.isRegularFile(train)) {
      throw new IOException(train + " does not exist: is " + dataset + " a generated dataset?");
    }
    datasetReal = dataset.toRealPath();
    tasks = Tasks.all();
    Map<String, List<JsonNode>> byTask = new LinkedHashMap<>();
    for (Path file : List.of(train, dataset.resolve(DatasetFormat.jsonl(DatasetFormat.VAL)))) {
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
        .append(
            ".not-shown{display:inline-block;max-width:320px;padding:.6em;margin:0 .5em .5em 0;")
        .append("border:1px dashed #c00;color:#900;vertical-align:top}\n")
        .append(".answer{font-weight:bold;font-size:1.2em;color:#0a6}\n")
        .append("figure{display:inline-block;margin:0;vertical-align:top}\n")
        .append("figcaption{font-size:.9em;color:#555;margin-bottom:.5em}\n")
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
    AuditChart.append(html, dataset.resolve(DatasetFormat.MANIFEST));
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
    context
        .err()
        .println(
            "ssrl: wrote "
                + out
                + (placeholders == 0
                    ? ""
                    : " (" + placeholders + " images not shown: see the warnings above)"));
    return 0;
  }

  private void sample(StringBuilder html, JsonNode s) throws IOException {
    html.append("<article class=\"sample\" id=\"")
        .append(escape(s.path("id").asText()))
        .append("\">\n<h3>")
        .append(escape(s.path("id").asText()))
        .append("</h3>\n<div class=\"images\">\n");
    List<String> captions = captions(s);
    int index = -1;
    for (JsonNode p : s.path("images")) {
      index++;
      String caption = index < captions.size() ? captions.get(index) : null;
      String name = p.asText();
      Image image = confine(name);
      if (image.bytes == null) {
        placeholders++;
        context
            .err()
            .println(
                "ssrl: warning: image "
                    + name
                    + " of sample "
                    + s.path("id").asText()
                    + " not shown: "
                    + image.reason);
        html.append("<div class=\"not-shown\">image <code>")
            .append(escape(name))
            .append("</code> not shown: ")
            .append(escape(image.reason))
            .append("</div>\n");
        continue;
      }
      if (caption != null) {
        html.append("<figure>");
      }
      html.append("<img alt=\"")
          .append(escape(name))
          .append("\" src=\"data:image/jpeg;base64,")
          .append(Base64.getEncoder().encodeToString(image.bytes))
          .append("\">");
      if (caption != null) {
        html.append("<figcaption>").append(escape(caption)).append("</figcaption></figure>");
      }
      html.append('\n');
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

  /**
   * The captions the sample's task gives its images ({@link Task#previewCaptions}); none for a task
   * not on the class path.
   */
  @SuppressWarnings("unchecked")
  private List<String> captions(JsonNode s) {
    Task task = tasks.get(s.path("task").asText());
    if (task == null) {
      return List.of();
    }
    JsonNode meta = s.path("metadata");
    Map<String, Object> m = meta.isObject() ? Json.MAPPER.convertValue(meta, Map.class) : Map.of();
    List<String> captions =
        task.previewCaptions(s.path("answer").asText(), m, s.path("images").size());
    return captions == null ? List.of() : captions;
  }

  /** An image's bytes, or null and why it is not shown. */
  private record Image(byte[] bytes, String reason) {}

  /**
   * Reads an image only when it is a regular file inside the dataset folder and within {@link
   * #maxImageBytes}. The sample's path is resolved with every symbolic link followed and must land
   * inside the dataset's real path; its type is then read without following links, before anything
   * opens it, so a FIFO (which would block), a device such as {@code /dev/zero} (endless) or {@code
   * /proc} entries are never read. The read itself is bounded too, in case the file grows after the
   * check.
   */
  private Image confine(String name) {
    Path real;
    try {
      real = datasetReal.resolve(name).toRealPath();
    } catch (java.nio.file.InvalidPathException e) {
      return new Image(null, "not a valid path (" + e.getReason() + ")");
    } catch (java.nio.file.NoSuchFileException e) {
      return new Image(null, "no such file");
    } catch (IOException | SecurityException e) {
      return new Image(null, "cannot resolve: " + e.getMessage());
    }
    if (!real.startsWith(datasetReal)) {
      return new Image(null, "outside the dataset folder (resolves to " + real + ")");
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return new Image(null, "cannot read its attributes: " + e.getMessage());
    }
    if (!attrs.isRegularFile()) {
      String kind =
          attrs.isDirectory()
              ? "a folder"
              : attrs.isSymbolicLink() ? "a symbolic link" : "a FIFO, socket or device";
      return new Image(null, "not a regular file (" + kind + ")");
    }
    if (attrs.size() > maxImageBytes) {
      return new Image(
          null,
          attrs.size() + " bytes, over the limit of " + maxImageBytes + " (--max-image-bytes)");
    }
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) maxImageBytes + 1);
      if (bytes.length > maxImageBytes) {
        return new Image(null, "grew over the limit of " + maxImageBytes + " bytes while read");
      }
      return new Image(bytes, null);
    } catch (IOException e) {
      return new Image(null, "cannot read: " + e.getMessage());
    }
  }

  public static String escape(String s) {
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
