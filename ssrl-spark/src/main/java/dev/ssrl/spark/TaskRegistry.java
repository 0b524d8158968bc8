package dev.ssrl.spark;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds tasks through the SPI on driver and executors alike. */
final class TaskRegistry {
  private TaskRegistry() {}

  /** The tasks of SPEC §3 in their documented order; other tasks follow sorted by id. */

  /**
   * All tasks visible to the context class loader (where spark-submit puts {@code --jars}), falling
   * back to this class's loader.
   */
  static Map<String, Task> all() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    Map<String, Task> found = cl == null ? Map.of() : Tasks.all(cl);
    return found.isEmpty() ? Tasks.all(TaskRegistry.class.getClassLoader()) : found;
  }

  /**
   * The given tasks by id, in order.
   *
   * @throws IllegalArgumentException naming an unknown id and the known ones
   */
  static Map<String, Task> resolve(List<String> ids) {
    Map<String, Task> known = all();
    Map<String, Task> out = new LinkedHashMap<>();
    for (String id : ids) {
      Task t = known.get(id);
      if (t == null) {
        throw new IllegalArgumentException(
            "unknown task '" + id + "'; known tasks: " + known.keySet());
      }
      out.put(id, t);
    }
    return out;
  }

  /** The tasks run by default ({@link Task#inDefaultRun()}): SPEC order first, then the others. */
  static List<String> defaultTasks() {
    return Tasks.defaultOrder(all());
  }

  /**
   * Runs every task once on a small synthetic scene with the given options, so that a bad option
   * fails on the driver before any executor starts.
   *
   * @throws IllegalArgumentException naming the task and the option
   */
  static void checkOptions(Map<String, Task> tasks, GenerationOptions options) {
    Scene probe = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 0, 160, 120);
    for (Map.Entry<String, Task> e : tasks.entrySet()) {
      try {
        e.getValue().generate(probe, 1L, options);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("task " + e.getKey() + ": " + ex.getMessage(), ex);
      } catch (RuntimeException ex) {
        // Not an option problem: the job will count it per scene like any generator error.
      }
    }
  }
}
