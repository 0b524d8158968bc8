package dev.ssrl.cli.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.tasks.audit.BlindAudit;
import java.io.PrintStream;
import java.util.Map;

/** Feeds written dataset lines to the {@link BlindAudit} and prints its warnings. */
final class AuditWarnings {
  private AuditWarnings() {}

  /** Adds one parsed {@code train.jsonl}/{@code val.jsonl} line (task, answer, metadata). */
  @SuppressWarnings("unchecked")
  static void add(BlindAudit audit, JsonNode line) {
    JsonNode meta = line.get("metadata");
    Map<String, Object> m =
        meta == null || !meta.isObject() ? Map.of() : Json.MAPPER.convertValue(meta, Map.class);
    audit.add(line.path("task").asText(), line.path("answer").asText(), m);
  }

  /**
   * One warning line per shortcut baseline that beats chance by the audit's margin: such a dataset
   * rewards guessing, which the user should hear about before training on it.
   */
  static void print(PrintStream err, BlindAudit audit) {
    for (String w : audit.warnings()) {
      err.println(
          "ssrl: warning: blind baseline "
              + w
              + " beats chance by "
              + Math.round(100 * BlindAudit.WARN_MARGIN)
              + "+ points (see manifest.json \"audit\", docs/baselines.md; --balance helps)");
    }
  }
}
