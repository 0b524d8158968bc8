package dev.ssrl.cli.curate;

import dev.ssrl.cli.curate.PassRate.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code curation.html}: one self-contained page (inline SVG and CSS, no scripts, nothing fetched)
 * with, per task and difficulty bucket, the mean pass rate as a bar with the thresholds as ticks,
 * and what became of the samples as a stacked bar (dropped at or below {@code --min-pass}, kept,
 * dropped at or above {@code --max-pass}, dropped without rollouts); then the table.
 */
final class CurationPage {
  private CurationPage() {}

  private static final int LABEL = 170;
  private static final int BAR = 260;
  private static final int GAP = 70;
  private static final int ROW = 22;

  private static final String BELOW = "#c33";
  private static final String KEPT = "#4a8";
  private static final String ABOVE = "#48c";
  private static final String UNSCORED = "#aaa";

  /**
   * The page.
   *
   * @param title what the page is of (the output folder)
   * @param facts lines under the title (inputs, thresholds, counts), as plain text
   */
  static String html(String title, List<String> facts, CurationTable table, PassRate.Thresholds t) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>ssrl curate: ")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:1.5em;background:#fafafa;color:#222}\n")
        .append("table{border-collapse:collapse;margin:1em 0}\n")
        .append("td,th{border:1px solid #ccc;padding:.2em .6em}\n")
        .append("td.n{text-align:right}\n")
        .append(".key span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;")
        .append("vertical-align:middle}\n")
        .append("</style>\n</head>\n<body>\n<h1>ssrl curate: ")
        .append(escape(title))
        .append("</h1>\n<ul>\n");
    for (String f : facts) {
      h.append("<li>").append(escape(f)).append("</li>\n");
    }
    h.append("</ul>\n<h2>Pass rate by task and difficulty</h2>\n")
        .append(
            "<p>Left: the mean pass rate of the bucket's scored samples (each sample's share of")
        .append(" rollouts with full accuracy); black ticks at --min-pass and --max-pass. Right:")
        .append(" what became of its samples.</p>\n<p class=\"key\">")
        .append(key(BELOW, "dropped: pass rate ≤ --min-pass"))
        .append(key(KEPT, "kept"))
        .append(key(ABOVE, "dropped: pass rate ≥ --max-pass"))
        .append(key(UNSCORED, "dropped: no rollouts"))
        .append("</p>\n");
    Map<String, List<CurationTable.Row>> byTask = new LinkedHashMap<>();
    for (CurationTable.Row r : table.rows()) {
      byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r);
    }
    byTask.forEach((task, rows) -> chart(h, task, rows, t));
    h.append("<h2>Table</h2>\n<table>\n<tr>");
    for (String c :
        List.of(
            "task",
            "difficulty",
            "samples",
            "unscored",
            "rollouts",
            "mean pass rate",
            "kept",
            "≤ min",
            "≥ max",
            "dropped unscored")) {
      h.append("<th>").append(escape(c)).append("</th>");
    }
    h.append("</tr>\n");
    for (CurationTable.Row r : table.rows()) {
      CurationTable.Cell c = r.cell();
      Double rate = c.meanPassRate();
      h.append("<tr><td>")
          .append(escape(r.task()))
          .append("</td><td>")
          .append(escape(r.difficulty()))
          .append("</td>");
      for (Object v :
          List.of(
              c.samples,
              c.samples - c.scored,
              c.rollouts,
              rate == null ? "-" : PassRate.format(rate),
              c.kept(),
              c.count(Verdict.AT_OR_BELOW_MIN),
              c.count(Verdict.AT_OR_ABOVE_MAX),
              c.count(Verdict.UNSCORED_DROPPED))) {
        h.append("<td class=\"n\">").append(escape(v.toString())).append("</td>");
      }
      h.append("</tr>\n");
    }
    return h.append("</table>\n</body>\n</html>\n").toString();
  }

  private static String key(String color, String text) {
    return "<span style=\"background:" + color + "\"></span>" + escape(text);
  }

  private static void chart(
      StringBuilder h, String task, List<CurationTable.Row> rows, PassRate.Thresholds t) {
    h.append("<h3>")
        .append(escape(task.equals(CurationTable.ALL) ? "all tasks" : task))
        .append("</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(LABEL + 2 * BAR + 2 * GAP)
        .append("\" height=\"")
        .append(rows.size() * ROW + 4)
        .append("\" role=\"img\">\n");
    int y = 2;
    for (CurationTable.Row r : rows) {
      CurationTable.Cell c = r.cell();
      Double rate = c.meanPassRate();
      h.append(text(0, y + 14, r.difficulty() + " (" + c.samples + ")"));
      h.append(rect(LABEL, y, BAR, "#eee"));
      if (rate != null) {
        h.append(rect(LABEL, y, rate * BAR, "#666"));
      }
      for (double tick : new double[] {t.minPass(), t.maxPass()}) {
        if (tick >= 0 && tick <= 1) {
          double x = LABEL + tick * BAR;
          h.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\""
                      + " stroke-width=\"2\"/>",
                  x,
                  y - 1,
                  x,
                  y + ROW - 3));
        }
      }
      h.append(text(LABEL + BAR + 6, y + 14, rate == null ? "-" : PassRate.format(rate)));
      double x = LABEL + BAR + GAP;
      long[] parts = {
        c.count(Verdict.AT_OR_BELOW_MIN),
        c.kept(),
        c.count(Verdict.AT_OR_ABOVE_MAX),
        c.count(Verdict.UNSCORED_DROPPED)
      };
      String[] colors = {BELOW, KEPT, ABOVE, UNSCORED};
      for (int i = 0; i < parts.length; i++) {
        double w = c.samples == 0 ? 0 : (double) BAR * parts[i] / c.samples;
        if (w > 0) {
          h.append(rect(x, y, w, colors[i]));
          x += w;
        }
      }
      h.append(text(LABEL + 2 * BAR + GAP + 6, y + 14, "kept " + c.kept()));
      h.append('\n');
      y += ROW;
    }
    h.append("</svg>\n");
  }

  private static String rect(double x, int y, double w, String fill) {
    return String.format(
        Locale.ROOT,
        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
        x,
        y,
        w,
        ROW - 4,
        fill);
  }

  private static String text(double x, int y, String s) {
    return String.format(
        Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>", x, y, escape(s));
  }

  /** Text for HTML content and attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
