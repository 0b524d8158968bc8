package dev.ssrl.dataset;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trainer layout: Parquet copies of the JSONL splits in the form one trainer loads (generic
 * Parquet, verl, TRL, EasyR1). A layout is this one class: its name, its files, its columns, how a
 * sample line becomes a row and what its files' footers say. Both front ends write every layout
 * {@link TrainerLayouts} finds ({@code ssrl generate --layout NAME}, the Spark job's {@code
 * --layout NAME}) without knowing any of them: the CLI through {@link ParquetExport}, the Spark job
 * through its own Parquet writer.
 *
 * <p>Adding one: implement this interface (a public class with a public no-argument constructor)
 * and name it in {@code META-INF/services/dev.ssrl.dataset.TrainerLayout} (docs/extending.md).
 * Implementations are immutable; the Spark job ships them to its executors, hence {@link
 * Serializable}.
 */
public interface TrainerLayout extends Serializable {

  /** The name the options choose it by ({@code --layout NAME}): lower case, no comma. */
  String name();

  /**
   * The file of a split ({@link DatasetFormat#TRAIN} or {@link DatasetFormat#VAL}), relative to the
   * dataset folder, e.g. {@code trl/train.parquet}; its first path element must be the same for
   * every split or name only this layout's files (a dataset writer replacing a dataset removes it).
   * The Spark job writes a folder of parts under the same name. By default {@code
   * <name>/<split>.parquet}, a folder of the layout's own.
   */
  default String file(String split) {
    return name() + "/" + split + ".parquet";
  }

  /** The Parquet schema's name (the footer's root element); by default the layout's name. */
  default String schemaName() {
    return name();
  }

  /** The columns in order. */
  List<Column> columns();

  /**
   * The row of one sample: a value per {@link #columns() column}, in order, of the column's type
   * ({@link Column}).
   *
   * @throws IOException if an image cannot be read
   * @throws IllegalArgumentException naming the sample if its line cannot be laid out (e.g. its
   *     placeholders do not match its images)
   */
  List<Object> row(Line line) throws IOException;

  /** Key-value entries of every file's footer (e.g. Hugging Face's features); none by default. */
  default Map<String, String> footer() {
    return Map.of();
  }

  /**
   * Whether {@link #row} uses {@link Line#index()}, a row's position in its file. The Spark job
   * writes a split as parts in id order and cannot number its rows the way the CLI's single file
   * does, so it refuses such a layout.
   */
  default boolean numbersRows() {
    return false;
  }

  /** The images of a sample, read on demand (a layout that only names them reads nothing). */
  @FunctionalInterface
  interface ImageReader {
    /** The bytes of image {@code k}, as written under the dataset folder. */
    byte[] read(int k) throws IOException;
  }

  /**
   * One sample line, as a layout sees it.
   *
   * @param id the sample id
   * @param task the task id
   * @param problem the problem text with its {@code <image>} placeholders
   * @param answer the answer
   * @param images the image paths as the JSONL line names them ({@code --image-paths})
   * @param metadata the metadata object as JSON text, exactly as the line holds it
   * @param split {@link DatasetFormat#TRAIN} or {@link DatasetFormat#VAL}
   * @param index the row's position in its split's file (0-based); -1 where unknown (Spark)
   * @param bytes the images' bytes
   */
  record Line(
      String id,
      String task,
      String problem,
      String answer,
      List<String> images,
      String metadata,
      String split,
      long index,
      ImageReader bytes) {

    public Line {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(answer, "answer");
      images = List.copyOf(images);
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(split, "split");
      Objects.requireNonNull(bytes, "bytes");
    }

    /** The images as {@code {bytes, path}} structs (Hugging Face's {@code Image}), in order. */
    public List<Object> imageStructs() throws IOException {
      Object[] out = new Object[images.size()];
      for (int k = 0; k < out.length; k++) {
        out[k] = java.util.Arrays.asList(bytes.read(k), images.get(k));
      }
      return java.util.Arrays.asList(out);
    }

    /**
     * Checks that the problem has one placeholder per image, as the layouts that cut the problem at
     * its placeholders need ({@link DatasetFormat#checkPlaceholders}).
     */
    public void checkPlaceholders() {
      DatasetFormat.checkPlaceholders(id, problem, images.size());
    }
  }
}
