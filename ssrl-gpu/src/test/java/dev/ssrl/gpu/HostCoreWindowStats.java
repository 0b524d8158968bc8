package dev.ssrl.gpu;

import dev.ssrl.tasks.depth.WindowStats;
import java.util.List;

/**
 * For tests in other packages: {@link WindowStats} computed by the window kernels' core compiled
 * for the host and wrapped exactly as {@link GpuWindowStatsEngine} wraps the device's results — the
 * GPU engine's code path minus the device.
 */
public final class HostCoreWindowStats {
  private HostCoreWindowStats() {}

  /** The statistics of all k × k windows of {@code map} through the host-compiled core. */
  public static WindowStats compute(float[] map, int width, int height, int k) throws Exception {
    WindowReference.Grid g =
        WindowReference.harnessOutput(
            HostHarness.run("window", WindowReference.harnessInput(List.of(map), width, height, k)),
            1,
            width,
            height,
            k)[0];
    WindowGrid grid =
        new WindowGrid(k, width - k + 1, height - k + 1, g.min(), g.max(), g.count(), g.sum());
    return GpuWindowStatsEngine.toWindowStats(grid, width, height);
  }
}
