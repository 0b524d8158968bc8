package dev.ssrl.api;

/**
 * A pretext task: turns a scene into a question whose answer is correct by construction.
 *
 * <p>Implementations are discovered through {@link java.util.ServiceLoader} (see {@link Tasks}):
 * add one class and one line to {@code META-INF/services/dev.ssrl.api.Task}. They must be stateless
 * and thread-safe, and {@link #generate} must be a pure function of its arguments: the same scene,
 * seed and options give an identical sample.
 */
public interface Task {
  /** Stable id, e.g. {@code shuffle}; used in sample ids, seeds and file names. */
  String id();

  /** The shape of the answers this task produces. */
  AnswerFormat answerFormat();

  /** Whether scenes need a depth map; scenes without one are rejected. */
  boolean needsDepth();

  /**
   * Generates one sample.
   *
   * @return a sample, or a {@link Rejection} with a named reason when the scene cannot yield one;
   *     never throws for reasons of the data
   * @throws IllegalArgumentException for invalid options (naming the parameter)
   */
  Outcome generate(Scene scene, long seed, GenerationOptions options);

  /** {@link #generate(Scene, long, GenerationOptions)} with default options. */
  default Outcome generate(Scene scene, long seed) {
    return generate(scene, seed, GenerationOptions.defaults());
  }
}
