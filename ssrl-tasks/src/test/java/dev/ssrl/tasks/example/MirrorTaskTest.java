package dev.ssrl.tasks.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorTaskTest {

  @Test
  void serviceLoaderFindsTheBuiltInTasksAndTheExampleExtension() {
    Map<String, Task> all = Tasks.all();
    assertTrue(all.keySet().containsAll(java.util.Set.of("shuffle", "flip", "crop", "mirror")));
    assertInstanceOf(MirrorTask.class, Tasks.byId("mirror"));
    assertEquals("dev.ssrl.tasks.ShuffleTask", all.get("shuffle").getClass().getName());
  }

  @Test
  void discoveredExtensionGeneratesCheckableSamples() {
    Task mirror = Tasks.byId("mirror");
    for (Scene scene : SyntheticScenes.builtIn(2)) {
      for (long seed = 0; seed < 4; seed++) {
        Sample s = assertInstanceOf(Sample.class, mirror.generate(scene, seed));
        assertEquals(2, s.images().size());
        boolean mirrored = s.metadata().get("transform").equals("mirror");
        // The letter names the option that matches the transform actually applied.
        String option = s.answer() + ". " + (mirrored ? "mirrored" : "turned");
        assertTrue(s.problem().contains(option), s.problem());
        assertEquals(
            scene.rgb().rgbAt(0, 0),
            mirrored
                ? s.images().get(1).rgbAt(scene.rgb().width() - 1, 0)
                : s.images().get(1).rgbAt(0, scene.rgb().height() - 1));
      }
    }
  }

  @Test
  void uniformScenesAreRejected() {
    Scene flat = Scene.rgbOnly("flat", dev.ssrl.api.Raster.blank(80, 80));
    assertEquals(
        "mirror: image looks the same transformed",
        ((Rejection) new MirrorTask().generate(flat, 1)).reason());
  }
}
