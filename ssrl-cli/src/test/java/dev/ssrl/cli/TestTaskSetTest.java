package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssrl.api.Tasks;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tasks this module's tests see: the built-in ones (the five and the two opt-in ones) and the
 * fakes of {@link FakeTasks}, never the example sixth task of ssrl-tasks' test jar, which only
 * {@link SixthTaskTest}'s own surefire execution sees (ssrl-cli/pom.xml). Counts and default task
 * lists in the other tests rest on this.
 */
class TestTaskSetTest {
  @Test
  void theOtherTestsSeeTheBuiltInTasksAndTheFakesOnly() {
    assertEquals(
        Set.of(
            "shuffle",
            "flip",
            "crop",
            "depth",
            "position",
            "depth-points",
            "rotation",
            "tiles",
            "picky",
            "five",
            "slow"),
        Tasks.all().keySet());
  }
}
