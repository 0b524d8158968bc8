package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.BadInputCorpus.Case;
import dev.ssrl.cli.BadInputCorpus.Expect;
import dev.ssrl.cli.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bad-input path of docs/RELIABILITY.md: a scene folder holding every kind of broken file
 * next to good scenes → {@code ssrl generate} with the five real tasks → exit 0, one rejection line
 * with a named reason per item of a broken scene, and samples from every usable scene.
 */
public class BadInputsEndToEndTest {
  private static final List<String> TASKS = List.of("shuffle", "flip", "crop", "depth", "position");
  private static final Set<String> DEPTH_TASKS = Set.of("depth", "position");

  @TempDir Path tmp;

  /** Per scene id: its sample lines and its rejection lines. */
  public record PerScene(List<JsonNode> samples, List<JsonNode> rejects) {}

  public static Map<String, PerScene> byScene(Path out) throws IOException {
    Map<String, PerScene> m = new LinkedHashMap<>();
    for (JsonNode s : GenerateTest.lines(out.resolve("train.jsonl"))) {
      // Sample ids are <scene>-<task>-<variant>.
      String id = s.get("id").asText();
      String key = id.substring(0, id.lastIndexOf('-', id.lastIndexOf('-') - 1));
      m.computeIfAbsent(key, k -> new PerScene(new ArrayList<>(), new ArrayList<>()))
          .samples
          .add(s);
    }
    for (JsonNode r : GenerateTest.lines(out.resolve("rejects.jsonl"))) {
      m.computeIfAbsent(
              r.get("scene").asText(), k -> new PerScene(new ArrayList<>(), new ArrayList<>()))
          .rejects
          .add(r);
    }
    return m;
  }

  @Test
  void everyBadFileCostsOnlyItsOwnSceneWithANamedReason() throws IOException {
    Path src = tmp.resolve("corpus");
    List<Case> cases = BadInputCorpus.write(src);
    Path out = tmp.resolve("out");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            String.join(",", TASKS),
            "--threads",
            "2",
            src.toString());
    assertEquals(0, r.status, r::toString);
    assertFalse(r.err.contains("generator error"), "no task threw: " + r.err);
    Map<String, PerScene> got = byScene(out);
    assertEquals(
        cases.size(), got.size(), "every scene of the corpus has an outcome: " + got.keySet());
    for (Case c : cases) {
      PerScene p = got.get(c.id());
      assertTrue(p != null, c.id() + " has no outcome");
      // The outcome table of docs/RELIABILITY.md comes from this line.
      System.out.println(
          "corpus | "
              + c.id()
              + " | "
              + p.samples.size()
              + " samples | "
              + p.rejects.stream()
                  .map(x -> x.get("reason").asText().replace(src.toString(), "DIR"))
                  .distinct()
                  .toList());
      assertEquals(
          TASKS.size(), p.samples.size() + p.rejects.size(), c.id() + ": one outcome per item");
      if (c.expect() == Expect.LOAD_REJECTED) {
        assertTrue(p.samples.isEmpty(), c.id());
        for (JsonNode rej : p.rejects) {
          String reason = rej.get("reason").asText();
          assertTrue(reason.startsWith("load: "), c.id() + " -> " + reason);
          assertTrue(reason.contains(src.toString()), c.id() + ": names the file: " + reason);
          assertTrue(reason.contains(c.reason()), c.id() + " -> " + reason);
        }
      } else {
        for (JsonNode rej : p.rejects) {
          assertFalse(rej.get("reason").asText().startsWith("load:"), c.id() + " loads: " + rej);
        }
        // An RGB task never needs depth, so a loadable scene yields at least one RGB sample.
        assertTrue(
            p.samples.stream().anyMatch(s -> !DEPTH_TASKS.contains(s.get("task").asText())),
            c.id() + " yields RGB samples: " + p.rejects);
        if (c.reason() != null) {
          // Unusable depth: each depth task is rejected with its own named reason.
          for (String t : DEPTH_TASKS) {
            JsonNode rej =
                p.rejects.stream()
                    .filter(x -> x.get("task").asText().equals(t))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(c.id() + ": no " + t + " rejection"));
            assertEquals(t + ": " + c.reason(), rej.get("reason").asText(), c.id());
          }
        }
      }
    }
    assertTrue(
        got.get("depth-nan-inf").samples.stream()
            .anyMatch(s -> DEPTH_TASKS.contains(s.get("task").asText())),
        "NaN and ±Inf are invalid pixels, not poison: the depth tasks still find regions");
    PerScene good = got.get("good-rgbd");
    assertEquals(
        Set.copyOf(TASKS),
        Set.copyOf(good.samples.stream().map(s -> s.get("task").asText()).toList()),
        "the intact RGB-D scene next to the broken files yields all five tasks: " + good.rejects);
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    long rejected = got.values().stream().mapToLong(p -> p.rejects.size()).sum();
    assertEquals(rejected, manifest.get("totals").get("rejected").asLong());
    // Counted by cause: the manifest's keys must not grow with the number of broken files.
    long counted = 0;
    for (JsonNode perTask : manifest.get("rejects")) {
      for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) perTask::fields) {
        assertFalse(
            e.getKey().contains(src.toString()), "manifest key names a file: " + e.getKey());
        counted += e.getValue().asLong();
      }
    }
    assertEquals(rejected, counted);
  }

  /**
   * A file the process may not read: a named {@code permission denied} rejection. Skipped when
   * permissions do not bind (running as root), since chmod cannot make such a file then.
   */
  @Test
  void anUnreadableFileIsARejectionNamingPermission() throws IOException {
    Path src = tmp.resolve("perm");
    Files.createDirectories(src);
    Path good = src.resolve("a-good.png");
    Path locked = src.resolve("b-locked.png");
    byte[] png =
        dev.ssrl.tasks.image.ImageCodec.encodePng(
            dev.ssrl.tasks.synthetic.SyntheticScenes.scene(1, 0, 96, 96).rgb());
    Files.write(good, png);
    Files.write(locked, png);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      assumeFalse(
          Files.isReadable(locked),
          "file permissions do not bind for this user (root?): chmod 000 leaves the file readable");
      Path out = tmp.resolve("perm-out");
      Cli r = Cli.run("generate", "--out", out.toString(), "--tasks", "shuffle", src.toString());
      assertEquals(0, r.status, r::toString);
      Map<String, PerScene> got = byScene(out);
      assertEquals(1, got.get("a-good").samples.size());
      String reason = got.get("b-locked").rejects.get(0).get("reason").asText();
      assertTrue(reason.contains("permission denied"), reason);
      assertTrue(reason.contains(locked.toString()), reason);
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
