package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.util.List;

/** PFM depth ({@link PfmReader}); Middlebury names it {@code X.pfm}. */
public final class PfmDepthFormat implements DepthFormat {
  /** Bytes a probe reads: the header is three short text tokens. */
  static final int PROBE_BYTES = 4096;

  @Override
  public String name() {
    return "pfm";
  }

  @Override
  public String description() {
    return "PFM";
  }

  @Override
  public List<String> pairedSuffixes() {
    return List.of(".pfm", "_depth.pfm");
  }

  @Override
  public boolean recognises(byte[] head) {
    return PfmReader.isPfm(head);
  }

  @Override
  public DepthHeader probe(DepthSource source) throws SceneLoadException {
    PfmReader.Header h =
        PfmReader.header(source.head(PROBE_BYTES), source.path(), Integer.MAX_VALUE);
    return new DepthHeader(h.width(), h.height(), 4 * h.channels());
  }

  @Override
  public DepthMap read(DepthSource source, long maxPixels, double depthScale)
      throws SceneLoadException {
    PfmReader.Pfm p = PfmReader.parse(source.bytes(), source.path(), maxPixels);
    return DepthMap.of(p.width(), p.height(), p.values());
  }
}
