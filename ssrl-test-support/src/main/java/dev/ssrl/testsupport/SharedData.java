package dev.ssrl.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real data in {@code ../shared} beside the checkout, for every module's tests. A clone without
 * it skips the tests that need it, with the reason; under {@code CI=true} its absence fails them
 * instead, so that CI never passes by skipping.
 *
 * <p>The root is the system property {@code ssrl.shared} (set by the parent pom for surefire), else
 * {@code ../../shared}: from a module folder, that is the folder beside the checkout.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * The path of a file or folder under {@code ../shared}.
   *
   * @param relative a path relative to the shared folder, e.g. {@code data/rgbd}
   * @return the path, which exists
   * @throws org.opentest4j.TestAbortedException when it is absent and {@code CI} is not {@code
   *     true} (the test is reported as skipped, with the path in the reason)
   * @throws org.opentest4j.AssertionFailedError when it is absent and {@code CI=true}
   */
  public static Path require(String relative) {
    Path p = root().resolve(relative).normalize();
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

  /** The shared folder's root as configured; it need not exist. */
  public static Path root() {
    return Path.of(System.getProperty("ssrl.shared", "../../shared"));
  }
}
