package dev.ssrl.spark;

import dev.ssrl.dataset.Column;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.TrainerLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A staged sample row as a row of any {@link TrainerLayout}: the layout makes the row (the same
 * code as the CLI's {@code ParquetExport}), this class only reads the images back from the dataset
 * folder and turns the layout's values into Spark's ({@link #schema}). It knows no layout.
 */
final class LayoutRowOf implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 2L;

  private final TrainerLayout layout;
  private final ImagePaths imagePaths;
  private final String out;
  private final String root;
  private final HadoopConf conf;

  /**
   * @param out the dataset folder, as Hadoop names it (the images are read from there)
   * @param root the folder as absolute image paths name it ({@link DatasetWriter#imageRoot})
   */
  LayoutRowOf(
      TrainerLayout layout, ImagePaths imagePaths, String out, String root, HadoopConf conf) {
    this.layout = layout;
    this.imagePaths = imagePaths;
    this.out = out;
    this.root = root;
    this.conf = conf;
  }

  /** The Spark row type of a layout's columns: nullable where the column is not required. */
  static StructType schema(TrainerLayout layout) {
    return struct(layout.columns());
  }

  private static StructType struct(List<Column> columns) {
    StructField[] f = new StructField[columns.size()];
    for (int i = 0; i < f.length; i++) {
      Column c = columns.get(i);
      f[i] = DataTypes.createStructField(c.name(), type(c), !c.required());
    }
    return new StructType(f);
  }

  private static DataType type(Column c) {
    return switch (c.type()) {
      case STRING -> DataTypes.StringType;
      case BYTES -> DataTypes.BinaryType;
      case INT64 -> DataTypes.LongType;
      case LIST -> {
        Column element = c.fields().get(0);
        yield DataTypes.createArrayType(type(element), !element.required());
      }
      case GROUP -> struct(c.fields());
    };
  }

  @Override
  public Row call(Row r) throws IOException {
    List<String> relative = Schemas.list(r, Schemas.O_IMAGES);
    List<String> named = new ArrayList<>();
    for (String p : relative) {
      named.add(imagePaths.name(root, p));
    }
    Path folder = new Path(out);
    TrainerLayout.Line line =
        new TrainerLayout.Line(
            r.getString(Schemas.O_ID),
            r.getString(Schemas.O_TASK),
            r.getString(Schemas.O_PROBLEM),
            r.getString(Schemas.O_ANSWER),
            named,
            r.getString(Schemas.O_METADATA),
            r.getString(Schemas.O_SPLIT),
            -1,
            k -> {
              FileSystem fs = folder.getFileSystem(conf.get());
              try (InputStream in = fs.open(new Path(folder, relative.get(k)))) {
                return in.readAllBytes();
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + relative.get(k) + " in " + out, e);
              }
            });
    return row(layout.row(line), layout.columns());
  }

  private static Row row(List<?> values, List<Column> columns) {
    if (values.size() != columns.size()) {
      throw new IllegalStateException(values.size() + " values for " + columns.size() + " columns");
    }
    Object[] out = new Object[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value(values.get(i), columns.get(i));
    }
    return RowFactory.create(out);
  }

  /** A layout value as Spark's: groups become rows, lists arrays. */
  private static Object value(Object v, Column c) {
    if (v == null) {
      return null;
    }
    if (c.type() == Column.Type.GROUP) {
      return row((List<?>) v, c.fields());
    }
    if (c.type() == Column.Type.LIST) {
      List<?> values = (List<?>) v;
      Object[] out = new Object[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = value(values.get(i), c.fields().get(0));
      }
      return out;
    }
    return v;
  }
}
