package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.util.List;

/**
 * NumPy {@code .npy} depth ({@link NpyReader}): float values as stored, integer values times the
 * depth scale. DIODE names it {@code X_depth.npy}.
 */
public final class NpyDepthFormat implements DepthFormat {
  @Override
  public String name() {
    return "npy";
  }

  @Override
  public String description() {
    return ".npy";
  }

  @Override
  public List<String> pairedSuffixes() {
    return List.of("_depth.npy");
  }

  @Override
  public boolean recognises(byte[] head) {
    return NpyReader.isNpy(head);
  }

  @Override
  public DepthHeader probe(DepthSource source) throws SceneLoadException {
    // The preamble says how long the header is; only that much of the file is read.
    long end = NpyReader.headerEnd(source.head(12));
    byte[] header = source.head((int) Math.min(end, Integer.MAX_VALUE - 16L));
    NpyReader.Header h = NpyReader.header(header, source.path(), Integer.MAX_VALUE);
    return new DepthHeader((int) h.w(), (int) h.h(), h.size());
  }

  @Override
  public DepthMap read(DepthSource source, long maxPixels, double depthScale)
      throws SceneLoadException {
    NpyReader.NpyArray a = NpyReader.parse(source.bytes(), source.path(), maxPixels);
    float[] v = a.toFloats(a.integral() ? depthScale : 1.0);
    return DepthMap.of(a.width(), a.height(), v);
  }
}
