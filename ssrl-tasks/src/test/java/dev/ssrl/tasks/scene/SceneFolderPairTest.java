package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SceneFolder#pair}: the pairing of {@link SceneFolder#scan}, over names listed elsewhere.
 */
class SceneFolderPairTest {
  private static final List<String> NAMES =
      List.of(
          "diode.png",
          "diode_depth.npy",
          "diode_depth_mask.npy",
          "mega.jpg",
          "mega.h5",
          "nyu.png",
          "nyu_depth.png",
          "mid.png",
          "mid.pfm",
          "twin.jpg",
          "twin.png",
          "orphan_depth.npy",
          ".hidden.png",
          "notes.txt");

  @Test
  void pairingNamesGivesWhatScanningAFolderWithThoseFilesGives(@TempDir Path dir)
      throws IOException {
    for (String n : NAMES) {
      Files.write(dir.resolve(n), new byte[0]);
    }
    // Shuffled input order: the result is sorted either way.
    List<String> shuffled = new java.util.ArrayList<>(NAMES);
    java.util.Collections.reverse(shuffled);
    assertEquals(SceneFolder.scan(dir), SceneFolder.pair(dir, shuffled));
  }

  @Test
  void pathsAreTheFolderResolvedWithTheNames() {
    Path remote = Path.of("bucket", "scenes");
    List<SceneFiles> scenes = SceneFolder.pair(remote, List.of("a.jpg", "a.h5"));
    assertEquals(
        List.of(new SceneFiles("a", remote.resolve("a.jpg"), remote.resolve("a.h5"), null)),
        scenes);
  }
}
