package dev.ssrl.api;

import java.util.Objects;

/**
 * A scene that cannot yield a valid sample for a task. A normal, counted outcome, not an error.
 *
 * @param sceneId the scene
 * @param taskId the task
 * @param reason a short stable reason, prefixed with the task id, e.g. {@code depth: too few valid
 *     pixels}; datasets count rejections per reason, so keep variable parts out of it
 */
public record Rejection(String sceneId, String taskId, String reason) implements Outcome {
  public Rejection {
    Objects.requireNonNull(sceneId, "sceneId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(reason, "reason");
  }
}
