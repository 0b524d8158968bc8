package dev.ssrl.dataset;

import dev.ssrl.api.Samples;
import java.io.Serializable;
import java.util.Objects;

/**
 * One unit of work of a scene: a task and a variant index. The (scene, task, variant) triple names
 * the sample ({@link #sampleId}) and seeds it ({@link Samples#seed}).
 *
 * @param task the task id
 * @param variant the variant index, from 0
 */
public record WorkItem(String task, int variant) implements Serializable {
  private static final long serialVersionUID = 1L;

  public WorkItem {
    Objects.requireNonNull(task, "task");
    if (variant < 0) {
      throw new IllegalArgumentException("variant " + variant + " < 0");
    }
  }

  /** The id of this item's sample in the given scene ({@link Samples#id}). */
  public String sampleId(String sceneId) {
    return Samples.id(sceneId, task, variant);
  }

  /** The generator seed of this item in the given scene under the run seed. */
  public long seed(long runSeed, String sceneId) {
    return Samples.seed(runSeed, sceneId, task, variant);
  }
}
