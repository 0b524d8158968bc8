package dev.ssrl.tasks.scene.impl;

import dev.ssrl.tasks.impl.Parallel;
import dev.ssrl.tasks.scene.SceneLoadException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.links.ExternalLink;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Reads the {@code depth} dataset of an HDF5 file (MegaDepth layout) with jHDF: a 2-D array, or 3-D
 * with a trailing axis of 1, of any numeric type; chunked and gzip-compressed storage is handled by
 * jHDF. Float values are taken as they are; integer values (uint64 included) are multiplied by
 * {@code integerScale}. A {@code depth} soft link is followed (at most {@value #MAX_LINK_HOPS}
 * links); an external link, a never-written dataset and a non-numeric type are named rejections.
 */
final class Hdf5DepthReader {
  private Hdf5DepthReader() {}

  static final String DATASET = "depth";

  /** Soft links followed at most to reach {@code depth}; HDF5 itself stops at 16. */
  static final int MAX_LINK_HOPS = 16;

  /** Objects visited at most when listing the datasets of a file without {@code depth}. */
  static final int MAX_LISTED_NODES = 10_000;

  /** Group levels descended at most when listing. */
  static final int MAX_DEPTH = 32;

  /** Dataset names shown at most in that listing. */
  static final int NAMES_SHOWN = 5;

  static boolean isHdf5(byte[] head) {
    byte[] sig = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
    if (head.length < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if (head[i] != sig[i]) {
        return false;
      }
    }
    return true;
  }

  /** Width, height and row-major values. */
  record Hdf5Depth(int width, int height, float[] values) {}

  /**
   * Files up to this size are read into memory and opened there rather than memory-mapped: jHDF
   * touches a mapped file page by page, and those page faults cost about as much system time as the
   * decoding itself (docs/BENCHMARKS.md, issue 17). Larger files stay mapped, so that the pixel
   * budget is checked before anything big is read. The values are the same either way.
   */
  static volatile long inMemoryMaxBytes = 64L << 20;

  /**
   * Where chunks are inflated: 0 chooses by {@link Parallel#idleCommonPool}, 1 always the caller's
   * pool, 2 always a pool of one thread. Tests set it to compare the routes.
   */
  static volatile int inflateRoute = 0;

  static Hdf5Depth read(Path path, long maxPixels, double integerScale) throws SceneLoadException {
    long size = SceneBytes.checkReadable(path);
    if (size <= inMemoryMaxBytes) {
      try {
        return read(SceneBytes.readAll(path), path, maxPixels, integerScale);
      } catch (SceneLoadException e) {
        // jHDF words some failures differently in memory (a truncated file is "newLimit >
        // capacity" there): a file that does not load is read again mapped, so that its rejection
        // is the one it always had. Only failures pay for the second read.
      }
    }
    return read(() -> new HdfFile(path), path, maxPixels, integerScale);
  }

  /**
   * Reads a whole HDF5 file held in memory; {@code path} only names it in errors. jHDF reads the
   * array in place ({@code HdfFile.fromBytes}); its {@code fromInputStream} would spill to a
   * temporary file, which is why streams are read into bytes first.
   */
  static Hdf5Depth read(byte[] bytes, Path path, long maxPixels, double integerScale)
      throws SceneLoadException {
    return read(() -> HdfFile.fromBytes(bytes), path, maxPixels, integerScale);
  }

  private interface Opener {
    HdfFile open();
  }

  private static Hdf5Depth read(Opener opener, Path path, long maxPixels, double integerScale)
      throws SceneLoadException {
    try (HdfFile file = opener.open()) {
      Dataset ds = findDepth(file, path);
      long[] hw = shape(ds, path, maxPixels);
      long h = hw[0];
      long w = hw[1];
      if (ds.isEmpty()) {
        // h5py and the HDF5 library allocate storage on first write: a dataset created and never
        // written has no data, only a fill value, which is no depth map.
        throw new SceneLoadException(
            path, "dataset '" + DATASET + "' was never written (no storage allocated)");
      }
      Class<?> type = ds.getJavaType();
      // jHDF gives uint64 as BigInteger (every value converts to a finite double); other
      // non-primitive types are strings, compounds, references and the like.
      boolean numeric =
          type == BigInteger.class
              || (type.isPrimitive() && type != boolean.class && type != char.class);
      if (!numeric) {
        throw new SceneLoadException(
            path, "dataset '" + DATASET + "' has non-numeric type " + type.getSimpleName());
      }
      Object flat = flat(ds);
      int n = (int) (h * w);
      if (Array.getLength(flat) != n) {
        throw new SceneLoadException(
            path, "dataset '" + DATASET + "' returned " + Array.getLength(flat) + " values");
      }
      float[] values;
      if (flat instanceof float[] f) {
        values = f;
      } else {
        values = new float[n];
        boolean integral = !(flat instanceof double[]);
        for (int i = 0; i < n; i++) {
          double v = ((Number) Array.get(flat, i)).doubleValue();
          values[i] = (float) (integral ? v * integerScale : v);
        }
      }
      return new Hdf5Depth((int) w, (int) h, values);
    } catch (SceneLoadException e) {
      throw e;
    } catch (RuntimeException e) {
      // jHDF reports corrupt or truncated files with unchecked HdfException.
      throw new SceneLoadException(path, "cannot read HDF5 file: " + SceneBytes.describe(e), e);
    } catch (OutOfMemoryError e) {
      throw new SceneLoadException(path, "not enough memory to read the depth dataset", e);
    } catch (StackOverflowError e) {
      // A last line of defence: the search below never recurses without bound, but jHDF's own
      // code (object paths, nested B-trees) does recurse on the file's structure.
      throw new SceneLoadException(path, "HDF5 structure nests too deeply to read", e);
    }
  }

  /** {height, width} of the depth dataset, after the checks {@link #read} makes of its shape. */
  private static long[] shape(Dataset ds, Path path, long maxPixels) throws SceneLoadException {
    long[] dims = ds.getDimensionsAsLong();
    boolean twoD = dims.length == 2 || (dims.length == 3 && dims[2] == 1);
    if (!twoD) {
      throw new SceneLoadException(
          path,
          "dataset '"
              + DATASET
              + "' has shape "
              + java.util.Arrays.toString(dims)
              + " (expected [H, W] or [H, W, 1])");
    }
    long h = dims[0];
    long w = dims[1];
    if (h <= 0 || w <= 0) {
      throw new SceneLoadException(path, "dataset '" + DATASET + "' is empty");
    }
    if (h > maxPixels / w) { // h * w > maxPixels, without overflowing
      throw new SceneLoadException(
          path,
          "depth "
              + w
              + "x"
              + h
              + " exceeds the pixel budget of "
              + maxPixels
              + "; refused before reading");
    }
    return new long[] {h, w};
  }

  /**
   * {width, height, bytes per stored value} of the depth dataset of a file (mapped: jHDF reads its
   * metadata, not the values) or of bytes held in memory ({@code bytes} non-null; {@code path} then
   * only names them).
   */
  static int[] probe(Path path, byte[] bytes) throws SceneLoadException {
    if (bytes == null) {
      SceneBytes.checkReadable(path);
    }
    try (HdfFile file = bytes == null ? new HdfFile(path) : HdfFile.fromBytes(bytes)) {
      Dataset ds = findDepth(file, path);
      long[] hw = shape(ds, path, Integer.MAX_VALUE);
      return new int[] {(int) hw[1], (int) hw[0], ds.getDataType().getSize()};
    } catch (SceneLoadException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SceneLoadException(path, "cannot read HDF5 file: " + SceneBytes.describe(e), e);
    } catch (StackOverflowError e) {
      throw new SceneLoadException(path, "HDF5 structure nests too deeply to read", e);
    }
  }

  /**
   * The dataset's values. jHDF inflates a chunked dataset's chunks with a parallel stream, which
   * runs in the fork-join pool of the calling thread, the common pool for a plain thread. When that
   * pool is already busy with another sample's split loops (every core taken, as in a run with one
   * worker per core), the stream is run in a one-thread pool of its own instead, so that the read
   * costs one core rather than fighting the workers for all of them. The values do not depend on
   * where the chunks are inflated.
   */
  private static Object flat(Dataset ds) {
    int route = inflateRoute;
    if (route == 1 || (route == 0 && Parallel.idleCommonPool())) {
      return ds.getDataFlat();
    }
    // The failure is carried back as it is: join() would throw a copy with another message.
    Object[] values = new Object[1];
    Throwable[] failure = new Throwable[1];
    ForkJoinPool one = new ForkJoinPool(1);
    try {
      one.submit(
              () -> {
                try {
                  values[0] = ds.getDataFlat();
                } catch (Throwable t) {
                  failure[0] = t;
                }
              })
          .join();
    } finally {
      one.shutdown();
    }
    if (failure[0] instanceof RuntimeException e) {
      throw e;
    }
    if (failure[0] instanceof Error e) {
      throw e;
    }
    return values[0];
  }

  /**
   * The {@code depth} dataset at the root, following soft links (bounded: at most {@value
   * #MAX_LINK_HOPS} of them, so a link cycle is an error rather than a hang or a stack overflow).
   */
  private static Dataset findDepth(HdfFile file, Path path) throws SceneLoadException {
    Node node = file.getChild(DATASET);
    if (node == null) {
      throw new SceneLoadException(
          path, "HDF5 file has no '" + DATASET + "' dataset at its root; " + listing(file));
    }
    node = resolve(file, file, node, path, new int[1]);
    if (!(node instanceof Dataset ds)) {
      throw new SceneLoadException(
          path,
          "HDF5 file has no '"
              + DATASET
              + "' dataset at its root ('"
              + DATASET
              + "' is a group); "
              + listing(file));
    }
    return ds;
  }

  /**
   * The node a link leads to, itself when it is no link. Soft link targets are resolved here one
   * path element at a time, never with jHDF's {@code getByPath}, which follows a cycle of soft
   * links until the stack overflows; {@code hops} counts the links followed so far.
   */
  private static Node resolve(HdfFile file, Group parent, Node node, Path path, int[] hops)
      throws SceneLoadException {
    if (!(node instanceof Link link)) {
      return node;
    }
    if (link instanceof ExternalLink) {
      throw new SceneLoadException(
          path,
          "'"
              + DATASET
              + "' is an external link to "
              + shorten(link.getTargetPath())
              + " in another file; links to other files are not followed");
    }
    if (++hops[0] > MAX_LINK_HOPS) {
      throw new SceneLoadException(
          path,
          "soft link '"
              + DATASET
              + "' leads through more than "
              + MAX_LINK_HOPS
              + " links (a link cycle?)");
    }
    String target = link.getTargetPath();
    Node cur = target.startsWith("/") ? file : parent;
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      Node child = cur instanceof Group g ? g.getChild(part) : null;
      if (child == null) {
        throw new SceneLoadException(
            path,
            "soft link '"
                + DATASET
                + "' points to "
                + shorten(target)
                + ", which does not exist (broken link)");
      }
      cur = resolve(file, (Group) cur, child, path, hops);
    }
    return cur;
  }

  /**
   * "datasets present: ..." for the rejection of a file without {@code depth}: the first {@value
   * #NAMES_SHOWN} dataset paths in code-point order and how many more there are. The walk is
   * bounded, so that the message stays short (it is also the manifest's rejection key) and a
   * hostile file cannot hold the run: groups already seen (by object address) are not entered
   * again, which ends hard-link cycles such as a root linked into itself; links are not followed;
   * at most {@value #MAX_LISTED_NODES} objects and {@value #MAX_DEPTH} levels are visited. The walk
   * uses an explicit stack and builds paths itself (jHDF's {@code getPath} recurses once per
   * level). The bounds are counts, not a clock, so the message is the same on every machine.
   */
  static String listing(HdfFile file) {
    List<String> found = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    seen.add(file.getAddress());
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(file, "/", 0));
    int visited = 0;
    String stopped = null;
    walk:
    while (!stack.isEmpty()) {
      Frame frame = stack.pop();
      for (Map.Entry<String, Node> e : frame.group().getChildren().entrySet()) {
        if (++visited > MAX_LISTED_NODES) {
          stopped = "listing stopped after " + MAX_LISTED_NODES + " objects";
          break walk;
        }
        Node child = e.getValue();
        if (child.isLink()) {
          continue;
        }
        String name = frame.prefix() + e.getKey();
        if (child instanceof Dataset) {
          found.add(name);
        } else if (child instanceof Group sub && seen.add(child.getAddress())) {
          if (frame.depth() + 1 >= MAX_DEPTH) {
            stopped = "listing stopped at depth " + MAX_DEPTH;
          } else {
            stack.push(new Frame(sub, name + "/", frame.depth() + 1));
          }
        }
      }
    }
    found.sort(null);
    StringBuilder sb = new StringBuilder("datasets present");
    if (stopped != null) {
      sb.append(" (").append(stopped).append(')');
    }
    sb.append(": ");
    if (found.isEmpty()) {
      return sb.append("(none)").toString();
    }
    for (int i = 0; i < Math.min(NAMES_SHOWN, found.size()); i++) {
      sb.append(i > 0 ? ", " : "").append(shorten(found.get(i)));
    }
    if (found.size() > NAMES_SHOWN) {
      sb.append(" and ").append(found.size() - NAMES_SHOWN).append(" more");
    }
    return sb.toString();
  }

  /** A group still to list: its path with a trailing '/', and its level below the root. */
  private record Frame(Group group, String prefix, int depth) {}

  /** An HDF5 name or path for a message: at most 80 characters. */
  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
