package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Outcome;
import dev.ssrl.api.Reward;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import dev.ssrl.verify.Verifiers;
import org.junit.jupiter.api.Test;

/** What a user of the published artifacts writes: generate a sample, then score an answer. */
class ConsumerTest {

  @Test
  void generatesAndScoresWithThePublishedArtifacts() {
    assertEquals(
        java.util.Set.of(
            "crop", "depth", "depth-points", "flip", "position", "rotation", "shuffle"),
        Tasks.all().keySet());
    // The opt-in tasks beyond the paper are known but not in the default run.
    assertEquals(
        java.util.List.of("shuffle", "flip", "crop", "depth", "position"),
        Tasks.defaultOrder(Tasks.all()));

    Scene scene = SyntheticScenes.builtIn(1).get(0);
    Task shuffle = Tasks.byId("shuffle");
    Outcome outcome = shuffle.generate(scene, 42L);
    assertTrue(outcome instanceof Sample, () -> "rejected: " + outcome);
    Sample sample = (Sample) outcome;

    String rollout = "<think>the sky belongs on top</think> so \\boxed{" + sample.answer() + "}";
    Reward reward = Verifiers.reference().score(rollout, sample.answer());
    assertEquals(1.0, reward.overall());
  }
}
