package dev.ssrl.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A line of {@code rejects.jsonl}: {@code {"scene","task","variant","reason"[,"cause"][,"source"]}}
 * (docs/dataset-format.md).
 *
 * @param scene the scene id
 * @param task the task id
 * @param variant the variant index
 * @param reason why, for a person; a load failure may name the file
 * @param cause the manifest's key for this rejection when it differs from {@code reason} (a load
 *     reason without the file name, so the manifest does not grow with the number of broken files);
 *     null otherwise. A cause equal to the reason is dropped.
 * @param source the scene's file when it could not be loaded; null for every other rejection
 */
public record RejectLine(
    String scene, String task, int variant, String reason, String cause, String source) {

  public RejectLine {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(reason, "reason");
    if (reason.equals(cause)) {
      cause = null;
    }
  }

  /** A rejection by a task (no cause, no source). */
  public static RejectLine ofTask(String scene, WorkItem item, String reason) {
    return new RejectLine(scene, item.task(), item.variant(), reason, null, null);
  }

  /** What the manifest's {@code rejects} counts this line under: the cause, else the reason. */
  public String countKey() {
    return cause != null ? cause : reason;
  }

  /** The compact JSON line (without the newline). */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scene", scene);
    m.put("task", task);
    m.put("variant", variant);
    m.put("reason", reason);
    if (cause != null) {
      m.put("cause", cause);
    }
    if (source != null) {
      m.put("source", source);
    }
    return DatasetJson.write(m);
  }

  /**
   * Reads a line written by {@link #toJson}.
   *
   * @param where names the line in errors, e.g. {@code "OUT/rejects.jsonl line 4"}
   * @throws IllegalArgumentException naming {@code where} and the field if the line is not JSON, a
   *     required key is missing or a value has the wrong type
   */
  public static RejectLine parse(String line, String where) {
    JsonNode n = DatasetJson.read(line, where);
    if (!n.isObject()) {
      throw new IllegalArgumentException(where + ": a reject line must be a JSON object");
    }
    JsonNode variant = n.get("variant");
    if (variant == null || !variant.canConvertToInt() || !variant.isIntegralNumber()) {
      throw new IllegalArgumentException(where + ": 'variant' must be an integer");
    }
    return new RejectLine(
        text(n, "scene", where, true),
        text(n, "task", where, true),
        variant.intValue(),
        text(n, "reason", where, true),
        text(n, "cause", where, false),
        text(n, "source", where, false));
  }

  private static String text(JsonNode n, String key, String where, boolean required) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + ": missing '" + key + "'");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a string");
    }
    return v.asText();
  }
}
