package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Scene;
import dev.ssrl.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneFolderTest {
  @TempDir Path tmp;

  private void touch(String... names) throws IOException {
    for (String n : names) {
      // Empty files: scanning must pair them without opening them.
      Files.write(tmp.resolve(n), new byte[0]);
    }
  }

  private static String name(Path p) {
    return p == null ? null : p.getFileName().toString();
  }

  @Test
  void pairsEveryDatasetConventionByStemWithoutReadingFiles() throws IOException {
    touch(
        "diode.png",
        "diode_depth.npy",
        "diode_depth_mask.npy",
        "mega.jpg",
        "mega.h5",
        "nyu.png",
        "nyu_depth.png",
        "tum.jpg",
        "tum_depth.png",
        "midd.png",
        "midd.pfm",
        "plain.JPEG",
        "orphan_depth.png",
        "orphan2.h5",
        "notes.txt",
        ".hidden.png");
    Files.createDirectory(tmp.resolve("sub.png"));
    List<SceneFiles> s = SceneFolder.scan(tmp);
    assertEquals(
        List.of("diode", "mega", "midd", "nyu", "plain", "tum"),
        s.stream().map(SceneFiles::id).collect(Collectors.toList()));
    SceneFiles diode = s.get(0);
    assertEquals("diode.png", name(diode.rgb()));
    assertEquals("diode_depth.npy", name(diode.depth()));
    assertEquals("diode_depth_mask.npy", name(diode.mask()));
    assertEquals("mega.h5", name(s.get(1).depth()));
    assertEquals("midd.pfm", name(s.get(2).depth()));
    assertEquals("nyu_depth.png", name(s.get(3).depth()));
    assertNull(s.get(3).mask());
    assertEquals("plain.JPEG", name(s.get(4).rgb()));
    assertTrue(!s.get(4).hasDepth() && s.get(4).depthFile().isEmpty());
    assertEquals("tum_depth.png", name(s.get(5).depth()));
    assertEquals(tmp.resolve("tum.jpg"), s.get(5).rgb());
  }

  @Test
  void depthImagesAreNeverScenes() throws IOException {
    touch("a_depth.png", "a_depth_mask.png", "b_DEPTH.PNG");
    assertEquals(List.of(), SceneFolder.scan(tmp));
  }

  @Test
  void sharedStemsKeepUniqueIdsAndShareTheDepth() throws IOException {
    touch("x.jpg", "x.png", "x_depth.png");
    List<SceneFiles> s = SceneFolder.scan(tmp);
    assertEquals(2, s.size());
    assertEquals("x.jpg", s.get(0).id());
    assertEquals("x.png", s.get(1).id());
    assertEquals("x_depth.png", name(s.get(0).depth()));
    assertEquals("x_depth.png", name(s.get(1).depth()));
  }

  @Test
  void depthPriorityIsNpyThenHdf5ThenPngThenPfm() throws IOException {
    touch("a.png", "a.pfm", "a_depth.png", "a.h5");
    assertEquals("a.h5", name(SceneFolder.scan(tmp).get(0).depth()));
    touch("a_depth.npy");
    assertEquals("a_depth.npy", name(SceneFolder.scan(tmp).get(0).depth()));
  }

  @Test
  void orderIsByCodePointNotLocale() throws IOException {
    touch("b.png", "B.png", "a10.png", "a2.png", "_z.png");
    assertEquals(
        List.of("B", "_z", "a10", "a2", "b"),
        SceneFolder.scan(tmp).stream().map(SceneFiles::id).collect(Collectors.toList()));
  }

  @Test
  void missingFolderAndFileAreClearErrors() throws IOException {
    SceneLoadException e =
        assertThrows(SceneLoadException.class, () -> SceneFolder.scan(tmp.resolve("none")));
    assertTrue(e.getMessage().endsWith("directory not found"), e.getMessage());
    touch("f.png");
    e = assertThrows(SceneLoadException.class, () -> SceneFolder.scan(tmp.resolve("f.png")));
    assertTrue(e.getMessage().endsWith("not a directory"), e.getMessage());
  }

  @Test
  void sharedRgbdFolderPairsAllThreeScenesAndLoadsThem() throws IOException {
    Path dir = SharedData.require("data/rgbd/diode-1.png").getParent();
    List<SceneFiles> s = SceneFolder.scan(dir);
    assertEquals(
        List.of("diode-1", "megadepth-1", "megadepth-2"),
        s.stream().map(SceneFiles::id).collect(Collectors.toList()));
    assertEquals("diode-1_depth_mask.npy", name(s.get(0).mask()));
    assertEquals("megadepth-1.h5", name(s.get(1).depth()));
    Scene diode = s.get(0).load();
    assertEquals("diode-1", diode.id());
    assertTrue(diode.hasDepth());
    assertEquals(1024, diode.rgb().width());
  }

  @Test
  void sharedRgbFolderListsRgbOnlyScenesInOrder() throws IOException {
    Path dir = SharedData.require("data/rgb/eg1.jpg").getParent();
    List<SceneFiles> s = SceneFolder.scan(dir);
    assertEquals(
        List.of(
            "case1", "case2", "eg1", "eg2", "eg3", "eg4", "eg5", "eg6", "eg_qwen3vl", "scene-1"),
        s.stream().map(SceneFiles::id).collect(Collectors.toList()));
    assertTrue(s.stream().noneMatch(SceneFiles::hasDepth));
  }

  @Test
  void sceneFilesRejectsAMaskWithoutDepth() {
    Path p = tmp.resolve("a.png");
    assertThrows(IllegalArgumentException.class, () -> new SceneFiles("a", p, null, p));
    assertThrows(IllegalArgumentException.class, () -> new SceneFiles(" ", p, null, null));
  }
}
