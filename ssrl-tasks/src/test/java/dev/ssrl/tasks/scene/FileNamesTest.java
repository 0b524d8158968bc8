package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names that are not plain ASCII (issue 16): a name with bytes that are not UTF-8 is listed,
 * shown with {@code \xNN} and read, never reported missing. The same under {@code LC_ALL=C} is
 * proved in a child JVM by ssrl-cli's HostileFilesEndToEndTest.
 */
class FileNamesTest {
  @TempDir Path tmp;

  @Test
  void decodeShowsEachInvalidByteEscapedAndKeepsValidText() {
    assertEquals("café.png", FileNames.decode("café.png".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "bad\\xff\\xfe.png", FileNames.decode(bytes("bad", 0xFF, 0xFE, '.', 'p', 'n', 'g')));
    // A cut two-byte sequence, a lone continuation byte, an overlong '/' and a surrogate.
    assertEquals("a\\xc3", FileNames.decode(bytes("a", 0xC3)));
    assertEquals("\\x80z", FileNames.decode(bytes("", 0x80, 'z')));
    assertEquals("\\xc0\\xafx", FileNames.decode(bytes("", 0xC0, 0xAF, 'x')));
    assertEquals("\\xed\\xa0\\x80", FileNames.decode(bytes("", 0xED, 0xA0, 0x80)));
    assertEquals("日本", FileNames.decode("日本".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void ordinaryPathsAreShownAsToStringShowsThem() {
    for (Path p : List.of(Path.of("a/b.png"), Path.of("/x/y z.npy"), tmp.resolve("ü.h5"))) {
      assertEquals(p.toString(), FileNames.display(p));
    }
  }

  private static byte[] bytes(String prefix, int... rest) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] b = java.util.Arrays.copyOf(p, p.length + rest.length);
    for (int i = 0; i < rest.length; i++) {
      b[p.length + i] = (byte) rest[i];
    }
    return b;
  }

  /**
   * Copies {@code good.png} of {@code dir} to a name with the bytes FF FE, which no Java string can
   * name under a UTF-8 locale, with /bin/sh; skips when there is no shell or the file system
   * refuses such names (some enforce UTF-8).
   */
  static Path invalidUtf8Copy(Path dir) throws IOException, InterruptedException {
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
    try (var s = Files.list(dir)) {
      return s.filter(f -> !f.getFileName().toString().equals("good.png")).findFirst().get();
    }
  }

  @Test
  void aNameWithInvalidUtf8IsListedShownEscapedAndLoaded() throws Exception {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    img.setRGB(5, 5, 0x123456);
    SceneTestImages.write(tmp, "good.png", SceneTestImages.png(img));
    Path bad = invalidUtf8Copy(tmp);
    assertEquals(tmp + "/bad\\xff\\xfe.png", FileNames.display(bad));
    List<SceneFiles> scenes = SceneFolder.scan(tmp);
    assertEquals(2, scenes.size(), scenes.toString());
    SceneFiles s = scenes.get(0);
    assertEquals("bad\\xff\\xfe", s.id());
    assertNotNull(s.load().rgb(), "the listed path is the file itself, not a re-encoded name");
    assertEquals(0x123456, s.load().rgb().rgbAt(5, 5) & 0xFFFFFF);
    // A failure names it escaped, not with U+FFFD (which would name some other file).
    Files.write(bad, new byte[] {1, 2, 3});
    SceneLoadException e = assertThrows(SceneLoadException.class, s::load);
    assertTrue(e.getMessage().startsWith(tmp + "/bad\\xff\\xfe.png: not a JPEG"), e.getMessage());
  }

  @Test
  void twoNamesThatShowTheSameAreAFolderErrorNotASilentDrop() throws Exception {
    SceneTestImages.write(
        tmp,
        "good.png",
        SceneTestImages.png(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB)));
    invalidUtf8Copy(tmp);
    // A name spelled with a literal backslash, x, f, f: shown exactly as the FF byte is.
    SceneTestImages.write(tmp, "bad\\xff\\xfe.png", new byte[] {1});
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> SceneFolder.scan(tmp));
    assertTrue(
        e.getMessage().startsWith(tmp + ": two files show as 'bad\\xff\\xfe.png'"), e.getMessage());
  }
}
