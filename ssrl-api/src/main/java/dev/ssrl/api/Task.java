package dev.ssrl.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pretext task: turns a scene into a question whose answer is correct by construction.
 *
 * <p>Implementations are discovered through {@link java.util.ServiceLoader} (see {@link Tasks}):
 * add one class and one line to {@code META-INF/services/dev.ssrl.api.Task}. They must be stateless
 * and thread-safe, and {@link #generate} must be a pure function of its arguments: the same scene,
 * seed and options give an identical sample.
 *
 * <p>Everything the rest of the system needs to know about a task is asked of the task, never
 * looked up by its id elsewhere: besides the three abstract methods, the default methods below are
 * capabilities a task may override (its verifier, the heap it needs per pixel, its place in the
 * default task list and in presets, captions for the preview). The blind audit's heuristics are one
 * more, offered by implementing {@code dev.ssrl.tasks.audit.Audited} (ssrl-tasks), since they are
 * written against the audit's tallies.
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

  /**
   * The verifier that scores responses to this task when the default verifier of its {@link
   * #answerFormat()} (ssrl-verify's {@code Verifiers.forFormat}) does not fit, e.g. for an answer
   * shape that format does not know. Empty, the default, means that default verifier.
   */
  default Optional<Verifier> verifier() {
    return Optional.empty();
  }

  /**
   * The most bytes per pixel of the scene's RGB image that one {@link #generate} call allocates on
   * top of the loaded scene: its output rasters, the writer's JPEG encoding of them, and any
   * per-pixel scratch (maps, integral images). Front ends size the heap a scene needs with it
   * before loading the scene, so it must be an upper bound. The default, {@value
   * #DEFAULT_HEAP_BYTES_PER_PIXEL}, is the most any built-in task needs.
   */
  default int heapBytesPerPixel() {
    return DEFAULT_HEAP_BYTES_PER_PIXEL;
  }

  /**
   * The value of {@link #heapBytesPerPixel()} for a task that does not say: the depth tasks' 34
   * (normalised-depth keys and map 8, window statistics 20, the marked copy and its encoding 6).
   */
  int DEFAULT_HEAP_BYTES_PER_PIXEL = 34;

  /**
   * Where this task comes in the default task list (generators given no task list run those {@link
   * #inDefaultRun()} in this order; see {@link Tasks#defaultOrder}): smaller first, equal ranks in
   * the order given. The five built-in tasks take 1 to 5, the SPEC's order; the default puts a task
   * after them.
   */
  default int defaultRank() {
    return Integer.MAX_VALUE;
  }

  /**
   * Whether generators given no task list run this task ({@link Tasks#defaultOrder}). True, the
   * default, for the paper's five tasks and for extension tasks; the built-in tasks beyond the
   * paper ({@code depth-points}, {@code rotation}) return false, so that a run without a task list
   * stays the paper's five tasks and its output keeps its bytes. Such a task runs when named
   * ({@code --tasks}, {@code --mix}); presets, built in the default order, leave it out too.
   */
  default boolean inDefaultRun() {
    return true;
  }

  /**
   * This task's share in the named generation preset (front ends' {@code --preset}): a relative
   * weight, such as the number of its samples in the data the preset reproduces, that the preset
   * turns into the task's {@code --mix} weight. 0, the default, keeps the task out of the preset.
   *
   * @param preset a preset name, e.g. {@code spatial-ssrl-81k}
   */
  default double presetShare(String preset) {
    return 0;
  }

  /**
   * The generation parameters ({@code task.key=value}, see {@link GenerationOptions#parameters})
   * this task sets in the named preset; empty, the default, for none. Explicit parameters given
   * beside the preset override them.
   */
  default Map<String, String> presetParameters(String preset) {
    return Map.of();
  }

  /**
   * Captions for the images of one written sample of this task in a human-readable preview ({@code
   * ssrl preview}), in image order, made from what the written sample carries (its answer and
   * metadata, as plain maps, lists, strings and numbers); e.g. {@code context, A, B, C, D}.
   * Captions past the last image are ignored and images past the last caption get none; the
   * default, an empty list, captions nothing.
   */
  default List<String> previewCaptions(String answer, Map<String, ?> metadata, int images) {
    return List.of();
  }
}
