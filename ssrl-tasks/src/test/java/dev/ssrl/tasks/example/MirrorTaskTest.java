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

  @Test
  void itsOwnVerifierWeighsAccuracyAtFourFifths() {
    var v = new MirrorTask().verifier().orElseThrow();
    assertEquals(1.0, v.score("<think>x</think> \\boxed{A}", "A").overall(), 1e-12);
    assertEquals(0.2, v.score("<think>x</think> \\boxed{B}", "A").overall(), 1e-12);
    assertEquals(0.8, v.score("\\boxed{a}", "A").overall(), 1e-12);
    assertEquals(0.0, v.score("\\boxed{a}", "A").details().get("sameCase"));
    assertEquals(0.0, v.score(null, "A").overall());
  }

  @Test
  void itJoinsThePresetAfterTheFiveWithoutChangingTheirWeights() {
    dev.ssrl.tasks.Preset p = dev.ssrl.tasks.Preset.named("spatial-ssrl-81k");
    assertEquals(
        java.util.List.of("shuffle", "flip", "crop", "depth", "position", "mirror"),
        java.util.List.copyOf(p.mix().keySet()));
    // 4,005 / 20,620 (depth, the largest share) to 4 places; flip has the same share.
    assertEquals(0.1942, p.mix().get("mirror"));
    assertEquals(p.mix().get("flip"), p.mix().get("mirror"));
    assertEquals(1.0, p.mix().get("depth"));
    assertEquals("original", p.parameters().get("position.rules"));
  }

  @Test
  void theAuditCountsItsSamplesWithItsOwnBaselines() {
    dev.ssrl.tasks.audit.BlindAudit audit = new dev.ssrl.tasks.audit.BlindAudit();
    for (int i = 0; i < 40; i++) {
      audit.add(
          "mirror", i % 2 == 0 ? "A" : "B", Map.of("transform", i < 30 ? "mirror" : "upside-down"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> baselines =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) audit.toMap().get("tasks")).get("mirror"))
                .get("baselines");
    assertEquals(java.util.Set.of("optionLetter", "mostFrequentTransform"), baselines.keySet());
    @SuppressWarnings("unchecked")
    Map<String, Object> transform = (Map<String, Object>) baselines.get("mostFrequentTransform");
    assertEquals(0.75, transform.get("accuracy"));
    assertEquals(0.5, transform.get("chance"));
    assertEquals("mirror", transform.get("guess"));
    // 75 % against a chance of 50 % on 40 samples: the shortcut warns.
    assertEquals(
        java.util.List.of("mirror: mostFrequentTransform 75.0% (chance 50.0%, n=40)"),
        audit.warnings());
  }
}
