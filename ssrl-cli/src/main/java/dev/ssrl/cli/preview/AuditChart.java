package dev.ssrl.cli.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.tasks.audit.BlindAudit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The preview page's chart of the manifest's blind-baseline audit: per task, one bar per baseline
 * (accuracy), a tick at its chance level, red when a shortcut baseline beats chance by the audit's
 * margin. Inline SVG, no external assets.
 */
final class AuditChart {
  private AuditChart() {}

  static final int BAR = 300;
  static final int ROW = 20;
  static final int LABEL = 190;

  /**
   * Appends the chart section for the dataset's {@code manifest.json}; nothing when the manifest is
   * absent or has no audit (a dataset written before the audit existed).
   *
   * @throws IOException if the manifest exists but cannot be read or parsed (naming it)
   */
  static void append(StringBuilder html, Path manifest) throws IOException {
    if (!Files.isRegularFile(manifest)) {
      return;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(manifest.toFile());
    } catch (IOException e) {
      throw new IOException(manifest + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    JsonNode tasks = root.path("audit").path("tasks");
    if (!tasks.isObject() || tasks.isEmpty()) {
      return;
    }
    double margin = root.path("audit").path("margin").asDouble(BlindAudit.WARN_MARGIN);
    html.append("<section class=\"audit\" id=\"audit\">\n<h2>Blind baselines</h2>\n")
        .append("<p>Accuracy of guessing without the evidence each task teaches (bars), against")
        .append(" chance (black tick). Red: a shortcut beating chance by ")
        .append(Math.round(100 * margin))
        .append(" points or more. See docs/baselines.md.</p>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> t = it.next();
      JsonNode baselines = t.getValue().path("baselines");
      int rows = baselines.size();
      html.append("<h3>")
          .append(PreviewCommand.escape(t.getKey()))
          .append(" (")
          .append(t.getValue().path("samples").asLong())
          .append(" samples)</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
          .append(LABEL + BAR + 70)
          .append("\" height=\"")
          .append(rows * ROW + 4)
          .append("\" role=\"img\">\n");
      int row = 0;
      for (Iterator<Map.Entry<String, JsonNode>> bs = baselines.fields(); bs.hasNext(); row++) {
        Map.Entry<String, JsonNode> b = bs.next();
        double acc = clamp(b.getValue().path("accuracy").asDouble());
        double chance = clamp(b.getValue().path("chance").asDouble());
        boolean warn =
            b.getValue().path("shortcut").asBoolean()
                && b.getValue().path("evaluated").asLong() >= BlindAudit.WARN_MIN_SAMPLES
                && acc - chance >= margin - 1e-9;
        int y = row * ROW + 2;
        html.append(
            String.format(
                Locale.ROOT,
                "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
                    + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eee\"/>"
                    + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                    + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\""
                    + " stroke-width=\"2\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%.1f%%</text>\n",
                y + 13,
                PreviewCommand.escape(b.getKey()),
                LABEL,
                y,
                BAR,
                ROW - 4,
                LABEL,
                y,
                acc * BAR,
                ROW - 4,
                warn ? "#c33" : "#4a8",
                LABEL + chance * BAR,
                y - 1,
                LABEL + chance * BAR,
                y + ROW - 3,
                LABEL + BAR + 6,
                y + 13,
                100 * acc));
      }
      html.append("</svg>\n");
    }
    html.append("</section>\n");
  }

  private static double clamp(double v) {
    return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
  }
}
