package dev.ssrl.tasks.scene;

import dev.ssrl.tasks.scene.impl.Hdf5DepthFormat;
import dev.ssrl.tasks.scene.impl.NpyDepthFormat;
import dev.ssrl.tasks.scene.impl.PfmDepthFormat;
import dev.ssrl.tasks.scene.impl.Png16DepthFormat;
import dev.ssrl.tasks.scene.impl.RgbReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The depth formats: the built-in ones (NumPy {@code .npy}, HDF5, 16-bit PNG, PFM, in that order)
 * and then those found on the class path through {@link ServiceLoader} ({@code
 * META-INF/services/dev.ssrl.tasks.scene.DepthFormat}), ordered by name. Recognising a file,
 * pairing it in a folder and probing its size all walk this one list, so a format added to it is
 * handled everywhere at once.
 *
 * <p>Why open, not a closed internal list: depth comes in more formats than we ship (EXR, TIFF,
 * vendor raw dumps), and a user with such a dataset should be able to read it from a jar of their
 * own, on the CLI's class path or a Spark job's, without a fork. Why the built-ins first and fixed:
 * output must not depend on what else is on the class path, so a file a built-in reads is read by
 * it whatever jar is added, and an extension may only claim files no built-in recognises.
 */
public final class DepthFormats {
  private DepthFormats() {}

  private static final List<DepthFormat> BUILT_IN =
      List.of(
          new NpyDepthFormat(),
          new Hdf5DepthFormat(),
          new Png16DepthFormat(),
          new PfmDepthFormat());

  /**
   * Loaded once, when first used: the class path does not change under a running JVM. A failure is
   * not kept: each use throws it again as an {@link IllegalStateException} (a static initialiser
   * would turn it into an {@link ExceptionInInitializerError} once and a bare {@link
   * NoClassDefFoundError} after).
   */
  private static volatile List<DepthFormat> all;

  /**
   * Every format: the built-in ones, then those found on the class path by name.
   *
   * @throws IllegalStateException if a provider cannot be loaded, or two formats share a name or a
   *     paired suffix
   */
  public static List<DepthFormat> all() {
    List<DepthFormat> a = all;
    if (a == null) {
      // Two threads may both load; they find the same list, and either is kept.
      a = load(DepthFormat.class.getClassLoader());
      all = a;
    }
    return a;
  }

  /** The built-in formats followed by those {@code loader} finds (see {@link #all()}). */
  static List<DepthFormat> load(ClassLoader loader) {
    List<DepthFormat> found = new ArrayList<>();
    try {
      for (DepthFormat f : ServiceLoader.load(DepthFormat.class, loader)) {
        found.add(f);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("cannot load a depth format: " + e.getMessage(), e);
    }
    found.sort(Comparator.comparing(DepthFormat::name));
    List<DepthFormat> all = new ArrayList<>(BUILT_IN);
    all.addAll(found);
    Map<String, DepthFormat> names = new HashMap<>();
    Map<String, DepthFormat> suffixes = new HashMap<>();
    for (DepthFormat f : all) {
      DepthFormat before = names.putIfAbsent(f.name(), f);
      if (before != null) {
        throw new IllegalStateException(
            "two depth formats share the name '" + f.name() + "': " + describe(before, f));
      }
      for (String s : f.pairedSuffixes()) {
        before = suffixes.putIfAbsent(s, f);
        if (before != null) {
          throw new IllegalStateException(
              "two depth formats pair the suffix '" + s + "': " + describe(before, f));
        }
      }
    }
    return List.copyOf(all);
  }

  private static String describe(DepthFormat a, DepthFormat b) {
    return a.getClass().getName() + " and " + b.getClass().getName();
  }

  /**
   * The format of a depth file: the first whose signature matches its first bytes, else the first
   * that claims it by name.
   *
   * @throws SceneLoadException if the file is missing, unreadable or empty, or no format takes it
   *     (the message lists what is supported)
   */
  public static DepthFormat recognise(DepthSource source) throws SceneLoadException {
    Objects.requireNonNull(source, "source");
    byte[] head = source.head(DepthFormat.HEAD_BYTES);
    List<DepthFormat> formats = all();
    for (DepthFormat f : formats) {
      if (f.recognises(head)) {
        return f;
      }
    }
    String name = source.fileName();
    for (DepthFormat f : formats) {
      if (f.claimsByName(name)) {
        return f;
      }
    }
    // The whole file is read as it always was before this message (the same checks apply).
    byte[] b = source.bytes();
    throw new SceneLoadException(
        source.path(),
        "unsupported depth format (" + RgbReader.sniff(b) + "); expected " + expected(formats));
  }

  /** "A, B, C or D" of the formats' descriptions. */
  private static String expected(List<DepthFormat> formats) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < formats.size(); i++) {
      if (i > 0) {
        sb.append(i == formats.size() - 1 ? " or " : ", ");
      }
      sb.append(formats.get(i).description());
    }
    return sb.toString();
  }

  /**
   * The size of the depth map in a file, from its header (for planning memory before a load).
   *
   * @throws SceneLoadException naming the file if it cannot be read, no format takes it, or its
   *     header is corrupt
   */
  public static DepthHeader probe(Path depth) throws SceneLoadException {
    DepthSource source = DepthSource.of(Objects.requireNonNull(depth, "depth"));
    return recognise(source).probe(source);
  }

  /** Every paired suffix, in order of preference (formats in order, each format's in order). */
  static List<String> pairedSuffixes() {
    List<String> out = new ArrayList<>();
    for (DepthFormat f : all()) {
      out.addAll(f.pairedSuffixes());
    }
    return out;
  }
}
