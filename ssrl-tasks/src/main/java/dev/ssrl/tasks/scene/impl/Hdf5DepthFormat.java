package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.util.List;

/**
 * HDF5 depth, dataset {@code depth} ({@link Hdf5DepthReader}); MegaDepth names it {@code X.h5}. A
 * file on disk is opened by jHDF where it lies (mapped when large), not read whole first.
 */
public final class Hdf5DepthFormat implements DepthFormat {
  @Override
  public String name() {
    return "hdf5";
  }

  @Override
  public String description() {
    return "HDF5 (.h5)";
  }

  @Override
  public List<String> pairedSuffixes() {
    return List.of(".h5", "_depth.h5");
  }

  @Override
  public boolean recognises(byte[] head) {
    return Hdf5DepthReader.isHdf5(head);
  }

  /** A user block moves the signature to byte 512 or later: the extension is trusted. */
  @Override
  public boolean claimsByName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    return ext.equals("h5") || ext.equals("hdf5") || ext.equals("hdf");
  }

  @Override
  public DepthHeader probe(DepthSource source) throws SceneLoadException {
    int[] p = Hdf5DepthReader.probe(source.path(), source.inMemory() ? source.bytes() : null);
    return new DepthHeader(p[0], p[1], p[2]);
  }

  @Override
  public DepthMap read(DepthSource source, long maxPixels, double depthScale)
      throws SceneLoadException {
    Hdf5DepthReader.Hdf5Depth h =
        source.inMemory()
            ? Hdf5DepthReader.read(source.bytes(), source.path(), maxPixels, depthScale)
            : Hdf5DepthReader.read(source.path(), maxPixels, depthScale);
    return DepthMap.of(h.width(), h.height(), h.values());
  }
}
