package dev.ssrl.cli.common;

import java.util.Locale;

/**
 * How {@code ssrl serve} scores: the choice every trainer snippet makes explicitly (issue 14).
 *
 * <ul>
 *   <li>{@link #REFERENCE}: exactly the reward Spatial-SSRL trained with (SPEC §5.1): the last
 *       {@code \boxed{}}'s content must equal the answer character for character; a task, if sent,
 *       is ignored. {@code \boxed{b}}, {@code \boxed{(B)}} and {@code \boxed{1 - 2 - 3}} score no
 *       accuracy.
 *   <li>{@link #TOLERANT}: the task's own verifier (SPEC §5.2): option letters in any common
 *       spelling, permutations with partial credit. Every item must name its task.
 * </ul>
 */
public enum RewardMode {
  REFERENCE,
  TOLERANT;

  /** The lower-case name used on the wire and on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** An item without the task that {@link #TOLERANT} needs; its caller names the item. */
  public static final class MissingTask extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingTask() {
      super(null, null, false, false);
    }
  }

  /**
   * The task to give the verifier for an item sent with {@code itemTask}: none in reference mode
   * (exactly Spatial-SSRL's reward whatever the task), the item's own in tolerant mode.
   *
   * @throws MissingTask in tolerant mode when the item has no task
   */
  public String verifierTask(String itemTask) {
    if (this == REFERENCE) {
      return null;
    }
    if (itemTask == null) {
      throw new MissingTask();
    }
    return itemTask;
  }

  /** The mode a {@code --reward-mode} flag names; an unknown value is a usage error. */
  public static RewardMode fromFlag(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageError("--reward-mode: " + e.getMessage());
    }
  }

  /**
   * The mode named {@code s} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static RewardMode parse(String s) {
    for (RewardMode m : values()) {
      if (m.id().equalsIgnoreCase(s.strip())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown reward mode '" + s + "'; use reference or tolerant");
  }
}
