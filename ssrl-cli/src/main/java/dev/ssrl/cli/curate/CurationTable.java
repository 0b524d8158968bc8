package dev.ssrl.cli.curate;

import dev.ssrl.cli.curate.PassRate.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tallies of a curation: samples per task and difficulty bucket with their rollouts, mean pass
 * rate and verdicts; the manifest's counts, and the table {@code ssrl curate} prints and writes
 * ({@code curation.json}, {@code curation.md}, the chart of {@code curation.html}).
 */
final class CurationTable {
  /** The difficulty label of a task's row over all its buckets, and the task of the total row. */
  static final String ALL = "all";

  /** One cell: the samples of a task in a bucket (or all of them). */
  static final class Cell {
    long samples;
    long scored;
    long rollouts;
    double rateSum;
    final long[] verdicts = new long[Verdict.values().length];

    void add(InputDataset.Sample s, Verdict v) {
      samples++;
      if (s.rollouts > 0) {
        scored++;
        rollouts += s.rollouts;
        rateSum += PassRate.rate(s.rollouts, s.passes);
      }
      verdicts[v.ordinal()]++;
    }

    long count(Verdict v) {
      return verdicts[v.ordinal()];
    }

    long kept() {
      return count(Verdict.INSIDE) + count(Verdict.UNSCORED_KEPT);
    }

    /** The mean of the scored samples' pass rates (each sample weighs the same); null for none. */
    Double meanPassRate() {
      return scored == 0 ? null : rateSum / scored;
    }
  }

  /** Cells by task (config order, then first seen) and bucket ({@link PassRate#BUCKETS} order). */
  private final Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();

  private final Map<String, Cell> byTask = new LinkedHashMap<>();
  private final Cell total = new Cell();

  CurationTable(List<String> tasks) {
    for (String t : tasks) {
      task(t);
    }
  }

  private Map<String, Cell> task(String t) {
    return cells.computeIfAbsent(
        t,
        k -> {
          Map<String, Cell> m = new LinkedHashMap<>();
          PassRate.BUCKETS.forEach(b -> m.put(b, new Cell()));
          byTask.put(k, new Cell());
          return m;
        });
  }

  void add(InputDataset.Sample s, Verdict v) {
    task(s.task).get(s.bucket).add(s, v);
    byTask.get(s.task).add(s, v);
    total.add(s, v);
  }

  Cell total() {
    return total;
  }

  /**
   * The manifest's curation {@code counts}: samples, kept and dropped by reason, overall and per
   * task.
   */
  Map<String, Object> countsMap() {
    Map<String, Object> m = counts(total);
    Map<String, Object> tasks = new LinkedHashMap<>();
    byTask.forEach((t, c) -> tasks.put(t, counts(c)));
    m.put("byTask", tasks);
    return m;
  }

  private static Map<String, Object> counts(Cell c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", c.samples);
    Map<String, Object> kept = new LinkedHashMap<>();
    Map<String, Object> dropped = new LinkedHashMap<>();
    kept.put("total", c.kept());
    dropped.put("total", c.samples - c.kept());
    for (Verdict v : Verdict.values()) {
      (v.kept ? kept : dropped).put(v.key, c.count(v));
    }
    m.put("kept", kept);
    m.put("dropped", dropped);
    return m;
  }

  /** A row of the table: a task and a bucket, or {@value #ALL}. */
  record Row(String task, String difficulty, Cell cell) {}

  /**
   * The rows: per task, its buckets that hold samples, then the task over all buckets; last, all
   * tasks together ({@value #ALL}, {@value #ALL}).
   */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    cells.forEach(
        (t, buckets) -> {
          buckets.forEach(
              (b, c) -> {
                if (c.samples > 0) {
                  rows.add(new Row(t, b, c));
                }
              });
          rows.add(new Row(t, ALL, byTask.get(t)));
        });
    rows.add(new Row(ALL, ALL, total));
    return rows;
  }

  /** The table as JSON rows ({@code curation.json}'s {@code table}). */
  List<Map<String, Object>> jsonRows() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Cell c = r.cell();
      m.put("task", r.task());
      m.put("difficulty", r.difficulty());
      m.put("samples", c.samples);
      m.put("unscored", c.samples - c.scored);
      m.put("rollouts", c.rollouts);
      m.put("meanPassRate", c.meanPassRate());
      m.put("kept", c.kept());
      m.put("atOrBelowMinPass", c.count(Verdict.AT_OR_BELOW_MIN));
      m.put("atOrAboveMaxPass", c.count(Verdict.AT_OR_ABOVE_MAX));
      m.put("droppedUnscored", c.count(Verdict.UNSCORED_DROPPED));
      out.add(m);
    }
    return out;
  }

  private static final String[] HEADER = {
    "task",
    "difficulty",
    "samples",
    "unscored",
    "rollouts",
    "pass rate",
    "kept",
    "<= min",
    ">= max",
    "dropped unscored"
  };

  private List<String[]> cellsText() {
    List<String[]> out = new ArrayList<>();
    for (Row r : rows()) {
      Cell c = r.cell();
      Double rate = c.meanPassRate();
      out.add(
          new String[] {
            r.task(),
            r.difficulty(),
            Long.toString(c.samples),
            Long.toString(c.samples - c.scored),
            Long.toString(c.rollouts),
            rate == null ? "-" : PassRate.format(rate),
            Long.toString(c.kept()),
            Long.toString(c.count(Verdict.AT_OR_BELOW_MIN)),
            Long.toString(c.count(Verdict.AT_OR_ABOVE_MAX)),
            Long.toString(c.count(Verdict.UNSCORED_DROPPED))
          });
    }
    return out;
  }

  /** The table as aligned text (standard output): names left, numbers right. */
  String text() {
    List<String[]> rows = cellsText();
    int[] width = new int[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      width[i] = HEADER[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, HEADER, width);
    for (String[] r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String[] cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String f = i < 2 ? "%-" + width[i] + "s" : "%" + width[i] + "s";
      l.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, f, cells[i]));
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  /** The table in Markdown ({@code curation.md}). */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n|");
    for (int i = 0; i < HEADER.length; i++) {
      sb.append(i < 2 ? "---|" : "---:|");
    }
    sb.append('\n');
    for (String[] r : cellsText()) {
      String[] escaped = new String[r.length];
      for (int i = 0; i < r.length; i++) {
        escaped[i] = r[i].replace("|", "\\|");
      }
      sb.append("| ").append(String.join(" | ", escaped)).append(" |\n");
    }
    return sb.toString();
  }
}
