package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.DepthMap;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's rules: the built-in formats first in their fixed order (the pairing order of
 * {@link SceneFolder} and the "expected ..." list of an unsupported file follow from it),
 * extensions after them by name, and a clash of names or paired suffixes refused rather than
 * resolved by class path order.
 */
public class DepthFormatsTest {
  @TempDir Path tmp;

  @Test
  void theBuiltInFormatsComeFirstInTheirOrder() {
    List<DepthFormat> all = DepthFormats.all();
    assertEquals(
        List.of("npy", "hdf5", "png16", "pfm"),
        all.subList(0, 4).stream().map(DepthFormat::name).toList());
    assertEquals(
        List.of("_depth.npy", ".h5", "_depth.h5", "_depth.png", ".pfm", "_depth.pfm"),
        DepthFormats.pairedSuffixes().subList(0, 6));
  }

  @Test
  void extensionsFollowByNameWhateverTheirServiceOrder() throws IOException {
    List<DepthFormat> all = load(Zeta.class.getName(), Alpha.class.getName());
    assertEquals(
        List.of("npy", "hdf5", "png16", "pfm", "alpha", "zeta"),
        all.stream().map(DepthFormat::name).toList());
  }

  @Test
  void aSharedNameOrSuffixIsRefused() throws IOException {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> load(NamedNpy.class.getName()));
    assertTrue(e.getMessage().contains("share the name 'npy'"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> load(PairsPng.class.getName()));
    assertTrue(e.getMessage().contains("pair the suffix '_depth.png'"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> load("no.such.Format"));
    assertTrue(e.getMessage().startsWith("cannot load a depth format"), e.getMessage());
  }

  /** The formats a class loader sees with the given service lines added. */
  private List<DepthFormat> load(String... providers) throws IOException {
    Path services = Files.createDirectories(tmp.resolve("META-INF/services"));
    Files.write(services.resolve(DepthFormat.class.getName()), List.of(providers));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      return DepthFormats.load(loader);
    }
  }

  /** A format that recognises nothing, for the registry's rules. */
  public abstract static class Fake implements DepthFormat {
    @Override
    public String description() {
      return name();
    }

    @Override
    public List<String> pairedSuffixes() {
      return List.of("_depth." + name());
    }

    @Override
    public boolean recognises(byte[] head) {
      return false;
    }

    @Override
    public DepthHeader probe(DepthSource source) throws SceneLoadException {
      throw new SceneLoadException(source.path(), "not used");
    }

    @Override
    public DepthMap read(DepthSource source, long maxPixels, double depthScale)
        throws SceneLoadException {
      throw new SceneLoadException(source.path(), "not used");
    }
  }

  public static final class Alpha extends Fake {
    @Override
    public String name() {
      return "alpha";
    }
  }

  public static final class Zeta extends Fake {
    @Override
    public String name() {
      return "zeta";
    }
  }

  public static final class NamedNpy extends Fake {
    @Override
    public String name() {
      return "npy";
    }

    @Override
    public List<String> pairedSuffixes() {
      return List.of("_other.npy");
    }
  }

  public static final class PairsPng extends Fake {
    @Override
    public String name() {
      return "mine";
    }

    @Override
    public List<String> pairedSuffixes() {
      return List.of("_depth.png");
    }
  }
}
