package dev.ssrl.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The row layouts of the job; column positions are constants so executors avoid name lookups. */
final class Schemas {
  private Schemas() {}

  /** A listing entry; {@code error} is set (and the rest may be null) for a malformed line. */
  static final StructType SCENE =
      new StructType(
          new StructField[] {
            field("id", false),
            field("rgb", true),
            field("depth", true),
            field("mask", true),
            field("error", true)
          });

  static final int S_ID = 0;
  static final int S_RGB = 1;
  static final int S_DEPTH = 2;
  static final int S_MASK = 3;
  static final int S_ERROR = 4;

  /**
   * One work item's outcome, as {@link SparkGenerator#outcomes} returns it. Samples have a null
   * {@code reason}; rejections have a null problem, answer, images and metadata.
   */
  static final StructType OUTCOME = outcome(DataTypes.BinaryType);

  /** The same after the images were written: image paths relative to the dataset folder. */
  static final StructType STAGED = outcome(DataTypes.StringType);

  static final int O_ID = 0;
  static final int O_SCENE = 1;
  static final int O_TASK = 2;
  static final int O_VARIANT = 3;
  static final int O_SPLIT = 4;
  static final int O_PROBLEM = 5;
  static final int O_ANSWER = 6;
  static final int O_IMAGES = 7;
  static final int O_METADATA = 8;
  static final int O_REASON = 9;
  static final int O_SOURCE = 10;

  private static StructType outcome(org.apache.spark.sql.types.DataType image) {
    return new StructType(
        new StructField[] {
          field("id", false),
          field("scene", false),
          field("task", false),
          DataTypes.createStructField("variant", DataTypes.IntegerType, false),
          field("split", true),
          field("problem", true),
          field("answer", true),
          DataTypes.createStructField("images", DataTypes.createArrayType(image, false), true),
          field("metadata", true),
          field("reason", true),
          field("source", true)
        });
  }

  /**
   * An array column as a list. Rows made by this module hold Java arrays, which Spark passes on
   * unchanged between two typed operations (it elides the encoding in between); rows that Spark
   * decoded hold Scala sequences.
   */
  @SuppressWarnings("unchecked")
  static <T> java.util.List<T> list(org.apache.spark.sql.Row r, int i) {
    Object v = r.get(i);
    if (v instanceof Object[] a) {
      return (java.util.List<T>) java.util.Arrays.asList(a);
    }
    return r.getList(i);
  }

  private static StructField field(String name, boolean nullable) {
    return DataTypes.createStructField(name, DataTypes.StringType, nullable);
  }
}
