package dev.ssrl.cli.generate;

import dev.ssrl.api.Scene;
import dev.ssrl.depth.DepthModel;
import dev.ssrl.tasks.scene.SceneFiles;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One scene to generate from, not yet loaded: scenes are loaded lazily, in the worker that uses
 * them, so a run holds only the scenes of the chunk in progress.
 *
 * @param id the scene id (part of sample ids and seeds)
 * @param origin where it comes from, for messages (a file path or {@code builtin:N})
 * @param loader loads the scene; may throw (e.g. an IOException naming the file), which the
 *     generator records as a {@code load: ...} rejection
 * @param files the scene's files, or null (built-in scenes): their headers give the memory estimate
 *     before loading ({@link MemoryBudget})
 * @param estimatedBy the model whose depth the loader adds (a scene without a depth file, run with
 *     {@code --depth-model}); null when the scene's depth, if any, is its own
 */
record SceneSource(
    String id, String origin, Callable<Scene> loader, SceneFiles files, DepthModel estimatedBy) {
  SceneSource(String id, String origin, Callable<Scene> loader) {
    this(id, origin, loader, null, null);
  }

  SceneSource {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(loader, "loader");
  }
}
