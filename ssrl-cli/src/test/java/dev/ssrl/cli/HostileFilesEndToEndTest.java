package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import dev.ssrl.cli.generate.MemoryGuard;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.checksum.ChecksumUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, part A, end to end: {@code ssrl generate} in a child JVM (so that the locale and the
 * heap are those of a real run) over a folder of good scenes next to hostile files — an HDF5 root
 * linked into itself, an HDF5 file of 10,000 datasets, an {@code .npy} shape whose size overflows,
 * a CRLF PFM, a 16-bit RGBA PNG too large for the heap, {@code café.png} and a name with bytes that
 * are not UTF-8. Each hostile scene gets a named rejection (or loads), the run exits 0, the good
 * scenes' samples are byte-identical to a run without the hostile files, under {@code LC_ALL=C} as
 * under UTF-8, and a killed run resumes to the same bytes.
 */
class HostileFilesEndToEndTest {
  private static final String TASKS = "shuffle,flip,crop,depth,position";
  private static final int W = BadInputCorpus.W;
  private static final int H = BadInputCorpus.H;

  /** Under this heap the 4000×4000 16-bit RGBA PNG (128 MB decoded) cannot load. */
  private static final String HEAP = "-Xmx96m";

  private static final Set<String> GOOD = Set.of("good-rgbd", "good-rgb", "pfm-scene");

  @TempDir Path tmp;
  private Path good;
  private Path hostile;

  @BeforeEach
  void writeFolders() throws IOException, InterruptedException {
    good = tmp.resolve("good");
    hostile = tmp.resolve("hostile");
    Files.createDirectories(good);
    Files.createDirectories(hostile);
    Scene a = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 3, W, H);
    Scene b = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 4, W, H);
    Scene c = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 5, W, H);
    for (Path dir : List.of(good, hostile)) {
      Files.write(dir.resolve("good-rgbd.png"), ImageCodec.encodePng(a.rgb()));
      Files.write(dir.resolve("good-rgbd_depth.npy"), BadInputCorpus.npyFloat32(a.depth()));
      Files.write(dir.resolve("good-rgb.jpg"), ImageCodec.encodeJpeg(b.rgb(), 90));
      Files.write(dir.resolve("pfm-scene.png"), ImageCodec.encodePng(c.rgb()));
    }
    // The same depth, with LF line ends in the good folder and CRLF in the hostile one.
    Files.write(good.resolve("pfm-scene.pfm"), pfm(c.depth(), "\n"));
    Files.write(hostile.resolve("pfm-scene.pfm"), pfm(c.depth(), "\r\n"));

    byte[] png = ImageCodec.encodePng(b.rgb());
    Files.write(hostile.resolve("cycle.png"), png);
    Files.write(hostile.resolve("cycle.h5"), selfLinkedRoot(tmp.resolve("w.h5")));
    Files.write(hostile.resolve("many.png"), png);
    Files.write(hostile.resolve("many.h5"), manyDatasets(tmp.resolve("m.h5")));
    Files.write(hostile.resolve("overflow.png"), png);
    Files.write(hostile.resolve("overflow_depth.npy"), overflowingNpy());
    Files.write(hostile.resolve("rgba16.png"), zeroRgba16Png(4000, 4000));
    Files.write(hostile.resolve("café.png"), ImageCodec.encodePng(a.rgb()));
    Files.write(hostile.resolve("good.png"), png);
    invalidUtf8Copy(hostile); // bad\377\376.png, a copy of good.png
    Files.delete(hostile.resolve("good.png"));
  }

  @Test
  void hostileScenesAreNamedRejectionsAndTheRestIsUntouchedInTheCLocale() throws Exception {
    Map<String, String> c = Map.of("LC_ALL", "C");
    Path base = tmp.resolve("base");
    assertEquals(0, generate(c, base, good, tmp.resolve("base.log")), log("base.log"));
    Path out = tmp.resolve("out");
    assertEquals(0, generate(c, out, hostile, tmp.resolve("out.log")), log("out.log"));
    checkHostileRun(base, out, "caf\\xc3\\xa9");

    // Resume: kill a run part-way (or let it finish, on a fast machine), start it again.
    Path cut = tmp.resolve("cut");
    Process p = start(c, cut, hostile, tmp.resolve("cut.log"));
    ChildProcessTest.killAfterSomeOutput(p, cut, 1);
    assertEquals(0, generate(c, cut, hostile, tmp.resolve("resume.log")), log("resume.log"));
    assertEquals(Cli.tree(out), Cli.tree(cut), "a resumed run gives the same bytes");
  }

  @Test
  void underAUtf8LocaleIdsKeepTheirCharacters() throws Exception {
    Map<String, String> utf8 = Map.of("LC_ALL", "C.UTF-8");
    assumeTrue(
        jnuEncoding(utf8).equals("UTF-8"),
        "no C.UTF-8 locale on this machine: " + jnuEncoding(utf8));
    Path base = tmp.resolve("base");
    assertEquals(0, generate(utf8, base, good, tmp.resolve("base.log")), log("base.log"));
    Path out = tmp.resolve("out");
    assertEquals(0, generate(utf8, out, hostile, tmp.resolve("out.log")), log("out.log"));
    checkHostileRun(base, out, "café");
  }

  private void checkHostileRun(Path base, Path out, String cafeId) throws IOException {
    Map<String, BadInputsEndToEndTest.PerScene> got = BadInputsEndToEndTest.byScene(out);
    assertEquals(
        Set.of(
            "good-rgbd",
            "good-rgb",
            "pfm-scene",
            "cycle",
            "many",
            "overflow",
            "rgba16",
            cafeId,
            "bad\\xff\\xfe"),
        got.keySet());
    assertRejected(
        got,
        "cycle",
        "cycle.h5",
        "HDF5 file has no 'depth' dataset at its root; datasets present: (none)");
    assertRejected(
        got,
        "many",
        "many.h5",
        "HDF5 file has no 'depth' dataset at its root; datasets present:"
            + " /d00000, /d00001, /d00002, /d00003, /d00004 and 9995 more");
    assertRejected(
        got,
        "overflow",
        "overflow_depth.npy",
        "array 256x72057594037928128 exceeds the pixel budget of 50000000; refused before reading");
    // Its header says it needs more than the heap: rejected before any pixel is decoded.
    for (JsonNode r : got.get("rgba16").rejects()) {
      assertTrue(
          r.get("reason").asText().startsWith("memory: " + hostile.resolve("rgba16.png") + ": "),
          r.toString());
      assertEquals(MemoryGuard.OVER_BUDGET, r.get("cause").asText(), r.toString());
    }
    assertEquals(List.of(), got.get("rgba16").samples());
    // The two odd names load like any file: samples, no rejection (and never "file not found").
    for (String id : List.of(cafeId, "bad\\xff\\xfe")) {
      BadInputsEndToEndTest.PerScene s = got.get(id);
      for (JsonNode r : s.rejects()) {
        assertFalse(r.get("reason").asText().startsWith("load:"), r.toString());
      }
      assertEquals(3, s.samples().size(), id + ": shuffle, flip and crop (RGB-only)");
      for (JsonNode sample : s.samples()) {
        assertTrue(sample.get("id").asText().startsWith(id + "-"), sample.toString());
        for (JsonNode img : sample.get("images")) {
          assertTrue(Files.isRegularFile(out.resolve(img.asText())), img.asText());
        }
      }
    }
    // The good scenes, the CRLF PFM one included, are byte for byte those of the run without
    // the hostile files: their lines in train/val.jsonl, in order, and their image files.
    for (String split : List.of("train.jsonl", "val.jsonl")) {
      if (Files.exists(base.resolve(split))) {
        assertEquals(
            Files.readAllLines(base.resolve(split), StandardCharsets.UTF_8),
            goodLines(out.resolve(split)),
            split);
      }
    }
    Map<String, String> baseTree = Cli.tree(base);
    Map<String, String> outTree = Cli.tree(out);
    int images = 0;
    for (var e : baseTree.entrySet()) {
      if (e.getKey().startsWith("images/")) {
        assertEquals(e.getValue(), outTree.get(e.getKey()), e.getKey());
        images++;
      }
    }
    assertTrue(images >= 13, "the good scenes gave their samples: " + images);
    assertEquals(
        List.of("depth", "position"),
        got.get("pfm-scene").samples().stream()
            .map(s -> s.get("task").asText())
            .filter(t -> t.equals("depth") || t.equals("position"))
            .toList(),
        "the CRLF PFM scene has its depth samples");
    // Manifest keys stay short: causes, not file listings.
    JsonNode manifest = Json.MAPPER.readTree(out.resolve(Generator.MANIFEST).toFile());
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("rejects").fields();
        it.hasNext(); ) {
      for (Iterator<String> keys = it.next().getValue().fieldNames(); keys.hasNext(); ) {
        String k = keys.next();
        assertTrue(k.length() < 200, "manifest key of " + k.length() + " characters: " + k);
      }
    }
  }

  private List<String> goodLines(Path file) throws IOException {
    List<String> keep = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String id = Json.MAPPER.readTree(l).get("id").asText();
      String scene = id.substring(0, id.lastIndexOf('-', id.lastIndexOf('-') - 1));
      if (GOOD.contains(scene)) {
        keep.add(l);
      }
    }
    return keep;
  }

  private void assertRejected(
      Map<String, BadInputsEndToEndTest.PerScene> got, String id, String file, String cause) {
    BadInputsEndToEndTest.PerScene s = got.get(id);
    assertEquals(List.of(), s.samples(), id);
    assertEquals(5, s.rejects().size(), id + ": one rejection per task");
    for (JsonNode r : s.rejects()) {
      assertEquals(
          "load: " + hostile.resolve(file) + ": " + cause, r.get("reason").asText(), r.toString());
      assertEquals("load: " + cause, r.get("cause").asText(), r.toString());
    }
  }

  private String log(String name) throws IOException {
    return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
  }

  // ---------- child processes ----------

  private static Process start(Map<String, String> env, Path out, Path src, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(HEAP);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "generate",
            "--out",
            out.toString(),
            "--tasks",
            TASKS,
            "--threads",
            "1",
            src.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    locale(pb, env);
    return pb.start();
  }

  /** The child's locale is only what {@code env} says: LANG and every LC_ variable are removed. */
  private static void locale(ProcessBuilder pb, Map<String, String> env) {
    pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
    pb.environment().putAll(env);
  }

  private static int generate(Map<String, String> env, Path out, Path src, Path log)
      throws IOException, InterruptedException {
    Process p = start(env, out, src, log);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child finished");
    return p.exitValue();
  }

  /** {@code sun.jnu.encoding} (the charset of file names) of a JVM started with {@code env}. */
  private static String jnuEncoding(Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XshowSettings:properties",
                "-version")
            .redirectErrorStream(true);
    locale(pb, env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    for (String line : out.split("\n")) {
      if (line.strip().startsWith("sun.jnu.encoding = ")) {
        return line.strip().substring("sun.jnu.encoding = ".length());
      }
    }
    return "unknown";
  }

  /**
   * Copies {@code good.png} of {@code dir} to {@code bad\377\376.png} with /bin/sh (no Java string
   * names it); skips when there is no shell or the file system refuses such names.
   */
  private static void invalidUtf8Copy(Path dir) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh to create a non-UTF-8 name");
    Process p =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "cd \"$1\" && cp good.png \"$(printf 'bad\\377\\376.png')\"",
                "sh",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assumeTrue(p.exitValue() == 0, "the file system refused a non-UTF-8 name: " + out);
  }

  // ---------- hostile files ----------

  /** A one-channel little-endian PFM of {@code d} with the given line end. */
  static byte[] pfm(DepthMap d, String eol) {
    byte[] head =
        ("Pf" + eol + d.width() + " " + d.height() + eol + "-1.0" + eol)
            .getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(head.length + 4 * d.width() * d.height());
    b.put(head).order(ByteOrder.LITTLE_ENDIAN);
    for (int y = d.height() - 1; y >= 0; y--) {
      for (int x = 0; x < d.width(); x++) {
        b.putFloat(d.at(x, y));
      }
    }
    return b.array();
  }

  /**
   * The shape {@code (2^56 + 192, 256)}, whose element count wraps to 256 × 192 in long
   * arithmetic, with 256 × 192 floats of data after the header (what the old reader then read).
   */
  private static byte[] overflowingNpy() {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (72057594037928128, 256), }";
    StringBuilder sb = new StringBuilder(dict);
    while ((10 + sb.length() + 1) % 64 != 0) {
      sb.append(' ');
    }
    byte[] header = sb.append('\n').toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length + 4 * W * H).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length).put(header);
    return b.array();
  }

  /** An all-zero 16-bit RGBA PNG (a few hundred KB; 8 bytes a pixel once decoded). */
  private static byte[] zeroRgba16Png(int w, int h) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 16).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    PngChunks.chunk(png, "IHDR", ihdr.array());
    Deflater def = new Deflater(9);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + 8 * w]; // filter byte 0, then zeros
    byte[] buf = new byte[1 << 16];
    for (int y = 0; y < h; y++) {
      def.setInput(row);
      while (!def.needsInput()) {
        idat.write(buf, 0, def.deflate(buf));
      }
    }
    def.finish();
    while (!def.finished()) {
      idat.write(buf, 0, def.deflate(buf));
    }
    def.end();
    PngChunks.chunk(png, "IDAT", idat.toByteArray());
    PngChunks.chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static byte[] manyDatasets(Path scratch) throws IOException {
    try (WritableHdfFile f = HdfFile.write(scratch)) {
      for (int i = 0; i < 10_000; i++) {
        f.putDataset(String.format("d%05d", i), new byte[] {1});
      }
    }
    return Files.readAllBytes(scratch);
  }

  /**
   * h5py's {@code f["self"] = f["/"]}: jHDF writes a root holding a group {@code self}; the hard
   * link's address (the 8 bytes after its name in the link message) is then set to the root's own,
   * and the root object header's Jenkins checksum recomputed. Offsets: HDF5 file format
   * specification 3.0, superblock v2 (root header address at byte 36) and object header v2.
   */
  private static byte[] selfLinkedRoot(Path scratch) throws IOException {
    try (WritableHdfFile f = HdfFile.write(scratch)) {
      f.putGroup("self");
    }
    byte[] b = Files.readAllBytes(scratch);
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertTrue(b[8] == 2 || b[8] == 3, "superblock v2/v3");
    int root = (int) le.getLong(36);
    int flags = b[root + 5] & 0xFF;
    assertEquals(0, flags & 0x30, "jHDF writes no times and no attribute phase values");
    int sizeBytes = 1 << (flags & 3);
    assertEquals(4, sizeBytes);
    int messages = root + 6 + sizeBytes;
    int end = messages + le.getInt(root + 6);
    byte[] name = "self".getBytes(StandardCharsets.US_ASCII);
    int at = -1;
    for (int i = messages; i + name.length + 8 <= end && at < 0; i++) {
      if (b[i - 1] == name.length && Arrays.equals(b, i, i + name.length, name, 0, name.length)) {
        at = i + name.length;
      }
    }
    assertTrue(at > 0, "link 'self' found in the root header");
    le.putLong(at, root);
    le.putInt(end, ChecksumUtils.checksum(Arrays.copyOfRange(b, root, end)));
    return b;
  }
}
