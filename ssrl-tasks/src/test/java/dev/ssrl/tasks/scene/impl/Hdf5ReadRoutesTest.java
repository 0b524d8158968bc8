package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HDF5 reader's routes — file mapped or read into memory, chunks inflated in the caller's pool
 * or in a pool of one thread — give the same depth values and the same rejections.
 */
class Hdf5ReadRoutesTest {
  @TempDir Path tmp;

  @AfterEach
  void reset() {
    Hdf5DepthReader.inMemoryMaxBytes = 64L << 20;
    Hdf5DepthReader.inflateRoute = 0;
  }

  private static Hdf5DepthReader.Hdf5Depth read(Path p, boolean mapped, int route)
      throws SceneLoadException {
    Hdf5DepthReader.inMemoryMaxBytes = mapped ? 0 : 64L << 20;
    Hdf5DepthReader.inflateRoute = route;
    return Hdf5DepthReader.read(p, 1L << 26, 1.0);
  }

  @Test
  void chunkedGzipDepthMapsReadTheSameByEveryRoute() throws IOException {
    for (String name : new String[] {"data/rgbd/megadepth-1.h5", "data/rgbd/megadepth-2.h5"}) {
      Path p = SharedData.require(name);
      Hdf5DepthReader.Hdf5Depth first = read(p, true, 1);
      for (boolean mapped : new boolean[] {true, false}) {
        for (int route = 0; route <= 2; route++) {
          Hdf5DepthReader.Hdf5Depth d = read(p, mapped, route);
          String what = name + " mapped=" + mapped + " route=" + route;
          assertEquals(first.width(), d.width(), what);
          assertEquals(first.height(), d.height(), what);
          assertArrayEquals(first.values(), d.values(), what);
        }
      }
    }
  }

  @Test
  void aTruncatedFileIsTheSameRejectionByEveryRoute() throws IOException {
    Path whole = SharedData.require("data/rgbd/megadepth-2.h5");
    byte[] b = Files.readAllBytes(whole);
    Path cut = tmp.resolve("cut.h5");
    // Cut inside the chunk data: the header and index read, a chunk does not.
    Files.write(cut, java.util.Arrays.copyOf(b, b.length * 3 / 4));
    String expected = null;
    for (boolean mapped : new boolean[] {true, false}) {
      for (int route = 0; route <= 2; route++) {
        int r = route;
        SceneLoadException e = assertThrows(SceneLoadException.class, () -> read(cut, mapped, r));
        if (expected == null) {
          expected = e.getMessage();
        }
        assertEquals(expected, e.getMessage(), "mapped=" + mapped + " route=" + route);
      }
    }
  }
}
