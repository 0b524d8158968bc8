package dev.ssrl.spark;

import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.ImagePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A staged sample row as a row of the TRL or EasyR1 layout, the columns of {@link
 * DatasetFormat#TRL_COLUMNS} / {@link DatasetFormat#EASYR1_COLUMNS} with the images' JPEG bytes
 * read back from the dataset folder: the rows of the CLI's {@code ParquetExport.writeTrl} and
 * {@code writeEasyR1}.
 */
final class LayoutRowOf implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** The two layouts and their Spark row types. */
  enum Kind {
    TRL(DatasetFormat.TRL_COLUMNS),
    EASYR1(DatasetFormat.EASYR1_COLUMNS);

    private final List<String> columns;

    Kind(List<String> columns) {
      this.columns = columns;
    }

    List<String> columns() {
      return columns;
    }

    StructType schema() {
      StructField[] f = new StructField[columns.size()];
      for (int i = 0; i < f.length; i++) {
        String c = columns.get(i);
        DataType t =
            c.equals("images")
                ? IMAGES
                : c.equals("prompt") && this == TRL ? MESSAGES : DataTypes.StringType;
        f[i] = DataTypes.createStructField(c, t, true);
      }
      return new StructType(f);
    }
  }

  private static final StructType BLOCK =
      struct(field("type", DataTypes.StringType), field("text", DataTypes.StringType));
  private static final ArrayType MESSAGES =
      DataTypes.createArrayType(
          struct(
              field("role", DataTypes.StringType),
              field("content", DataTypes.createArrayType(BLOCK, true))),
          true);
  private static final ArrayType IMAGES =
      DataTypes.createArrayType(
          struct(field("bytes", DataTypes.BinaryType), field("path", DataTypes.StringType)), true);

  private final Kind kind;
  private final ImagePaths imagePaths;
  private final String out;
  private final String root;
  private final HadoopConf conf;

  /**
   * @param out the dataset folder, as Hadoop names it (the images are read from there)
   * @param root the folder as absolute image paths name it ({@link DatasetWriter#imageRoot})
   */
  LayoutRowOf(Kind kind, ImagePaths imagePaths, String out, String root, HadoopConf conf) {
    this.kind = kind;
    this.imagePaths = imagePaths;
    this.out = out;
    this.root = root;
    this.conf = conf;
  }

  @Override
  public Row call(Row r) throws IOException {
    String id = r.getString(Schemas.O_ID);
    String problem = r.getString(Schemas.O_PROBLEM);
    List<String> relative = Schemas.list(r, Schemas.O_IMAGES);
    DatasetFormat.checkPlaceholders(id, problem, relative.size());
    Path folder = new Path(out);
    FileSystem fs = folder.getFileSystem(conf.get());
    Row[] images = new Row[relative.size()];
    for (int k = 0; k < images.length; k++) {
      byte[] bytes;
      try (InputStream in = fs.open(new Path(folder, relative.get(k)))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + relative.get(k) + " in " + out, e);
      }
      images[k] = RowFactory.create(bytes, imagePaths.name(root, relative.get(k)));
    }
    Object prompt;
    if (kind == Kind.TRL) {
      List<DatasetFormat.Block> blocks = DatasetFormat.contentBlocks(problem);
      Row[] content = new Row[blocks.size()];
      for (int i = 0; i < content.length; i++) {
        content[i] = RowFactory.create(blocks.get(i).type(), blocks.get(i).text());
      }
      prompt = new Row[] {RowFactory.create("user", content)};
    } else {
      prompt = problem;
    }
    Object[] values = new Object[kind.columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          switch (kind.columns.get(i)) {
            case "prompt" -> prompt;
            case "images" -> images;
            case "answer" -> r.getString(Schemas.O_ANSWER);
            case "task" -> r.getString(Schemas.O_TASK);
            case "id" -> id;
            case "metadata" -> r.getString(Schemas.O_METADATA);
            default ->
                throw new IllegalStateException("no value for column " + kind.columns.get(i));
          };
    }
    return RowFactory.create(values);
  }

  private static StructType struct(StructField... fields) {
    return new StructType(fields);
  }

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
