package dev.ssrl.tasks.scene;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.scene.impl.DepthReader;
import dev.ssrl.tasks.scene.impl.RgbReader;
import dev.ssrl.tasks.scene.impl.SceneBytes;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads scene files (SPEC §1) into {@link Raster}s, {@link DepthMap}s and {@link Scene}s.
 *
 * <p>RGB: 8-bit JPEG or PNG, recognised by content rather than extension. Grey, grey+alpha, RGBA,
 * palette and 16-bit PNGs are converted to 8-bit RGB (alpha composited over white); CMYK and YCCK
 * JPEGs are converted with the naive ink formula (no ICC colour management); the JPEG EXIF
 * orientation is applied. Images over the pixel budget are refused from their header before any
 * pixel is decoded; images under 64×64 are refused; empty, truncated and corrupt files are refused.
 *
 * <p>Depth: NumPy {@code .npy}, HDF5 (dataset {@code depth}), 16-bit grey PNG and PFM, and any
 * {@link DepthFormat} added on the class path ({@link DepthFormats}), with an optional {@code .npy}
 * or grey-PNG validity mask (non-zero = valid). Floating-point depth is kept in the file's unit;
 * integer depth is multiplied by the {@linkplain #depthScale() depth scale}. Zero, NaN and ±Inf
 * values stay in the map and count as invalid. A depth map whose size differs from its image is an
 * error, never resized.
 *
 * <p>Files held in memory ({@link EncodedFile}: bytes or a stream, plus the file's name) decode
 * through the same code with the same limits and messages, naming the given name; nothing is
 * written to disk for them.
 *
 * <p>Every failure is a {@link SceneLoadException} naming the file and the cause, running out of
 * heap while decoding included. Instances are immutable and thread-safe. An 8-bit PNG of a megabyte
 * or more of pixel data is inflated on the calling thread while a common-pool thread unfilters the
 * rows already inflated (same pixels; {@code -Dssrl.parallel=false} keeps it on one thread).
 */
public final class SceneLoader {
  /** Images smaller than this in either dimension are refused (SPEC §1). */
  public static final int MIN_SIDE = RgbReader.MIN_SIDE;

  /** The reason of a load that ran out of heap; short and fixed, as it is a manifest key. */
  public static final String OUT_OF_MEMORY = SceneBytes.OUT_OF_MEMORY;

  /** Default pixel budget: 50 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** Default depth scale for integer depth: 0.001 metres per unit (millimetres). */
  public static final double DEFAULT_DEPTH_SCALE = 0.001;

  private static final SceneLoader DEFAULTS =
      new SceneLoader(DEFAULT_MAX_PIXELS, DEFAULT_DEPTH_SCALE);

  private final long maxPixels;
  private final double depthScale;

  private SceneLoader(long maxPixels, double depthScale) {
    this.maxPixels = maxPixels;
    this.depthScale = depthScale;
  }

  /** A loader with the default pixel budget and depth scale. */
  public static SceneLoader defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with another pixel budget: images and depth maps with more than {@code maxPixels} pixels
   * are refused from their header.
   *
   * @throws IllegalArgumentException if {@code maxPixels} is not positive
   */
  public SceneLoader withMaxPixels(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    return new SceneLoader(maxPixels, depthScale);
  }

  /**
   * A copy with another scale for integer depth (16-bit PNG, integer {@code .npy}/HDF5): the value
   * of one stored unit, e.g. 0.001 for millimetres or 0.0002 for TUM's 1/5000 m.
   *
   * @throws IllegalArgumentException if {@code scale} is not a positive finite number
   */
  public SceneLoader withDepthScale(double scale) {
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("depth scale must be positive and finite, got " + scale);
    }
    return new SceneLoader(maxPixels, scale);
  }

  /** The pixel budget. */
  public long maxPixels() {
    return maxPixels;
  }

  /** The value of one unit of integer depth. */
  public double depthScale() {
    return depthScale;
  }

  /**
   * Loads an RGB image (see the class comment for the conversions).
   *
   * @throws SceneLoadException if the file is missing, unreadable, empty, truncated, corrupt, not a
   *     JPEG or PNG, over the pixel budget or smaller than 64×64
   */
  public Raster loadRgb(Path rgb) throws SceneLoadException {
    Objects.requireNonNull(rgb, "rgb");
    try {
      return RgbReader.read(rgb, maxPixels);
    } catch (OutOfMemoryError e) {
      // Decoding and converting (a 16-bit RGBA PNG holds 8 bytes a pixel before it is RGB) can
      // need several times the pixel budget; what was allocated is garbage once this returns.
      throw new SceneLoadException(rgb, OUT_OF_MEMORY, e);
    }
  }

  /**
   * Loads a depth map and its optional mask.
   *
   * @param depth the depth file
   * @param mask the mask file, or null for none
   * @throws SceneLoadException if a file is missing, unreadable, empty, truncated, corrupt, of an
   *     unsupported format, over the pixel budget, or the mask size differs from the depth size
   */
  public DepthMap loadDepth(Path depth, Path mask) throws SceneLoadException {
    Objects.requireNonNull(depth, "depth");
    try {
      return DepthReader.read(depth, mask, maxPixels, depthScale);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(depth, OUT_OF_MEMORY, e);
    }
  }

  /**
   * Reads the headers of a scene's files, decoding no pixel: the image's size and decode width, the
   * depth map's size through its {@link DepthFormat#probe format}, and the files' sizes. For
   * planning memory before {@link #load(SceneFiles)}; the pixel budget is not applied (the sizes
   * say whether a load would be refused).
   *
   * @throws SceneLoadException if a file is missing or unreadable, or its header cannot be read
   */
  public SceneHeader probe(SceneFiles files) throws SceneLoadException {
    Objects.requireNonNull(files, "files");
    int[] rgb = RgbReader.probe(files.rgb());
    DepthHeader depth = files.depth() == null ? null : DepthFormats.probe(files.depth());
    long bytes = size(files.rgb());
    if (files.depth() != null) {
      bytes += size(files.depth());
    }
    if (files.mask() != null) {
      bytes += size(files.mask());
    }
    return new SceneHeader(rgb[0], rgb[1], rgb[2], depth, bytes);
  }

  private static long size(Path file) throws SceneLoadException {
    try {
      return java.nio.file.Files.size(file);
    } catch (java.io.IOException e) {
      throw new SceneLoadException(file, "cannot read the file size: " + e, e);
    }
  }

  /**
   * Loads a scene: its image and, when present, its depth map and mask.
   *
   * @throws SceneLoadException if any of its files fails to load, or the depth map's size differs
   *     from the image's (the exception then names the depth file and both sizes)
   */
  public Scene load(SceneFiles files) throws SceneLoadException {
    Objects.requireNonNull(files, "files");
    Raster rgb = loadRgb(files.rgb());
    if (files.depth() == null) {
      return Scene.rgbOnly(files.id(), rgb);
    }
    DepthMap depth = loadDepth(files.depth(), files.mask());
    checkSameSize(rgb, files.rgb(), depth, files.depth());
    return new Scene(files.id(), rgb, depth);
  }

  /**
   * Decodes an RGB image held in memory exactly as {@link #loadRgb(Path)} decodes the file of that
   * name: same conversions, limits and errors (which name {@link EncodedFile#name()}).
   *
   * @throws SceneLoadException if the bytes are empty, truncated, corrupt, not a JPEG or PNG, over
   *     the pixel budget or smaller than 64×64
   */
  public Raster loadRgb(EncodedFile rgb) throws SceneLoadException {
    Objects.requireNonNull(rgb, "rgb");
    Path name = rgb.path();
    try {
      return RgbReader.decode(rgb.bytes(), name, maxPixels);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(name, OUT_OF_MEMORY, e);
    }
  }

  /**
   * Decodes a depth map and its optional mask held in memory exactly as {@link #loadDepth(Path,
   * Path)} decodes the files of those names; HDF5 is read from the array by jHDF, with no temporary
   * file.
   *
   * @param depth the depth file's bytes
   * @param mask the mask file's bytes, or null for none
   * @throws SceneLoadException as {@link #loadDepth(Path, Path)}, naming the given names
   */
  public DepthMap loadDepth(EncodedFile depth, EncodedFile mask) throws SceneLoadException {
    Objects.requireNonNull(depth, "depth");
    Path name = depth.path();
    try {
      return DepthReader.decode(depth, mask, maxPixels, depthScale);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(name, OUT_OF_MEMORY, e);
    }
  }

  /**
   * Decodes a scene whose files are held in memory, exactly as {@link #load(SceneFiles)} loads the
   * files of those names.
   *
   * @param id the scene id
   * @param rgb the image
   * @param depth the depth file, or null for an RGB-only scene
   * @param mask the mask, or null for none
   * @throws IllegalArgumentException if the id is blank or a mask is given without depth
   * @throws SceneLoadException as {@link #load(SceneFiles)}
   */
  public Scene load(String id, EncodedFile rgb, EncodedFile depth, EncodedFile mask)
      throws SceneLoadException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rgb, "rgb");
    if (id.isBlank()) {
      throw new IllegalArgumentException("scene id must not be blank");
    }
    if (mask != null && depth == null) {
      throw new IllegalArgumentException("scene " + id + ": a mask needs a depth file");
    }
    Raster image = loadRgb(rgb);
    if (depth == null) {
      return Scene.rgbOnly(id, image);
    }
    return scene(id, image, rgb.name(), loadDepth(depth, mask), depth.name());
  }

  /**
   * Makes a scene of an image and a depth map decoded separately (with {@link
   * #loadRgb(EncodedFile)} and {@link #loadDepth(EncodedFile, EncodedFile)}, e.g. to read the depth
   * file only once the image has decoded), with the size check and message of {@link
   * #load(SceneFiles)}.
   *
   * @param depth the depth map, or null for an RGB-only scene
   * @throws SceneLoadException naming {@code depthName} if the sizes differ
   * @throws IllegalArgumentException if the id is blank or a name is not a valid path name
   */
  public static Scene scene(String id, Raster rgb, String rgbName, DepthMap depth, String depthName)
      throws SceneLoadException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rgb, "rgb");
    if (depth == null) {
      return Scene.rgbOnly(id, rgb);
    }
    checkSameSize(
        rgb,
        new EncodedFile(rgbName, EMPTY).path(),
        depth,
        new EncodedFile(depthName, EMPTY).path());
    return new Scene(id, rgb, depth);
  }

  private static final byte[] EMPTY = new byte[0];

  private static void checkSameSize(Raster rgb, Path rgbName, DepthMap depth, Path depthName)
      throws SceneLoadException {
    if (depth.width() != rgb.width() || depth.height() != rgb.height()) {
      throw new SceneLoadException(
          depthName,
          "depth "
              + depth.width()
              + "x"
              + depth.height()
              + " does not match image "
              + rgbName.getFileName()
              + " "
              + rgb.width()
              + "x"
              + rgb.height()
              + " (depth is never resized)");
    }
  }

  @Override
  public String toString() {
    return "SceneLoader[maxPixels=" + maxPixels + ", depthScale=" + depthScale + "]";
  }
}
