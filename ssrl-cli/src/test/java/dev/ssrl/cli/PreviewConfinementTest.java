package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.generate.Generator;
import dev.ssrl.cli.preview.PreviewCommand;
import dev.ssrl.cli.preview.PreviewCommandTest;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssrl preview} inlines only regular files inside the dataset folder, within the size limit;
 * every other {@code images} entry becomes a named placeholder and is never opened.
 */
class PreviewConfinementTest {
  @TempDir Path tmp;

  private static final String SECRET = "SECRET-OUTSIDE-THE-DATASET-0123456789";

  @Test
  void hostileImagePathsBecomeNamedPlaceholdersAndAreNeverRead() throws Exception {
    Path ds = tmp.resolve("ds");
    assertEquals(0, Cli.run("generate", "--out", ds.toString(), "--tasks", "five").status);
    Path outside = tmp.resolve("outside.jpg");
    Files.writeString(outside, SECRET);
    Files.createSymbolicLink(ds.resolve("images/link-out.jpg"), outside);
    Files.createSymbolicLink(ds.resolve("images/link-zero.jpg"), Path.of("/dev/zero"));
    Path fifo = ds.resolve("images/fifo.jpg");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
    try (RandomAccessFile big = new RandomAccessFile(ds.resolve("images/big.jpg").toFile(), "rw")) {
      big.setLength(1_000_001); // sparse: one byte over the limit used below
    }
    Path small = ds.resolve("images/small.jpg");
    Files.write(small, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});

    // Each hostile entry, and the reason its placeholder must name.
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/etc/passwd", "outside the dataset folder (resolves to /etc/passwd)");
    cases.put("../outside.jpg", "outside the dataset folder (resolves to ");
    cases.put("images/../../outside.jpg", "outside the dataset folder");
    cases.put(
        "images/link-out.jpg", "outside the dataset folder (resolves to " + outside.toRealPath());
    cases.put("/proc/self/environ", "outside the dataset folder (resolves to /proc/");
    cases.put("/dev/zero", "outside the dataset folder (resolves to /dev/zero)");
    cases.put("images/link-zero.jpg", "outside the dataset folder (resolves to /dev/zero)");
    cases.put("images/fifo.jpg", "not a regular file (a FIFO, socket or device)");
    cases.put("images", "not a regular file (a folder)");
    cases.put("", "not a regular file (a folder)");
    cases.put("images/big.jpg", "1000001 bytes, over the limit of 1000000 (--max-image-bytes)");
    cases.put("images/missing.jpg", "no such file");
    cases.put("images/nul\u0000.jpg", "not a valid path");

    Path train = ds.resolve(Generator.TRAIN);
    List<String> lines = Files.readAllLines(train, StandardCharsets.UTF_8);
    ObjectNode first = (ObjectNode) Json.MAPPER.readTree(lines.get(0));
    ArrayNode images = first.putArray("images");
    images.add("images/small.jpg");
    cases.keySet().forEach(images::add);
    List<String> changed = new ArrayList<>(lines);
    changed.set(0, Json.MAPPER.writeValueAsString(first));
    Files.write(train, changed, StandardCharsets.UTF_8);

    Path html = tmp.resolve("preview.html");
    // A FIFO that was opened would block for ever (no writer): the timeout proves it was not.
    Cli r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                Cli.run(
                    "preview",
                    "--dataset",
                    ds.toString(),
                    "--out",
                    html.toString(),
                    "--max-image-bytes",
                    "1000000"));
    assertEquals(0, r.status, r::toString);
    String page = Files.readString(html, StandardCharsets.UTF_8);
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String placeholder =
          "image <code>"
              + PreviewCommand.escape(c.getKey())
              + "</code> not shown: "
              + PreviewCommand.escape(c.getValue());
      assertTrue(page.contains(placeholder), () -> "placeholder for '" + c.getKey() + "'");
      assertTrue(r.err.contains("image " + c.getKey() + " of sample "), r.err);
    }
    assertTrue(r.err.contains("(" + cases.size() + " images not shown"), r.err);
    // The allowed image is inlined; nothing from outside is, in any form.
    assertTrue(
        page.contains(Base64.getEncoder().encodeToString(Files.readAllBytes(small))),
        "the good image");
    assertFalse(page.contains(Base64.getEncoder().encodeToString(SECRET.getBytes())));
    assertFalse(page.contains("root:"), "no /etc/passwd");
    String passwd = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of("/etc/passwd")));
    assertFalse(page.contains(passwd.substring(0, Math.min(16, passwd.length()))));
    // The other samples' images are still inlined, one per <img>.
    assertEquals(
        PreviewCommandTest.count(page, "<img "),
        PreviewCommandTest.count(page, "src=\"data:image/jpeg;base64,"));
    assertTrue(PreviewCommandTest.count(page, "<img ") > 1);
  }

  @Test
  void aSymlinkInsideTheDatasetToAnotherFileInsideIsShown() throws Exception {
    Path ds = tmp.resolve("ds");
    assertEquals(0, Cli.run("generate", "--out", ds.toString(), "--tasks", "tiles").status);
    Path train = ds.resolve(Generator.TRAIN);
    ObjectNode first =
        (ObjectNode) Json.MAPPER.readTree(Files.readAllLines(train, StandardCharsets.UTF_8).get(0));
    Path target = ds.resolve(first.get("images").get(0).asText());
    Files.createSymbolicLink(ds.resolve("images/alias.jpg"), target);
    first.putArray("images").add("images/alias.jpg");
    List<String> lines = Files.readAllLines(train, StandardCharsets.UTF_8);
    lines.set(0, Json.MAPPER.writeValueAsString(first));
    Files.write(train, lines, StandardCharsets.UTF_8);
    Path html = tmp.resolve("p.html");
    Cli r = Cli.run("preview", "--dataset", ds.toString(), "--out", html.toString());
    assertEquals(0, r.status, r::toString);
    assertTrue(
        Files.readString(html)
            .contains(Base64.getEncoder().encodeToString(Files.readAllBytes(target))));
    assertFalse(r.err.contains("not shown"), r.err);
  }
}
