package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.generate.MemoryBudget;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthFormats;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.EncodedFile;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A depth format added from outside the SDK ({@link TestDepthFormat}: one source file and one
 * service line) is handled by every part that knows depth files, with no edit to any of them:
 * scanning a folder pairs it, the loader decodes it (from a file and from bytes), the memory budget
 * sizes it from its header, and a whole {@code generate} run makes the same samples from it as from
 * the same depth stored as a built-in 16-bit PNG.
 */
class ExtensionDepthFormatTest {
  private static final int W = 160;
  private static final int H = 120;

  @TempDir Path tmp;

  @Test
  void theServiceLoaderAddsItAfterTheBuiltInFormats() {
    List<String> names = DepthFormats.all().stream().map(DepthFormat::name).toList();
    assertEquals(List.of("npy", "hdf5", "png16", "pfm", "tdep"), names);
  }

  @Test
  void folderScanLoadAndMemoryBudgetAllTakeIt() throws IOException {
    Scene src = SyntheticScenes.scene(25, 0, W, H);
    int[] mm = millimetres(src.depth());
    Path dir = Files.createDirectories(tmp.resolve("scenes"));
    Files.write(dir.resolve("room.png"), ImageCodec.encodePng(src.rgb()));
    Path depth = dir.resolve("room_depth.tdep");
    Files.write(depth, TestDepthFormat.write(W, H, mm));

    // SceneFolder: paired by the format's suffix; the depth file is no scene of its own.
    List<SceneFiles> scenes = SceneFolder.scan(dir);
    assertEquals(1, scenes.size(), scenes::toString);
    assertEquals(depth, scenes.get(0).depth());
    assertEquals(
        List.of("room"),
        SceneFolder.pair(dir, List.of("room.png", "room_depth.tdep")).stream()
            .map(SceneFiles::id)
            .toList());

    // SceneLoader: decoded by the format, from the file and from bytes alike.
    Scene loaded = SceneLoader.defaults().load(scenes.get(0));
    float[] expected = new float[W * H];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (float) (mm[i] * SceneLoader.DEFAULT_DEPTH_SCALE);
    }
    assertArrayEquals(expected, loaded.depth().values());
    DepthMap fromBytes =
        SceneLoader.defaults()
            .loadDepth(
                new EncodedFile("hdfs://nn/room_depth.tdep", Files.readAllBytes(depth)), null);
    assertArrayEquals(expected, fromBytes.values());

    // The memory budget: the depth header comes from the format's probe (2 bytes a value).
    assertEquals(new DepthHeader(W, H, 2), DepthFormats.probe(depth));
    long bytes = Files.size(dir.resolve("room.png")) + Files.size(depth);
    List<dev.ssrl.api.Task> tasks = List.of(Tasks.byId("depth"), Tasks.byId("position"));
    assertEquals(
        MemoryBudget.estimate((long) W * H, 3, 2, bytes, tasks),
        MemoryBudget.estimate(scenes.get(0), tasks));

    // Its errors name the file, as the built-in formats' do.
    Files.write(depth, java.util.Arrays.copyOf(Files.readAllBytes(depth), 100));
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> SceneLoader.defaults().load(scenes.get(0)));
    assertTrue(e.getMessage().startsWith(depth.toString() + ": truncated TDEP"), e.getMessage());
    assertInstanceOf(SceneLoadException.class, e);
  }

  @Test
  void anUnknownFileListsTheAddedFormatAmongTheExpectedOnes() throws IOException {
    Path f = tmp.resolve("x_depth.bin");
    Files.write(f, "nothing known".getBytes(StandardCharsets.US_ASCII));
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> SceneLoader.defaults().loadDepth(f, null));
    assertTrue(
        e.getMessage().endsWith("expected .npy, HDF5 (.h5), 16-bit PNG, PFM or TDEP (tests)"),
        e.getMessage());
  }

  /** The same depth in the added format and as a 16-bit PNG: the same samples, byte for byte. */
  @Test
  void generateMakesTheSameSamplesFromItAsFromTheBuiltInPng() throws IOException {
    Scene src = SyntheticScenes.scene(25, 1, W, H);
    int[] mm = millimetres(src.depth());
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    for (Path d : List.of(a, b)) {
      Files.write(d.resolve("room.png"), ImageCodec.encodePng(src.rgb()));
    }
    Files.write(a.resolve("room_depth.tdep"), TestDepthFormat.write(W, H, mm));
    BufferedImage png = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
    png.getRaster().setPixels(0, 0, W, H, mm);
    assertTrue(ImageIO.write(png, "png", b.resolve("room_depth.png").toFile()));

    String[] train = new String[2];
    String[] rejects = new String[2];
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("out" + i);
      Cli r =
          Cli.run(
              "generate",
              "--out",
              out.toString(),
              "--tasks",
              "depth,position",
              "--per-scene",
              "2",
              "--threads",
              "1",
              (i == 0 ? a : b).toString());
      assertEquals(0, r.status, r::toString);
      train[i] = Files.readString(out.resolve("train.jsonl"));
      rejects[i] = Files.readString(out.resolve("rejects.jsonl"));
    }
    assertFalse(train[0].isEmpty(), "depth samples were made from the added format");
    assertFalse(rejects[0].contains("no depth map"), rejects[0]);
    assertEquals(train[1], train[0]);
    assertEquals(rejects[1], rejects[0]);
  }

  /** Depth in millimetres as unsigned 16-bit values (0 where invalid). */
  private static int[] millimetres(DepthMap d) {
    int[] mm = new int[d.width() * d.height()];
    for (int i = 0; i < mm.length; i++) {
      float v = d.values()[i];
      mm[i] = Float.isFinite(v) && v > 0 ? (int) Math.min(65535, Math.round(v * 1000)) : 0;
    }
    return mm;
  }
}
