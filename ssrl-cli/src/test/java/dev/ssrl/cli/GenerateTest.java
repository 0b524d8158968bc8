package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.GenerateCommand;
import dev.ssrl.cli.generate.Generator;
import dev.ssrl.cli.generate.SceneSources;
import dev.ssrl.dataset.DatasetConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class GenerateTest {
  @TempDir Path tmp;

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> list = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      list.add(Json.MAPPER.readTree(l));
    }
    return list;
  }

  static int placeholders(String problem) {
    int n = 0;
    for (int i = problem.indexOf("<image>"); i >= 0; i = problem.indexOf("<image>", i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void writesSamplesWithImagesRejectsAndManifest() throws IOException {
    Path out = tmp.resolve("ds");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "tiles,picky,five",
            "--builtin-scenes",
            "6",
            "--threads",
            "2",
            "--seed",
            "3");
    assertEquals(0, r.status, r::toString);
    List<JsonNode> train = lines(out.resolve("train.jsonl"));
    List<JsonNode> rejects = lines(out.resolve("rejects.jsonl"));
    assertEquals(6 * 3, train.size() + rejects.size(), "every item is a sample or a rejection");
    Set<String> ids = new HashSet<>();
    for (JsonNode s : train) {
      List<String> keys = new ArrayList<>();
      s.fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of("id", "task", "problem", "answer", "images", "metadata"), keys);
      assertTrue(ids.add(s.get("id").asText()), "ids are unique");
      assertEquals(placeholders(s.get("problem").asText()), s.get("images").size());
      int k = 0;
      for (JsonNode p : s.get("images")) {
        String expected =
            "images/"
                + s.get("task").asText()
                + "/"
                + s.get("id").asText()
                + (k == 0 ? "" : "_" + k)
                + ".jpg";
        assertEquals(expected, p.asText());
        BufferedImage img = ImageIO.read(out.resolve(p.asText()).toFile());
        assertEquals(32, img.getWidth(), "image is a readable JPEG");
        k++;
      }
    }
    assertTrue(train.stream().anyMatch(s -> s.get("images").size() == 5));
    for (JsonNode rej : rejects) {
      assertEquals("picky", rej.get("task").asText());
      assertEquals("picky: unlucky seed", rej.get("reason").asText());
    }
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals(3, manifest.get("seed").asLong());
    long counted = 0;
    for (String t : List.of("tiles", "picky", "five")) {
      long n = train.stream().filter(s -> s.get("task").asText().equals(t)).count();
      assertEquals(n, manifest.get("counts").get(t).get("train").asLong(), t);
      counted += n;
    }
    assertEquals(counted, manifest.get("totals").get("train").asLong());
    assertEquals(
        rejects.size(),
        manifest.path("rejects").path("picky").path("picky: unlucky seed").asLong(0));
    assertTrue(manifest.get("run").has("started") && manifest.get("run").has("finished"));
    assertFalse(Files.exists(out.resolve(Generator.TMP)), "temporary folder is removed");
  }

  @Test
  void sameBytesWhateverTheThreadCount() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    String[] common = {
      "--tasks",
      "tiles,picky,five",
      "--builtin-scenes",
      "9",
      "--per-scene",
      "2",
      "--val-fraction",
      "0.3",
      "--parquet",
      "--verl"
    };
    assertEquals(
        0,
        Cli.run(concat(new String[] {"generate", "--out", a.toString(), "--threads", "1"}, common))
            .status);
    assertEquals(
        0,
        Cli.run(concat(new String[] {"generate", "--out", b.toString(), "--threads", "3"}, common))
            .status);
    Map<String, String> ta = Cli.tree(a);
    assertTrue(ta.containsKey("val.jsonl") && ta.containsKey("verl/train.parquet"));
    assertEquals(ta, Cli.tree(b));
  }

  @Test
  void validationSplitIsByScene() throws IOException {
    Path out = tmp.resolve("split");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "tiles,five",
            "--builtin-scenes",
            "20",
            "--val-fraction",
            "0.4",
            "--per-scene",
            "2");
    assertEquals(0, r.status, r::toString);
    Set<String> trainScenes = new HashSet<>();
    for (JsonNode s : lines(out.resolve("train.jsonl"))) {
      trainScenes.add(s.get("id").asText().replaceAll("-(tiles|five)-\\d+$", ""));
    }
    Set<String> valScenes = new HashSet<>();
    for (JsonNode s : lines(out.resolve("val.jsonl"))) {
      valScenes.add(s.get("id").asText().replaceAll("-(tiles|five)-\\d+$", ""));
    }
    assertFalse(valScenes.isEmpty());
    assertFalse(trainScenes.isEmpty());
    valScenes.retainAll(trainScenes);
    assertTrue(valScenes.isEmpty(), "no scene in both splits: " + valScenes);
  }

  @Test
  void resumesAfterAnInterruptionWithHalfWrittenOutput() throws IOException {
    Path whole = tmp.resolve("whole");
    Path cut = tmp.resolve("cut");
    String[] args = {
      "generate",
      "--tasks",
      "tiles,picky,five",
      "--builtin-scenes",
      "30",
      "--threads",
      "2",
      "--val-fraction",
      "0.2",
      "--parquet"
    };
    assertEquals(0, Cli.run(concat(args, new String[] {"--out", whole.toString()})).status);

    GenerateCommand cmd = new GenerateCommand(null);
    picocli.CommandLine.populateCommand(
        cmd,
        concat(
            java.util.Arrays.copyOfRange(args, 1, args.length),
            new String[] {"--out", cut.toString()}));
    DatasetConfig config = cmd.config(Tasks.all());
    Map<String, dev.ssrl.api.Task> tasks = new java.util.LinkedHashMap<>();
    for (String t : config.tasks()) {
      tasks.put(t, Tasks.byId(t));
    }
    Generator g = new Generator(config, tasks, cut, 2, System.err);
    g.stopAfterChunks = 2;
    assertThrows(Generator.Stopped.class, () -> g.run(SceneSources.builtIn(30), false));
    // What a kill leaves behind: half a line after the last commit, a stray temporary image.
    for (String f : List.of("train.jsonl", "val.jsonl", "rejects.jsonl")) {
      Files.writeString(
          cut.resolve(f), "{\"id\":\"half", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
    Files.write(cut.resolve(Generator.TMP).resolve("w123.tmp"), new byte[] {1, 2, 3});
    assertFalse(Files.exists(cut.resolve("manifest.json")));

    Cli r = Cli.run(concat(args, new String[] {"--out", cut.toString()}));
    assertEquals(0, r.status, r::toString);
    assertTrue(r.err.contains("resuming"), r.err);
    assertEquals(Cli.tree(whole), Cli.tree(cut));
  }

  @Test
  void rerunningAFinishedRunChangesNothing() throws IOException {
    Path out = tmp.resolve("again");
    String[] args = {
      "generate", "--out", out.toString(), "--tasks", "tiles", "--builtin-scenes", "3"
    };
    assertEquals(0, Cli.run(args).status);
    Map<String, String> first = Cli.tree(out);
    assertEquals(0, Cli.run(args).status);
    assertEquals(first, Cli.tree(out));
  }

  @Test
  void refusesToResumeWithOtherArgumentsUnlessOverwrite() throws IOException {
    Path out = tmp.resolve("other");
    assertEquals(
        0,
        Cli.run("generate", "--out", out.toString(), "--tasks", "tiles", "--builtin-scenes", "3")
            .status);
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "tiles",
            "--builtin-scenes",
            "3",
            "--seed",
            "9");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("--seed: was 0, now 9"), r.err);
    Cli o =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "tiles",
            "--builtin-scenes",
            "3",
            "--seed",
            "9",
            "--overwrite");
    assertEquals(0, o.status, o::toString);
    assertEquals(
        9, Json.MAPPER.readTree(out.resolve("manifest.json").toFile()).get("seed").asLong());
  }

  @Test
  void refusesAFolderWithForeignFiles() throws IOException {
    Path out = tmp.resolve("foreign");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    Cli r =
        Cli.run("generate", "--out", out.toString(), "--tasks", "tiles", "--builtin-scenes", "1");
    assertEquals(2, r.status, r::toString);
    assertTrue(r.err.contains("not empty"), r.err);
  }

  @Test
  void exitStatusTwoForUnusableArguments() {
    String out = tmp.resolve("x").toString();
    assertEquals(2, Cli.run("generate", "--out", out, "--tasks", "nosuch").status);
    assertTrue(Cli.run("generate", "--out", out, "--tasks", "nosuch").err.contains("known tasks"));
    assertEquals(2, Cli.run("generate", "--out", out, "--mix", "tiles=two").status);
    assertEquals(2, Cli.run("generate", "--out", out, "--mix", "tiles=-1").status);
    assertEquals(
        2, Cli.run("generate", "--out", out, "--tasks", "tiles", "--mix", "five=1").status);
    assertEquals(2, Cli.run("generate", "--out", out, "--per-scene", "zero").status);
    assertEquals(2, Cli.run("generate", "--out", out, "--jpeg-quality", "0").status);
    assertEquals(2, Cli.run("generate", "--out", out, "--val-fraction", "1").status);
    assertEquals(2, Cli.run("generate").status, "--out is required");
    assertEquals(2, Cli.run("generate", "--out", out, "--bogus").status);
    assertEquals(2, Cli.run("nosuchcommand").status);
    assertEquals(
        2,
        Cli.run(
                "generate",
                "--out",
                out,
                "--tasks",
                "slow",
                "--param",
                "slow.ms=x",
                "--builtin-scenes",
                "1")
            .status,
        "a task's IllegalArgumentException for a parameter is a usage error");
  }

  @Test
  void exitStatusOneWhenTheOutputCannotBeWritten() throws IOException {
    Path file = tmp.resolve("afile");
    Files.writeString(file, "x");
    Cli r =
        Cli.run("generate", "--out", file.toString(), "--tasks", "tiles", "--builtin-scenes", "1");
    assertEquals(1, r.status, r::toString);
    assertTrue(r.err.contains(file.toString()), r.err);
  }

  @Test
  void mixWeightsSetVariantsPerTask() throws IOException {
    Path out = tmp.resolve("mix");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--mix",
            "tiles=2,five=0",
            "--builtin-scenes",
            "4");
    assertEquals(0, r.status, r::toString);
    List<JsonNode> train = lines(out.resolve("train.jsonl"));
    assertEquals(8, train.size());
    assertTrue(train.stream().allMatch(s -> s.get("task").asText().equals("tiles")));
    assertEquals("synthetic-0000-tiles-1", train.get(1).get("id").asText());
  }

  @Test
  void aSceneThatFailsToLoadIsARejectionAndTheRunGoesOn() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    BufferedImage img = new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 80; x++) {
        img.setRGB(x, y, (x * 3) << 16 | (y * 4) << 8 | (x + y));
      }
    }
    ImageIO.write(img, "png", src.resolve("good.png").toFile());
    Files.writeString(src.resolve("broken.jpg"), "not a jpeg");
    // A 16-bit depth companion (millimetres): paired with good.png, never a scene of its own.
    BufferedImage depth = new BufferedImage(80, 64, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 80; x++) {
        depth.getRaster().setSample(x, y, 0, 1000 + 10 * y);
      }
    }
    ImageIO.write(depth, "png", src.resolve("good_depth.png").toFile());
    Path out = tmp.resolve("load");
    Cli r = Cli.run("generate", "--out", out.toString(), "--tasks", "tiles", src.toString());
    assertEquals(0, r.status, r::toString);
    List<JsonNode> train = lines(out.resolve("train.jsonl"));
    assertEquals(1, train.size());
    assertEquals("good-tiles-0", train.get(0).get("id").asText());
    List<JsonNode> rejects = lines(out.resolve("rejects.jsonl"));
    assertEquals(1, rejects.size());
    assertEquals("broken", rejects.get(0).get("scene").asText());
    assertTrue(rejects.get(0).get("reason").asText().startsWith("load: "), rejects.toString());
    assertTrue(rejects.get(0).get("reason").asText().contains("broken.jpg"));
  }

  @Test
  void parquetFilesReadBackWithParquetMr() throws IOException {
    Path out = tmp.resolve("pq");
    Cli r =
        Cli.run(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            "tiles,five",
            "--builtin-scenes",
            "3",
            "--parquet",
            "--verl");
    assertEquals(0, r.status, r::toString);
    List<JsonNode> train = lines(out.resolve("train.jsonl"));
    List<org.apache.parquet.example.data.Group> rows =
        ParquetRead.rows(out.resolve("train.parquet"));
    assertEquals(train.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      var row = rows.get(i);
      JsonNode line = train.get(i);
      assertEquals(line.get("id").asText(), row.getString("id", 0));
      assertEquals(line.get("problem").asText(), row.getString("problem", 0));
      assertEquals(line.get("answer").asText(), row.getString("answer", 0));
      var images = row.getGroup("images", 0);
      assertEquals(line.get("images").size(), images.getFieldRepetitionCount("list"));
      for (int k = 0; k < line.get("images").size(); k++) {
        assertEquals(
            line.get("images").get(k).asText(), images.getGroup("list", k).getString("element", 0));
      }
      assertEquals(line.get("metadata"), Json.MAPPER.readTree(row.getString("metadata", 0)));
    }
    List<org.apache.parquet.example.data.Group> verl =
        ParquetRead.rows(out.resolve("verl/train.parquet"));
    assertEquals(train.size(), verl.size());
    for (int i = 0; i < verl.size(); i++) {
      var row = verl.get(i);
      JsonNode line = train.get(i);
      assertEquals("ssrl/" + line.get("task").asText(), row.getString("data_source", 0));
      var msg = row.getGroup("prompt", 0).getGroup("list", 0).getGroup("element", 0);
      assertEquals("user", msg.getString("role", 0));
      assertEquals(line.get("problem").asText(), msg.getString("content", 0));
      var rm = row.getGroup("reward_model", 0);
      assertEquals("rule", rm.getString("style", 0));
      assertEquals(line.get("answer").asText(), rm.getString("ground_truth", 0));
      var extra = row.getGroup("extra_info", 0);
      assertEquals(i, extra.getLong("index", 0));
      assertEquals("train", extra.getString("split", 0));
      var img = row.getGroup("images", 0).getGroup("list", 0).getGroup("element", 0);
      byte[] expected = Files.readAllBytes(out.resolve(line.get("images").get(0).asText()));
      assertTrue(java.util.Arrays.equals(expected, img.getBinary("bytes", 0).getBytes()));
    }
  }

  public static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
