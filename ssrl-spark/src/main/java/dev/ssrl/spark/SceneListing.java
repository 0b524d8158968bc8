package dev.ssrl.spark;

import dev.ssrl.tasks.scene.SceneFiles;
import dev.ssrl.tasks.scene.SceneFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Where the scenes of a job are: any mix of listing files, folders and built-in synthetic scenes.
 * Immutable; nothing is read until a job runs.
 *
 * <p>Sources, as strings ({@link #of}): {@code synthetic:N} for the first N built-in synthetic
 * RGB-D scenes ({@code synthetic-0000} ..., as the CLI generates without a folder); a folder on any
 * Hadoop file system, whose files are paired by SPEC §1's rules ({@link SceneFolder}, not
 * recursive); or a listing file (any other file). A listing file has one scene per line:
 *
 * <pre>
 * rgb[,depth[,mask[,id]]]        (or the same fields separated by tabs)
 * </pre>
 *
 * Empty fields are absent; the id defaults to the rgb file name without extension. Relative paths
 * are resolved against the listing file's folder. Blank lines, lines starting with {@code #} and a
 * header line {@code rgb,depth,mask,id} are skipped. Listing files are read by Spark in parallel,
 * so they suit millions of scenes; a folder is listed on the driver.
 */
public final class SceneListing {
  private final List<String> sources;
  private final List<SceneEntry> entries;

  private SceneListing(List<String> sources, List<SceneEntry> entries) {
    this.sources = List.copyOf(sources);
    this.entries = List.copyOf(entries);
  }

  /**
   * A listing of the given sources, in order.
   *
   * @throws IllegalArgumentException if there is no source, or one is blank or a malformed {@code
   *     synthetic:N}
   */
  public static SceneListing of(String... sources) {
    return of(List.of(sources));
  }

  /** As {@link #of(String...)}. */
  public static SceneListing of(List<String> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a listing needs at least one source");
    }
    for (String s : sources) {
      Objects.requireNonNull(s, "source");
      if (s.isBlank()) {
        throw new IllegalArgumentException("a source must not be blank");
      }
      if (s.startsWith(SceneReader.SYNTHETIC)) {
        syntheticCount(s);
      }
    }
    return new SceneListing(sources, List.of());
  }

  /** The first {@code n} built-in synthetic scenes. */
  public static SceneListing synthetic(int n) {
    return of(SceneReader.SYNTHETIC + n);
  }

  /**
   * Explicit scene entries, e.g. built by a caller that lists its own storage.
   *
   * @throws IllegalArgumentException if there is no entry
   */
  public static SceneListing ofEntries(List<SceneEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a listing needs at least one scene");
    }
    return new SceneListing(List.of(), entries);
  }

  /** The sources as given (explicit entries appear as {@code entries:N}). */
  public List<String> sources() {
    List<String> s = new ArrayList<>(sources);
    if (!entries.isEmpty()) {
      s.add("entries:" + entries.size());
    }
    return List.copyOf(s);
  }

  @Override
  public String toString() {
    return "SceneListing" + sources();
  }

  private static int syntheticCount(String source) {
    try {
      int n = Integer.parseInt(source.substring(SceneReader.SYNTHETIC.length()));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + source + "' is not synthetic:N with a count N >= 0", e);
    }
  }

  /** The scenes as {@link Schemas#SCENE} rows (not yet validated, not repartitioned). */
  Dataset<Row> rows(SparkSession spark) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> all = null;
    List<Row> local = new ArrayList<>();
    for (SceneEntry e : entries) {
      local.add(row(e));
    }
    for (String s : sources) {
      if (s.startsWith(SceneReader.SYNTHETIC)) {
        int n = syntheticCount(s);
        for (int i = 0; i < n; i++) {
          local.add(
              row(
                  SceneEntry.rgbOnly(
                      String.format(Locale.ROOT, "synthetic-%04d", i), SceneReader.SYNTHETIC + i)));
        }
        continue;
      }
      Path p = new Path(s);
      FileStatus st;
      FileSystem fs;
      try {
        fs = p.getFileSystem(conf);
        st = fs.getFileStatus(p);
      } catch (java.io.FileNotFoundException e) {
        throw new IllegalArgumentException("scene source " + s + " does not exist", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read scene source " + s, e);
      }
      if (st.isDirectory()) {
        local.addAll(folder(fs, st.getPath()));
      } else {
        Dataset<Row> file =
            spark
                .read()
                .textFile(st.getPath().toString())
                .flatMap(
                    new ParseLine(st.getPath().getParent().toString()),
                    Encoders.row(Schemas.SCENE));
        all = all == null ? file : all.union(file);
      }
    }
    if (!local.isEmpty() || all == null) {
      Dataset<Row> d = spark.createDataFrame(local, Schemas.SCENE);
      all = all == null ? d : d.union(all);
    }
    return all;
  }

  private static List<Row> folder(FileSystem fs, Path dir) {
    List<String> names = new ArrayList<>();
    try {
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile()) {
          names.add(f.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list scene folder " + dir, e);
    }
    List<Row> rows = new ArrayList<>();
    for (SceneFiles f : SceneFolder.pair(java.nio.file.Path.of(""), names)) {
      rows.add(
          RowFactory.create(
              f.id(),
              child(dir, f.rgb()),
              f.depth() == null ? null : child(dir, f.depth()),
              f.mask() == null ? null : child(dir, f.mask()),
              null));
    }
    return rows;
  }

  private static String child(Path dir, java.nio.file.Path name) {
    return new Path(dir, name.getFileName().toString()).toString();
  }

  static Row row(SceneEntry e) {
    return RowFactory.create(e.id(), e.rgb(), e.depth(), e.mask(), null);
  }

  /** Parses listing lines on the executors; a malformed line becomes a row with an error. */
  static final class ParseLine implements FlatMapFunction<String, Row> {
    private static final long serialVersionUID = 1L;
    private final String base;

    ParseLine(String base) {
      this.base = base;
    }

    @Override
    public java.util.Iterator<Row> call(String line) {
      Row r = parse(line, base);
      return r == null ? java.util.Collections.emptyIterator() : List.of(r).iterator();
    }
  }

  /** One listing line as a scene row, or null for a blank, comment or header line. */
  static Row parse(String line, String base) {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    String[] f = trimmed.split(trimmed.indexOf('\t') >= 0 ? "\t" : ",", -1);
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].strip();
    }
    if (f.length >= 1 && f[0].equalsIgnoreCase("rgb")) {
      return null;
    }
    String error = null;
    if (f.length > 4) {
      error = "expected at most 4 fields (rgb,depth,mask,id), got " + f.length;
    } else if (f[0].isEmpty()) {
      error = "the rgb field is empty";
    } else if (f.length > 2 && !f[2].isEmpty() && (f[1].isEmpty())) {
      error = "a mask needs a depth file";
    }
    if (error != null) {
      return RowFactory.create("(line: " + trimmed + ")", null, null, null, error);
    }
    String rgb = resolve(base, f[0]);
    String depth = f.length > 1 && !f[1].isEmpty() ? resolve(base, f[1]) : null;
    String mask = f.length > 2 && !f[2].isEmpty() ? resolve(base, f[2]) : null;
    String id = f.length > 3 && !f[3].isEmpty() ? f[3] : stem(new Path(rgb).getName());
    if (id.isEmpty()) {
      return RowFactory.create(
          "(line: " + trimmed + ")", null, null, null, "cannot derive a scene id from " + f[0]);
    }
    String bad = idProblem(id);
    if (bad != null) {
      return RowFactory.create("(line: " + trimmed + ")", null, null, null, bad);
    }
    return RowFactory.create(id, rgb, depth, mask, null);
  }

  /**
   * Longest scene id in UTF-8 bytes: {@code <id>-<task>-<variant>_<k>.jpg} must fit a file name.
   */
  static final int MAX_ID_BYTES = 200;

  /**
   * Why a scene id cannot name image files on every file system a job may write to, or null when it
   * can. A sample's images are {@code images/<task>/<id>-<task>-<variant>.jpg}, so the id must be
   * one file-name element: no {@code /} (it would make folders, or climb out of {@code images/}
   * with {@code ../}), no {@code :} (HDFS refuses it in names, and Hadoop's {@code Path} reads what
   * precedes it as a URI scheme), no control characters, no U+FFFD (the listing was not UTF-8, so
   * two different ids may have become one), and at most {@value #MAX_ID_BYTES} bytes (names are at
   * most 255). The CLI's escaped ids ({@code caf\xc3\xa9}, docs/cli.md) pass. Refused, not
   * rewritten: the id names and seeds the samples, so a silent rewrite would give other samples
   * than the same scene under the CLI.
   */
  static String idProblem(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == ':' || c == '\uFFFD' || Character.isISOControl(c)) {
        String what =
            c == '\uFFFD'
                ? "U+FFFD (the listing is not UTF-8)"
                : Character.isISOControl(c)
                    ? String.format(java.util.Locale.ROOT, "control character U+%04X", (int) c)
                    : "'" + c + "'";
        return "scene id '"
            + id
            + "' cannot be part of a file name: it holds "
            + what
            + "; give another id in the listing's fourth column";
      }
    }
    int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > MAX_ID_BYTES) {
      return "scene id '"
          + id
          + "' is "
          + bytes
          + " bytes in UTF-8, over "
          + MAX_ID_BYTES
          + ": its image file names would exceed 255 bytes; give a shorter id in the listing's"
          + " fourth column";
    }
    return null;
  }

  private static String resolve(String base, String file) {
    Path p = new Path(file);
    return p.isAbsoluteAndSchemeAuthorityNull() || p.toUri().getScheme() != null
        ? p.toString()
        : new Path(base, p).toString();
  }

  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
