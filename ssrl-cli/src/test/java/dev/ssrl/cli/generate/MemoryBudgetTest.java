package dev.ssrl.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.BadInputCorpus;
import dev.ssrl.cli.BadInputsEndToEndTest;
import dev.ssrl.cli.ChildProcessTest;
import dev.ssrl.cli.Cli;
import dev.ssrl.cli.Main;
import dev.ssrl.cli.PngChunks;
import dev.ssrl.cli.common.Json;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneHeader;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-scene memory budget: the estimate, and scenes too large for the heap end to end. */
class MemoryBudgetTest {
  private static final List<String> IDS =
      List.of("shuffle", "flip", "crop", "depth", "position", "depth-points", "rotation");

  private static final List<Task> TASKS = IDS.stream().map(Tasks::byId).toList();

  /** The scene: just under the 50 MP load limit. */
  private static final int BIG = 7071;

  @TempDir Path tmp;

  @Test
  void theEstimateGrowsWithPixelsDepthAndTasks() {
    Random r = new Random(16);
    for (int i = 0; i < 200; i++) {
      long p = 1 + r.nextInt(60_000_000);
      long q = p + 1 + r.nextInt(1_000_000);
      long files = r.nextInt(1 << 20);
      for (boolean depth : new boolean[] {false, true}) {
        assertTrue(
            MemoryBudget.estimate(p, 3, depth, files, TASKS)
                < MemoryBudget.estimate(q, 3, depth, files, TASKS),
            "monotone in pixels: " + p + " < " + q);
      }
      assertTrue(
          MemoryBudget.estimate(p, 3, false, files, TASKS)
              < MemoryBudget.estimate(p, 3, true, files, TASKS),
          "a depth map costs memory");
      assertTrue(
          MemoryBudget.estimate(p, 3, true, files, List.of(Tasks.byId("flip")))
              < MemoryBudget.estimate(p, 3, true, files, TASKS),
          "the depth tasks cost more than flip");
      assertTrue(
          MemoryBudget.estimate(p, 3, true, files, TASKS)
              >= p * (3 + 4) + files + MemoryBudget.FIXED,
          "at least the loaded scene and its files");
    }
  }

  @Test
  void theBudgetIsTheHeapLessAReserveSharedByTheWorkers() {
    for (long max : new long[] {48L << 20, 512L << 20, 1L << 30, 16L << 30}) {
      for (int threads = 1; threads <= 16; threads *= 2) {
        MemoryBudget b = new MemoryBudget(max, threads);
        assertTrue(b.heap() < max && b.heap() >= max * 3 / 4, max + ": " + b.heap());
        assertEquals(b.heap() / threads, b.perWorker());
      }
    }
    String reason = new MemoryBudget(512L << 20, 2).overBudget("/d/x.png", 2_000L << 20);
    assertEquals(
        "memory: /d/x.png: scene needs ~2000 MB, budget 448 MB (224 MB per worker at 2 threads); raise -Xmx",
        reason);
  }

  @Test
  void theEstimateExceedsWhatAGeneratedSceneAndItsSamplesHold() throws IOException {
    Scene scene = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 7, 320, 240);
    long held = scene.rgb().data().length + 4L * scene.depth().values().length;
    for (String id : IDS) {
      Task task = Tasks.byId(id);
      GenerationOptions options = GenerationOptions.defaults();
      // Items of a scene are generated and written one at a time: the most one sample holds.
      long samples = 0;
      for (int v = 0; v < 3; v++) {
        if (task.generate(scene, 100 + v, options.withVariant(v)) instanceof Sample s) {
          long bytes = 0;
          for (Raster img : s.images()) {
            bytes += img.data().length + ImageCodec.encodeJpeg(img, 95).length;
          }
          samples = Math.max(samples, bytes);
        }
      }
      assertTrue(samples > 0, id + " gave a sample");
      long estimate = MemoryBudget.estimate(scene, List.of(task));
      assertTrue(
          estimate - MemoryBudget.FIXED > held + samples,
          id + ": estimate " + estimate + " vs scene " + held + " + samples " + samples);
    }
  }

  @Test
  void headersGiveThePixelCountWithoutDecoding() throws IOException {
    Path png = tmp.resolve("a.png");
    writeZeroPng(png, BIG, BIG, false);
    assertTrue(Files.size(png) < 1_000_000, "zeros compress: " + Files.size(png));
    Path depth = tmp.resolve("a_depth.png");
    writeZeroPng(depth, 300, 200, true);
    SceneFiles files = new SceneFiles("a", png, depth, null);
    SceneHeader h = SceneLoader.defaults().probe(files);
    assertEquals(List.of(BIG, BIG, 3), List.of(h.width(), h.height(), h.decodeBytesPerPixel()));
    // The depth PNG's size and value width come from its format's probe.
    assertEquals(new DepthHeader(300, 200, 2), h.depth());
    assertEquals(Files.size(png) + Files.size(depth), h.fileBytes());
    Path jpg = tmp.resolve("b.jpg");
    Files.write(jpg, ImageCodec.encodeJpeg(Raster.blank(160, 90), 90));
    SceneHeader j = SceneLoader.defaults().probe(SceneFiles.rgbOnly("b", jpg));
    assertEquals(List.of(160, 90, 4), List.of(j.width(), j.height(), j.decodeBytesPerPixel()));
    assertEquals(
        MemoryBudget.estimate((long) BIG * BIG, 3, 2, h.fileBytes(), TASKS),
        MemoryBudget.estimate(files, TASKS));
    assertTrue(
        MemoryBudget.estimate(files, TASKS)
            > MemoryBudget.estimate((long) BIG * BIG, 3, 2, 0, TASKS));
    // A depth map larger than its image is decoded before the pair is refused: its pixels count.
    Path bigDepth = tmp.resolve("c_depth.png");
    writeZeroPng(bigDepth, 2 * BIG, BIG / 4, true);
    Path small = tmp.resolve("c.png");
    writeZeroPng(small, 100, 100, false);
    SceneFiles c = new SceneFiles("c", small, bigDepth, null);
    assertEquals(
        MemoryBudget.estimate(
            2L * BIG * (BIG / 4), 3, 2, Files.size(small) + Files.size(bigDepth), TASKS),
        MemoryBudget.estimate(c, TASKS));
  }

  @Test
  void aFiftyMegapixelSceneAt512MbIsANamedRejectionAndTheRestIsUntouched() throws Exception {
    Path good = goodScenes(tmp.resolve("good"));
    Path mixed = goodScenes(tmp.resolve("mixed"));
    bigPair(mixed, "big");
    Path base = tmp.resolve("base");
    assertEquals(0, generate(base, good, "-Xmx512m", 1), log(base));
    Path out = tmp.resolve("out");
    assertEquals(0, generate(out, mixed, "-Xmx512m", 1), log(out));
    checkRun(base, out, List.of("big"));

    // Resume: kill a run part-way (or let it end, on a fast machine), run it again.
    Path cut = tmp.resolve("cut");
    Process p = start(cut, mixed, "-Xmx512m", 1);
    ChildProcessTest.killAfterSomeOutput(p, cut, 1);
    assertEquals(0, generate(cut, mixed, "-Xmx512m", 1), log(cut));
    assertEquals(Cli.tree(out), Cli.tree(cut), "a resumed run gives the same bytes");
  }

  @Test
  void fourSuchScenesAt1GbAndTwoThreadsCostOnlyThemselves() throws Exception {
    Path good = goodScenes(tmp.resolve("good"));
    Path mixed = goodScenes(tmp.resolve("mixed"));
    List<String> bigs = List.of("big0", "big1", "big2", "big3");
    for (String b : bigs) {
      bigPair(mixed, b);
    }
    Path base = tmp.resolve("base");
    assertEquals(0, generate(base, good, "-Xmx1g", 1), log(base));
    Path out = tmp.resolve("out");
    assertEquals(0, generate(out, mixed, "-Xmx1g", 2), log(out));
    checkRun(base, out, bigs);
  }

  @Test
  void anOutOfMemoryErrorPastTheEstimateIsRetriedAloneThenANamedRejection() throws Exception {
    Path good = goodScenes(tmp.resolve("good"));
    Path mixed = goodScenes(tmp.resolve("mixed"));
    bigPair(mixed, "big");
    Path base = tmp.resolve("base");
    assertEquals(0, generate(base, good, "-Xmx512m", 1), log(base));
    // Without the estimate the 50 MP scene is loaded (~600 MB of rasters) and runs out of heap.
    Path out = tmp.resolve("out");
    Process p = start(out, mixed, List.of("-Xmx512m", "-Dssrl.memoryBudget=false"), 2);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child finished");
    assertEquals(0, p.exitValue(), log(out));
    assertTrue(log(out).contains("out of memory on scene " + mixed.resolve("big.png")), log(out));
    assertTrue(log(out).contains("retrying it alone"), log(out));
    BadInputsEndToEndTest.PerScene big = BadInputsEndToEndTest.byScene(out).get("big");
    assertEquals(List.of(), big.samples());
    assertEquals(IDS.size(), big.rejects().size());
    for (JsonNode r : big.rejects()) {
      String reason = r.get("reason").asText();
      assertTrue(
          reason.contains("not enough memory") || reason.contains("out of memory"), r.toString());
    }
    assertEquals(
        Files.readString(base.resolve("train.jsonl")),
        Files.readString(out.resolve("train.jsonl")),
        "the good scenes' samples, in order");
    assertEquals(images(base), images(out), "the same image files, byte for byte");
  }

  /** The big scenes are memory rejections; train.jsonl and every image are the base run's. */
  private static void checkRun(Path base, Path out, List<String> bigs) throws IOException {
    Map<String, BadInputsEndToEndTest.PerScene> got = BadInputsEndToEndTest.byScene(out);
    for (String b : bigs) {
      BadInputsEndToEndTest.PerScene s = got.get(b);
      assertEquals(List.of(), s.samples(), b);
      assertEquals(IDS.size(), s.rejects().size(), b + ": one rejection per task");
      for (JsonNode r : s.rejects()) {
        assertTrue(
            r.get("reason")
                .asText()
                .matches("memory: .*/" + b + "\\.png: scene needs ~\\d+ MB, budget \\d+ MB .*"),
            r.toString());
        assertEquals(MemoryGuard.OVER_BUDGET, r.get("cause").asText(), r.toString());
      }
    }
    assertEquals(
        Files.readString(base.resolve("train.jsonl")),
        Files.readString(out.resolve("train.jsonl")),
        "the good scenes' samples, in order");
    assertEquals(images(base), images(out), "the same image files, byte for byte");
    assertTrue(images(base).size() >= 10, "the good scenes gave samples");
    JsonNode manifest = Json.MAPPER.readTree(out.resolve(Generator.MANIFEST).toFile());
    for (String t : IDS) {
      assertEquals(
          bigs.size(),
          manifest.get("rejects").get(t).get(MemoryGuard.OVER_BUDGET).asLong(),
          "manifest counts the cause for " + t + ": " + manifest.get("rejects"));
    }
  }

  private static Map<String, String> images(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>(Cli.tree(out));
    m.keySet().removeIf(k -> !k.startsWith("images/"));
    return m;
  }

  private static Path goodScenes(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < 3; i++) {
      Scene s = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 10 + i, 320, 240);
      Files.write(dir.resolve("good" + i + ".png"), ImageCodec.encodePng(s.rgb()));
      Files.write(dir.resolve("good" + i + "_depth.npy"), BadInputCorpus.npyFloat32(s.depth()));
    }
    return dir;
  }

  /** The pair: a 7071×7071 RGB PNG of zeros and a 16-bit depth PNG, streamed. */
  private static void bigPair(Path dir, String id) throws IOException {
    writeZeroPng(dir.resolve(id + ".png"), BIG, BIG, false);
    writeZeroPng(dir.resolve(id + "_depth.png"), BIG, BIG, true);
  }

  /**
   * An RGB (8-bit) or grey (16-bit) PNG of zeros, its rows streamed through the deflater: the test
   * never holds more than a row and the compressed data (~250 KB at 50 MP).
   */
  static void writeZeroPng(Path file, int w, int h, boolean grey16) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + (grey16 ? 2 : 3) * w]; // filter byte 0, then zeros
    try (OutputStream z = new DeflaterOutputStream(idat)) {
      for (int y = 0; y < h; y++) {
        z.write(row);
      }
    }
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(w).putInt(h).put((byte) (grey16 ? 16 : 8)).put((byte) (grey16 ? 0 : 2));
    ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      PngChunks.chunk(out, "IHDR", ihdr.array());
      PngChunks.chunk(out, "IDAT", idat.toByteArray());
      PngChunks.chunk(out, "IEND", new byte[0]);
    }
  }

  private static Process start(Path out, Path src, String heap, int threads) throws IOException {
    return start(out, src, List.of(heap), threads);
  }

  private static Process start(Path out, Path src, List<String> jvm, int threads)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    args.addAll(jvm);
    args.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    args.addAll(
        List.of(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            String.join(",", IDS),
            "--threads",
            Integer.toString(threads),
            src.toString()));
    return new ProcessBuilder(args)
        .redirectErrorStream(true)
        .redirectOutput(logOf(out).toFile())
        .start();
  }

  private static int generate(Path out, Path src, String heap, int threads)
      throws IOException, InterruptedException {
    Process p = start(out, src, heap, threads);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child finished");
    return p.exitValue();
  }

  private static Path logOf(Path out) {
    return out.resolveSibling(out.getFileName() + ".log");
  }

  private static String log(Path out) throws IOException {
    return Files.readString(logOf(out), StandardCharsets.UTF_8);
  }
}
