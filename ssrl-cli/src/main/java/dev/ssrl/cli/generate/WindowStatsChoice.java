package dev.ssrl.cli.generate;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Task;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.DatasetConfig;
import dev.ssrl.tasks.depth.WindowStatsEngine;
import dev.ssrl.tasks.depth.WindowStatsEngines;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a generate run computes the depth and position tasks' window statistics ({@code
 * ssrl-tasks}' {@link WindowStatsEngines}; {@code ssrl-gpu}, inside {@code ssrl.jar}, provides the
 * CUDA engine), and the options the work items start from.
 *
 * <p>{@code --gpu} sets {@value WindowStatsEngines#PROPERTY}{@code =true} for this run only, not in
 * the config: the samples are byte-identical on either engine, so a run may be resumed with or
 * without it. Without a usable GPU, {@code --gpu} is a usage error that names the reason (no NVIDIA
 * driver, a driver older than 580, no device, natives missing) before anything is written.
 *
 * @param base the options every work item starts from
 * @param device where window statistics are computed ({@link WindowStatsEngine#device()}, e.g.
 *     {@code cpu} or {@code cuda:NVIDIA H200}); null when no selected task needs depth
 * @param reason why that engine ({@link WindowStatsEngines.Choice#reason})
 */
record WindowStatsChoice(GenerationOptions base, String device, String reason) {

  /**
   * @throws UsageError if {@code gpu} and no GPU engine is usable, or {@value
   *     WindowStatsEngines#PROPERTY} is malformed
   */
  static WindowStatsChoice of(DatasetConfig config, Collection<Task> tasks, boolean gpu) {
    GenerationOptions base = config.baseOptions();
    if (gpu) {
      Map<String, String> p = new TreeMap<>(base.parameters());
      p.put(WindowStatsEngines.PROPERTY, "true");
      base = base.withParameters(p);
    }
    WindowStatsEngines.Choice chosen;
    try {
      chosen = WindowStatsEngines.choose(base);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    WindowStatsEngine engine = chosen.engine();
    String reason = chosen.reason();
    if (gpu && engine == WindowStatsEngines.CPU) {
      throw new UsageError("--gpu cannot compute window statistics on a GPU here: " + reason);
    }
    boolean used = tasks.stream().anyMatch(Task::needsDepth);
    return new WindowStatsChoice(base, used ? engine.device() : null, reason);
  }

  /**
   * The log line, e.g. {@code window statistics on cpu (ssrl.gpu is not enabled)} or {@code window
   * statistics on cuda:NVIDIA H200 (ssrl.gpu=true and gpu is usable)}.
   */
  String logLine() {
    return "window statistics on " + device + " (" + reason + ")";
  }
}
