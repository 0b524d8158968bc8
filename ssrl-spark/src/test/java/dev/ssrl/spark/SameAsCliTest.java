package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job restates the CLI's rules (work items, {@code --mix}, the validation split, line
 * format); this test holds them together: the same scenes and settings through {@code ssrl
 * generate} (the shaded jar the reactor built before this module) and through {@link
 * SparkGenerator} give the same JSONL lines, the same image bytes and the same rejections.
 */
class SameAsCliTest {

  @Test
  void sparkAndTheCliWriteTheSameDataset(@TempDir Path dir) throws Exception {
    Path jar = Path.of("../ssrl-cli/target/ssrl.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      String why = jar + " is not built (build the whole reactor, not ssrl-spark alone)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Path cli = dir.resolve("cli");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-jar",
                jar.toString(),
                "generate",
                "--out",
                cli.toString(),
                "--builtin-scenes",
                "6",
                "--seed",
                "11",
                "--per-scene",
                "2",
                "--mix",
                "shuffle=1,flip=0.5,crop=1,depth=1,position=0.5",
                "--val-fraction",
                "0.34",
                "--threads",
                "1")
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ssrl generate did not finish");
    assertEquals(0, p.exitValue(), log);

    SparkSession spark = LocalSpark.session();
    Path sp = dir.resolve("spark");
    SparkGenerator.builder()
        .seed(11)
        .perScene(2)
        .mix("shuffle", 1)
        .mix("flip", 0.5)
        .mix("crop", 1)
        .mix("depth", 1)
        .mix("position", 0.5)
        .valFraction(0.34)
        .partitions(3)
        .build()
        .write(spark, SceneListing.synthetic(6), sp.toString());

    for (String split : List.of("train", "val")) {
      List<String> cliLines = Files.readAllLines(cli.resolve(split + ".jsonl"));
      List<String> sparkLines = new ArrayList<>();
      for (JsonNode n : Datasets.lines(sp, split + ".jsonl")) {
        sparkLines.add(Json.MAPPER.writeValueAsString(n));
      }
      List<String> cliNormalised = new ArrayList<>();
      for (String line : cliLines) {
        cliNormalised.add(Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(line)));
      }
      assertTrue(!cliNormalised.isEmpty(), split + " is not empty: the test would prove nothing");
      assertEquals(new TreeSet<>(cliNormalised), new TreeSet<>(sparkLines), split + ".jsonl");
    }
    assertEquals(imageHashes(cli), imageHashes(sp), "image files and their bytes");
    assertEquals(rejections(Files.readAllLines(cli.resolve("rejects.jsonl"))), rejections(sp));
    JsonNode cliAudit = Json.MAPPER.readTree(cli.resolve("manifest.json").toFile()).get("audit");
    JsonNode sparkAudit = Json.MAPPER.readTree(sp.resolve("manifest.json").toFile()).get("audit");
    assertTrue(cliAudit != null && cliAudit.get("tasks").size() == 5, "the CLI audits every task");
    assertEquals(cliAudit, sparkAudit, "manifest audit");
  }

  private static Map<String, String> imageHashes(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (String f : Datasets.files(out.resolve("images"))) {
      m.put(f, Datasets.sha256(out.resolve("images").resolve(f)));
    }
    return m;
  }

  private static TreeSet<String> rejections(List<String> lines) throws IOException {
    TreeSet<String> s = new TreeSet<>();
    for (String line : lines) {
      s.add(key(Json.MAPPER.readTree(line)));
    }
    return s;
  }

  private static TreeSet<String> rejections(Path sparkOut) throws IOException {
    TreeSet<String> s = new TreeSet<>();
    for (JsonNode n : Datasets.lines(sparkOut, "rejects.jsonl")) {
      s.add(key(n));
    }
    return s;
  }

  private static String key(JsonNode n) {
    return n.get("scene").asText()
        + " "
        + n.get("task").asText()
        + " "
        + n.get("variant").asText()
        + " "
        + n.get("reason").asText();
  }
}
