package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.scene.SceneTestImages;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDF5 files built to hurt the depth reader (issue 16): link cycles, soft links, uint64 data, a
 * never-written dataset, thousands of datasets. Each file is written with jHDF and edited by {@link
 * Hdf5TestFiles}; each must load or give a short rejection naming the file, never hang or overflow
 * the stack.
 */
class Hdf5HostileFilesTest {
  private static final SceneLoader LOADER = SceneLoader.defaults();

  @TempDir Path tmp;

  private Path save(String name, byte[] b) throws IOException {
    return SceneTestImages.write(tmp, name, b);
  }

  private SceneLoadException rejected(Path p) {
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    return e;
  }

  @Test
  void rootLinkedIntoItselfIsListedOnceNotFollowedForever() throws IOException {
    // h5py: f["self"] = f["/"], no depth dataset (the 1 KB file).
    byte[] b = Hdf5TestFiles.write(tmp.resolve("w.h5"), f -> f.putGroup("self"));
    long root = Hdf5TestFiles.rootAddress(b);
    Hdf5TestFiles.retarget(b, root, "self", root);
    SceneLoadException e = rejected(save("cycle.h5", b));
    assertEquals(
        "HDF5 file has no 'depth' dataset at its root; datasets present: (none)", e.reason());
  }

  @Test
  void deeperHardLinkCycleListsEachDatasetOnce() throws IOException {
    // /a/b is a hard link back to /a, which holds the dataset x.
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> {
              WritableGroup a = f.putGroup("a");
              a.putDataset("x", new float[] {1f});
              a.putGroup("b");
            });
    long root = Hdf5TestFiles.rootAddress(b);
    long a = Hdf5TestFiles.linkAddress(b, root, "a");
    Hdf5TestFiles.retarget(b, a, "b", a);
    SceneLoadException e = rejected(save("cycle2.h5", b));
    assertEquals(
        "HDF5 file has no 'depth' dataset at its root; datasets present: /a/x", e.reason());
  }

  @Test
  void depthAsASoftLinkIsFollowed() throws IOException {
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> {
              f.putDataset("depth", new float[][] {{9f, 9f}});
              f.putDataset("real", new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}});
            });
    Hdf5TestFiles.soften(b, Hdf5TestFiles.rootAddress(b), "depth", "/real");
    DepthMap d = LOADER.loadDepth(save("soft.h5", b), null);
    assertEquals(3, d.width());
    assertEquals(2, d.height());
    assertEquals(6f, d.at(2, 1));
  }

  @Test
  void softLinkCycleAndBrokenSoftLinkAreNamedRejections() throws IOException {
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> {
              f.putDataset("depth", new float[] {1f});
              f.putDataset("loop", new float[] {1f});
            });
    long root = Hdf5TestFiles.rootAddress(b);
    byte[] broken = b.clone();
    // depth -> /loop -> /loop -> ...
    Hdf5TestFiles.soften(b, root, "depth", "/loop");
    Hdf5TestFiles.soften(b, root, "loop", "/loop");
    SceneLoadException e = rejected(save("softcycle.h5", b));
    assertEquals("soft link 'depth' leads through more than 16 links (a link cycle?)", e.reason());
    Hdf5TestFiles.soften(broken, root, "depth", "/none");
    e = rejected(save("broken.h5", broken));
    assertEquals(
        "soft link 'depth' points to /none, which does not exist (broken link)", e.reason());
  }

  @Test
  void unsignedSixtyFourBitDepthLoadsScaled() throws IOException {
    // -1 and Long.MIN_VALUE as int64 are 2^64 - 1 and 2^63 as uint64.
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> f.putDataset("depth", new long[][] {{0L, 1234L}, {-1L, Long.MIN_VALUE}}));
    long ds = Hdf5TestFiles.linkAddress(b, Hdf5TestFiles.rootAddress(b), "depth");
    Hdf5TestFiles.makeUnsigned(b, ds);
    DepthMap d = LOADER.loadDepth(save("u64.h5", b), null);
    assertEquals(1.234f, d.at(1, 0), 1e-6f);
    double max = new BigInteger("18446744073709551615").doubleValue();
    assertEquals((float) (max * 0.001), d.at(0, 1));
    assertEquals((float) (Math.pow(2, 63) * 0.001), d.at(1, 1));
    assertEquals(3, d.validCount(), "zero is invalid");
  }

  @Test
  void neverWrittenDepthIsANamedRejection() throws IOException {
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"), f -> f.putDataset("depth", new float[][] {{1f, 2f}}));
    long ds = Hdf5TestFiles.linkAddress(b, Hdf5TestFiles.rootAddress(b), "depth");
    Hdf5TestFiles.unallocate(b, ds);
    SceneLoadException e = rejected(save("unwritten.h5", b));
    assertEquals("dataset 'depth' was never written (no storage allocated)", e.reason());
  }

  @Test
  void tenThousandDatasetsGiveAShortCause() throws IOException {
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> {
              for (int i = 0; i < 10_000; i++) {
                f.putDataset(String.format("d%05d", 9_999 - i), new byte[] {1});
              }
            });
    SceneLoadException e = rejected(save("many.h5", b));
    assertEquals(
        "HDF5 file has no 'depth' dataset at its root; datasets present:"
            + " /d00000, /d00001, /d00002, /d00003, /d00004 and 9995 more",
        e.reason());
  }

  @Test
  void listingStopsAtTheObjectAndDepthCaps() throws IOException {
    byte[] wide =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> {
              for (int i = 0; i <= Hdf5DepthReader.MAX_LISTED_NODES; i++) {
                f.putDataset(String.format("d%05d", i), new byte[] {1});
              }
            });
    SceneLoadException e = rejected(save("wide.h5", wide));
    assertEquals(
        "HDF5 file has no 'depth' dataset at its root; datasets present (listing stopped after"
            + " 10000 objects): /d00000, /d00001, /d00002, /d00003, /d00004 and 9995 more",
        e.reason());
    byte[] deep =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"),
            f -> {
              WritableGroup g = f.putGroup("g");
              for (int i = 1; i < 40; i++) {
                g.putDataset("x", new byte[] {1});
                g = g.putGroup("g");
              }
            });
    e = rejected(save("deep.h5", deep));
    assertTrue(
        e.reason().contains("(listing stopped at depth 32): /g/g/g/g/g/g/g/g/g/g/g/g/g/g/g/g"),
        e.reason());
    assertTrue(e.reason().endsWith("and 26 more"), e.reason());
  }

  @Test
  void depthGroupIsNamed() throws IOException {
    byte[] b =
        Hdf5TestFiles.write(
            tmp.resolve("w.h5"), f -> f.putGroup("depth").putDataset("z", new float[] {1f}));
    SceneLoadException e = rejected(save("group.h5", b));
    assertEquals(
        "HDF5 file has no 'depth' dataset at its root ('depth' is a group); datasets present:"
            + " /depth/z",
        e.reason());
  }
}
