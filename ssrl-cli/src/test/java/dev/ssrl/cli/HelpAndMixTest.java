package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelpAndMixTest {
  @Test
  void helpListsTheCommandsWithExamples() {
    Cli r = Cli.run("--help");
    assertEquals(0, r.status);
    for (String s : List.of("generate", "score", "serve", "preview", "curate", "Examples:")) {
      assertTrue(r.out.contains(s), s + " in\n" + r.out);
    }
  }

  @Test
  void everyCommandHasHelpWithAnExample() {
    for (String c : List.of("generate", "score", "serve", "preview", "curate")) {
      Cli r = Cli.run(c, "--help");
      assertEquals(0, r.status, c);
      assertTrue(r.out.contains("Example") && r.out.contains("ssrl " + c), c + ":\n" + r.out);
    }
  }
  // The --mix and split rules themselves are ssrl-dataset's DatasetConfigTest.
}
