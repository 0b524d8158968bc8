package dev.ssrl.api;

/** What {@link Task#generate} returns: a {@link Sample}, or a named {@link Rejection}. */
public sealed interface Outcome permits Sample, Rejection {
  /** The scene the outcome was generated from. */
  String sceneId();

  /** The task that produced it. */
  String taskId();
}
