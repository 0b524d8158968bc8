package dev.ssrl.cli.curate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.Manifest;
import dev.ssrl.tasks.audit.BlindAudit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssrl curate}: keeps the samples of a dataset whose pass rate over scored rollouts lies
 * strictly between two thresholds, by default dropping the samples every rollout got right or every
 * rollout got wrong (a GRPO group whose rewards are all equal has no advantage, so no signal). The
 * result is a dataset in the input's layout, written into a temporary folder beside {@code --out}
 * and moved into place only when complete.
 */
@Command(
    name = "curate",
    mixinStandardHelpOptions = true,
    description = {
      "Filters a dataset by the pass rate of scored rollouts (the output of 'ssrl score', whose"
          + " group is the sample id): keeps the samples whose share of rollouts with accuracy 1"
          + " lies strictly between --min-pass and --max-pass, and writes them in the input's"
          + " layout (JSONL, images, every trainer layout, manifest) with a table of pass rate by"
          + " task and difficulty (standard output, curation.json, curation.md) and a chart"
          + " (curation.html).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl curate --dataset out/ssrl --scored scored.jsonl --out out/curated",
      "  ssrl curate --dataset out/ssrl --scored scored.jsonl --out out/hard --max-pass 0.5",
      "",
      "Exit status: 0 ok, 2 unusable arguments, 1 bad input (the error names file and line)."
    })
public final class CurateCommand implements Callable<Integer> {
  /** The report files written beside the dataset's own. */
  static final String JSON = "curation.json";

  static final String MARKDOWN = "curation.md";
  static final String HTML = "curation.html";

  private final CliContext context;

  public CurateCommand(CliContext context) {
    this.context = context;
  }

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description = "A finished dataset ('ssrl generate' or 'ssrl curate').")
  Path dataset;

  @Option(
      names = "--scored",
      required = true,
      paramLabel = "FILE",
      description = "The output of 'ssrl score' over rollouts of the dataset's samples.")
  Path scored;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The curated dataset's folder: absent or empty (see --overwrite).")
  Path out;

  @Option(
      names = "--min-pass",
      defaultValue = "0",
      paramLabel = "RATE",
      description =
          "Keep a sample only if its pass rate is above this (default: ${DEFAULT-VALUE}).")
  double minPass;

  @Option(
      names = "--max-pass",
      defaultValue = "1",
      paramLabel = "RATE",
      description = "... and below this (default: ${DEFAULT-VALUE}).")
  double maxPass;

  @Option(
      names = "--unscored",
      defaultValue = "drop",
      paramLabel = "drop|keep",
      description = "What becomes of a sample without rollouts (default: ${DEFAULT-VALUE}).")
  String unscored;

  @Option(
      names = "--skip-unknown",
      description =
          "Count and skip scored lines whose group is no sample of the dataset (default: such a"
              + " line is an error).")
  boolean skipUnknown;

  @Option(
      names = "--overwrite",
      description = "Replace --out when it holds a dataset (a folder with manifest.json).")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    PassRate.Thresholds thresholds;
    try {
      thresholds = new PassRate.Thresholds(minPass, maxPass, keepUnscored());
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    Instant started = Instant.now();
    Path in = dataset.toAbsolutePath().normalize();
    Path target = OutputFolder.check(out, in, overwrite);
    InputDataset input = InputDataset.read(in);
    Path scoredFile = scored.toAbsolutePath().normalize();
    ScoredRollouts rollouts = ScoredRollouts.read(scoredFile, input.samples, skipUnknown);
    CurationTable table = new CurationTable(input.tasks);
    for (InputDataset.Sample s : input.samples.values()) {
      PassRate.Verdict v = thresholds.verdict(s.rollouts, s.passes);
      s.kept = v.kept;
      table.add(s, v);
    }
    Map<String, Object> curation = curation(input, scoredFile, rollouts, thresholds, table);
    List<String> shortcuts;
    try (OutputFolder folder = OutputFolder.create(target)) {
      CuratedWriter w = CuratedWriter.write(input, folder.tmp(), target);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("started", started.toString());
      run.put("finished", Instant.now().toString());
      Map<String, Object> m =
          Manifest.of(
              CliContext.version(),
              input.config,
              sources(input.manifest),
              w.counts,
              w.audit,
              w.files,
              null,
              run);
      m.put("curation", curation);
      Files.write(folder.tmp().resolve(DatasetFormat.MANIFEST), Manifest.toBytes(m));
      Map<String, Object> report = new LinkedHashMap<>(curation);
      report.put("table", table.jsonRows());
      Files.write(folder.tmp().resolve(JSON), Manifest.toBytes(report));
      List<String> facts = facts(input, scoredFile, rollouts, thresholds, table);
      Files.writeString(
          folder.tmp().resolve(MARKDOWN), markdown(target, facts, table), StandardCharsets.UTF_8);
      Files.writeString(
          folder.tmp().resolve(HTML),
          CurationPage.html(target.toString(), facts, table, thresholds),
          StandardCharsets.UTF_8);
      folder.commit();
      shortcuts = w.audit.warnings();
    }
    context.out().print(table.text());
    context.out().flush();
    summary(target, table);
    // Keeping some samples and not others can open a shortcut the whole dataset did not have.
    for (String s : shortcuts) {
      context
          .err()
          .println(
              "ssrl: warning: in the curated dataset, blind baseline "
                  + s
                  + " beats chance by "
                  + Math.round(100 * BlindAudit.WARN_MARGIN)
                  + "+ points (see its manifest.json \"audit\", docs/baselines.md)");
    }
    return 0;
  }

  private boolean keepUnscored() {
    return switch (unscored) {
      case "drop" -> false;
      case "keep" -> true;
      default -> throw new UsageError("--unscored must be drop or keep, got '" + unscored + "'");
    };
  }

  private static List<String> sources(JsonNode manifest) {
    List<String> out = new ArrayList<>();
    manifest.path("sources").forEach(s -> out.add(s.asText()));
    return out;
  }

  /** The manifest's {@code curation}: inputs by path and hash, thresholds, counts. */
  private Map<String, Object> curation(
      InputDataset input,
      Path scoredFile,
      ScoredRollouts rollouts,
      PassRate.Thresholds t,
      CurationTable table) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("path", input.root.toString());
    d.put("sha256", input.sha256);
    m.put("dataset", d);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("path", scoredFile.toString());
    s.put("sha256", rollouts.sha256);
    s.put("lines", rollouts.lines);
    s.put("rollouts", rollouts.rollouts);
    s.put("skippedUnknown", rollouts.unknown);
    m.put("scored", s);
    Map<String, Object> th = new LinkedHashMap<>();
    th.put("minPass", t.minPass());
    th.put("maxPass", t.maxPass());
    th.put("unscored", t.keepUnscored() ? "keep" : "drop");
    th.put("skipUnknown", skipUnknown);
    m.put("thresholds", th);
    m.put("counts", table.countsMap());
    m.put("reports", List.of(JSON, MARKDOWN, HTML));
    JsonNode previous = input.manifest.get("curation");
    if (previous != null) {
      // A curated dataset curated again keeps the history of what was done to it.
      m.put("previous", previous);
    }
    return m;
  }

  private List<String> facts(
      InputDataset input,
      Path scoredFile,
      ScoredRollouts rollouts,
      PassRate.Thresholds t,
      CurationTable table) {
    CurationTable.Cell all = table.total();
    return List.of(
        "dataset: " + input.root + " (manifest sha256 " + input.sha256.get("manifest.json") + ")",
        "scored: "
            + scoredFile
            + " (sha256 "
            + rollouts.sha256
            + "): "
            + rollouts.rollouts
            + " rollouts"
            + (rollouts.unknown > 0 ? ", " + rollouts.unknown + " of unknown samples skipped" : ""),
        "kept: pass rate strictly between "
            + t.minPass()
            + " and "
            + t.maxPass()
            + "; samples without rollouts "
            + (t.keepUnscored() ? "kept" : "dropped"),
        "samples: "
            + all.samples
            + ", kept "
            + all.kept()
            + ", dropped "
            + (all.samples - all.kept()));
  }

  private static String markdown(Path target, List<String> facts, CurationTable table) {
    StringBuilder sb = new StringBuilder("# ssrl curate: " + target + "\n\n");
    facts.forEach(f -> sb.append("- ").append(f).append('\n'));
    return sb.append('\n').append(table.markdown()).toString();
  }

  private void summary(Path target, CurationTable table) {
    CurationTable.Cell all = table.total();
    context
        .err()
        .println(
            "ssrl: kept "
                + all.kept()
                + " of "
                + all.samples
                + " samples ("
                + all.count(PassRate.Verdict.AT_OR_BELOW_MIN)
                + " at or below --min-pass, "
                + all.count(PassRate.Verdict.AT_OR_ABOVE_MAX)
                + " at or above --max-pass, "
                + (all.samples - all.scored)
                + " without rollouts"
                + (all.count(PassRate.Verdict.UNSCORED_KEPT) > 0 ? " (kept)" : "")
                + ") in "
                + target);
    if (all.kept() == 0) {
      context.err().println("ssrl: warning: no sample was kept; the curated dataset is empty");
    }
  }
}
