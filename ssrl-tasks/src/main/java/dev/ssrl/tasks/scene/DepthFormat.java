package dev.ssrl.tasks.scene;

import dev.ssrl.api.DepthMap;
import java.util.List;

/**
 * A depth file format: how a depth file is recognised, paired with its image in a folder, sized
 * from its header and decoded. Every part of the SDK that knows depth files goes through the
 * formats of {@link DepthFormats}: {@link SceneLoader} decodes with them, {@link SceneFolder} pairs
 * {@code X.png} with {@code X}{@link #pairedSuffixes() suffix}, and the CLI's memory budget sizes a
 * scene with {@link #probe} before its pixels are read.
 *
 * <p><b>Adding a format</b> (docs/extending.md, "Adding a depth format"): implement this interface
 * in one class with a public no-argument constructor and list it in {@code
 * META-INF/services/dev.ssrl.tasks.scene.DepthFormat}; {@link java.util.ServiceLoader} finds it.
 * The built-in formats (NumPy {@code .npy}, HDF5, 16-bit PNG, PFM) always come first, in that
 * order, and cannot be replaced, so adding a jar never changes how a file they read is read; the
 * formats found on the class path follow in the order of their {@link #name()}.
 *
 * <p>Contract: implementations are stateless and thread-safe. Every failure is a {@link
 * SceneLoadException} naming {@link DepthSource#path()} and the cause; a size over the pixel budget
 * is refused from the header, before the values are read. Integer values are multiplied by the
 * depth scale, floating-point values are kept in the file's unit; zero, NaN and ±Inf stay in the
 * map (they count as invalid). Validity masks are not formats: a mask is a {@code .npy} or grey PNG
 * file beside the depth file (see {@link SceneFolder}), whatever the depth format.
 */
public interface DepthFormat {
  /** How many bytes of a file's start {@link #recognises} is given (fewer for a shorter file). */
  int HEAD_BYTES = 64;

  /**
   * A short name, unique among the formats on the class path ({@code npy}, {@code hdf5}, {@code
   * png16}, {@code pfm}); extensions are ordered by it.
   */
  String name();

  /**
   * The format as the "expected ..." list of an unsupported file's error names it, e.g. {@code
   * .npy} or {@code HDF5 (.h5)}.
   */
  String description();

  /**
   * The suffixes that make a file the depth file of the image with stem {@code X} in a folder, in
   * order of preference: {@code _depth.npy} pairs {@code X_depth.npy} with {@code X.jpg}. Matched
   * exactly (letter case included). An image name ending in one of them (any case) is never a scene
   * itself, as {@code X_depth.png} is not.
   */
  List<String> pairedSuffixes();

  /**
   * Whether a file is of this format by its signature.
   *
   * @param head the first {@value #HEAD_BYTES} bytes of the file (all of a shorter one; never
   *     empty)
   */
  boolean recognises(byte[] head);

  /**
   * Whether a file whose signature no format recognises is of this format by its name: HDF5 files
   * may carry a user block that moves the signature to byte 512 or later, so {@code .h5} is
   * trusted. False by default: a name alone should not decide.
   *
   * @param fileName the file's name (no folder)
   */
  default boolean claimsByName(String fileName) {
    return false;
  }

  /**
   * The depth map's size and stored value width, from the file's header alone (no values decoded,
   * and as little of the file read as the format allows), for planning memory before loading.
   *
   * @throws SceneLoadException naming the file if its header is unreadable or corrupt
   */
  DepthHeader probe(DepthSource source) throws SceneLoadException;

  /**
   * Decodes the depth values.
   *
   * @param maxPixels the pixel budget: a larger map is refused from its header
   * @param depthScale the value of one unit of integer depth (e.g. 0.001 for millimetres)
   * @return the depth map, without a mask
   * @throws SceneLoadException naming the file if it is truncated, corrupt, of an unsupported
   *     variant of the format, or over the pixel budget
   */
  DepthMap read(DepthSource source, long maxPixels, double depthScale) throws SceneLoadException;
}
