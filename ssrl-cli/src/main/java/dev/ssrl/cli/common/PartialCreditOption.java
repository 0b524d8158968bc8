package dev.ssrl.cli.common;

import dev.ssrl.verify.PartialCredit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --partial-credit TASK=MODE[,TASK=MODE...]} of {@code score} and {@code serve}: the partial
 * credit a permutation task's tolerant verifier gives ({@code exact}, {@code fraction}, {@code
 * kendall} or {@code adjacency}; docs/verifiers.md), e.g. {@code shuffle=adjacency,depth=fraction}.
 */
public final class PartialCreditOption {
  private PartialCreditOption() {}

  /**
   * The modes a value names, in the order given.
   *
   * @throws IllegalArgumentException naming the part that is not {@code TASK=MODE}, an unknown mode
   *     or a task named twice
   */
  public static Map<String, PartialCredit> parse(String value) {
    Map<String, PartialCredit> modes = new LinkedHashMap<>();
    for (String part : value.split(",", -1)) {
      int eq = part.indexOf('=');
      String task = eq < 0 ? "" : part.substring(0, eq).strip();
      String mode = eq < 0 ? "" : part.substring(eq + 1).strip();
      if (task.isEmpty() || mode.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + part.strip() + "' is not TASK=MODE (e.g. shuffle=adjacency)");
      }
      if (modes.put(task, mode(mode)) != null) {
        throw new IllegalArgumentException("task '" + task + "' is named twice");
      }
    }
    return Collections.unmodifiableMap(modes);
  }

  /**
   * The modes of a command-line value (none for null), checked against {@code scoring}'s tasks.
   *
   * @throws UsageError naming {@code option} for a bad value or task
   */
  public static Scoring apply(Scoring scoring, String option, String value) {
    if (value == null) {
      return scoring;
    }
    try {
      return scoring.withPartialCredit(parse(value));
    } catch (IllegalArgumentException e) {
      throw new UsageError(option + ": " + e.getMessage());
    }
  }

  private static PartialCredit mode(String s) {
    for (PartialCredit m : PartialCredit.values()) {
      if (m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown partial-credit mode '" + s + "'; use exact, fraction, kendall or adjacency");
  }
}
