package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SceneBytesStreamTest {
  private static final Path NAME = Path.of("s3a:/bucket/x_depth.npy");

  @Test
  void aStreamIsReadWholeUpToTheLimitAndRefusedPastIt() throws SceneLoadException {
    byte[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(10, SceneBytes.readAll(new ByteArrayInputStream(ten), NAME, 10).length);
    SceneLoadException e =
        assertThrows(
            SceneLoadException.class,
            () -> SceneBytes.readAll(new ByteArrayInputStream(ten), NAME, 9));
    assertEquals("file too large (more than 9 bytes)", e.reason());
    assertEquals(NAME, e.path());
    e =
        assertThrows(
            SceneLoadException.class,
            () -> SceneBytes.readAll(new ByteArrayInputStream(new byte[0]), NAME));
    assertEquals("empty file (0 bytes)", e.reason());
  }
}
