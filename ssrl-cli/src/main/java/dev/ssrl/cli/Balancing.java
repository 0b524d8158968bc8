package dev.ssrl.cli;

import java.util.Map;
import java.util.TreeMap;

/** {@code --balance}: a shorthand for the generation parameter {@code ssrl.balance=true}. */
final class Balancing {
  private Balancing() {}

  static final String PARAMETER = "ssrl.balance";

  /**
   * The task parameters with {@code ssrl.balance=true} added when {@code balance} is set; an
   * explicit {@code --param ssrl.balance=false} beside {@code --balance} is a contradiction.
   */
  static Map<String, String> parameters(Map<String, String> given, boolean balance) {
    if (!balance) {
      return given;
    }
    String v = given.get(PARAMETER);
    if (v != null && !v.trim().equals("true")) {
      throw new UsageError("--balance contradicts --param " + PARAMETER + "=" + v);
    }
    Map<String, String> m = new TreeMap<>(given);
    m.put(PARAMETER, "true");
    return m;
  }
}
