package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real data in {@code ../shared} beside the checkout. A clone without it skips the tests that
 * need it, with the reason; under {@code CI=true} its absence fails them instead, so that CI never
 * passes by skipping.
 */
final class SharedData {
  private SharedData() {}

  /** The path of a file under {@code ../shared}, or an aborted (skipped) or failed test. */
  static Path require(String relative) {
    String root = System.getProperty("ssrl.shared", "../../shared");
    Path p = Path.of(root).resolve(relative).normalize();
    if (!Files.exists(p)) {
      String why =
          "shared data "
              + p.toAbsolutePath()
              + " is absent (it lives beside the checkout, not in it)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + "; CI=true requires it");
      }
      Assumptions.abort(why);
    }
    return p;
  }
}
