package dev.ssrl.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One generated training sample (SPEC §2).
 *
 * @param id stable id derived from scene id, task and variant ({@link Samples#id})
 * @param sceneId the source scene
 * @param taskId the task
 * @param problem the question; exactly one {@code <image>} placeholder per image, in order
 * @param images the images in prompt order, not yet encoded (encoding belongs to the writer)
 * @param answer the canonical ground truth
 * @param metadata JSON-compatible values (String, Number, Boolean, List, Map, null) sufficient to
 *     re-derive the answer from the source scene; iteration order is kept
 */
public record Sample(
    String id,
    String sceneId,
    String taskId,
    String problem,
    List<Raster> images,
    String answer,
    Map<String, Object> metadata)
    implements Outcome {

  /**
   * @throws IllegalArgumentException if the number of {@code <image>} placeholders differs from the
   *     number of images
   */
  public Sample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sceneId, "sceneId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(answer, "answer");
    images = List.copyOf(images);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    int placeholders = countPlaceholders(problem);
    if (placeholders != images.size()) {
      throw new IllegalArgumentException(
          "sample "
              + id
              + ": problem has "
              + placeholders
              + " <image> placeholders but "
              + images.size()
              + " images");
    }
  }

  private static int countPlaceholders(String problem) {
    int n = 0;
    for (int i = problem.indexOf("<image>"); i >= 0; i = problem.indexOf("<image>", i + 7)) {
      n++;
    }
    return n;
  }
}
