package dev.ssrl.depth;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import java.util.ArrayList;
import java.util.List;

/**
 * Estimates a depth map from a photo. Implementations are thread-safe: generator threads share one
 * estimator.
 */
public interface DepthEstimator extends AutoCloseable {

  /**
   * The depth of a photo, the photo's size, in the project's convention: positive values, nearer is
   * smaller, a mask marking pixels without a usable estimate. Estimated depth is relative (an
   * unknown scale and shift of inverse depth; docs/depth-models.md): its order is meaningful, its
   * units are not.
   *
   * @throws DepthModelException naming the model if inference fails or gives non-finite values
   */
  DepthMap estimate(Raster rgb);

  /**
   * The depths of several photos, in order. Implementations may run them as one batch; the result
   * of each photo is the same as {@link #estimate} gives it.
   */
  default List<DepthMap> estimateAll(List<Raster> rgbs) {
    List<DepthMap> out = new ArrayList<>(rgbs.size());
    for (Raster r : rgbs) {
      out.add(estimate(r));
    }
    return out;
  }

  /** The model, for provenance. */
  DepthModel model();

  /**
   * The scene with depth: unchanged when it has depth already (sensor depth always wins), otherwise
   * with the estimated depth of its photo.
   */
  default Scene complete(Scene scene) {
    return scene.hasDepth() ? scene : new Scene(scene.id(), scene.rgb(), estimate(scene.rgb()));
  }

  /** Frees the model's native resources; further calls fail. */
  @Override
  void close();
}
