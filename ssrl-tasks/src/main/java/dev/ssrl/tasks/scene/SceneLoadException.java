package dev.ssrl.tasks.scene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A scene file that could not be loaded: missing, unreadable, empty, truncated, corrupt, of an
 * unsupported kind, too large, too small, or not matching its partner file.
 *
 * <p>The message always has the form {@code <path>: <cause>}, so a log line alone tells which file
 * failed and why; the path is shown as {@link FileNames#display} shows it, so that a name the
 * locale cannot spell is still readable (and bytes that are not UTF-8 appear as {@code \xNN}). It
 * is a checked {@link IOException} so that a batch can catch it per scene, count it and go on.
 */
public final class SceneLoadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final String reason;

  /**
   * A failure of {@code path} for {@code reason}.
   *
   * @throws NullPointerException if an argument is null
   */
  public SceneLoadException(Path path, String reason) {
    this(path, reason, null);
  }

  /**
   * A failure of {@code path} for {@code reason}, caused by {@code cause} (may be null).
   *
   * @throws NullPointerException if path or reason is null
   */
  public SceneLoadException(Path path, String reason, Throwable cause) {
    super(
        FileNames.display(Objects.requireNonNull(path, "path"))
            + ": "
            + Objects.requireNonNull(reason, "reason"),
        cause);
    this.path = path;
    this.reason = reason;
  }

  /** The file that failed. */
  public Path path() {
    return path;
  }

  /** Why it failed, without the path. */
  public String reason() {
    return reason;
  }
}
