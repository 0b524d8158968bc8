package dev.ssrl.dataset;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A column (or a nested field) of a {@link TrainerLayout}'s Parquet files, described without any
 * Parquet or Spark class so that both writers read it: the CLI turns it into a parquet-mr schema,
 * the Spark job into a {@code StructType}. The values a layout's rows hold for it are a {@link
 * String} ({@link Type#STRING}), a {@code byte[]} ({@link Type#BYTES}), a {@link Long} ({@link
 * Type#INT64}), a {@link List} of element values ({@link Type#LIST}) or a {@link List} of field
 * values in field order ({@link Type#GROUP}); {@code null} where the column is not required.
 *
 * @param name the column's name (a list's element is named {@code element}, the standard
 *     three-level list that pyarrow, Hugging Face datasets and Spark read)
 * @param type its type
 * @param required whether every row has a value (Parquet {@code required}; Spark non-nullable)
 * @param fields a group's fields in order, or a list's one element; empty for the other types
 */
public record Column(String name, Type type, boolean required, List<Column> fields)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What a column holds. */
  public enum Type {
    /** UTF-8 text. */
    STRING,
    /** Raw bytes (e.g. a JPEG). */
    BYTES,
    /** A 64-bit integer. */
    INT64,
    /** A list of one element type. */
    LIST,
    /** A group of named fields. */
    GROUP
  }

  /**
   * @throws IllegalArgumentException if a list has not exactly one element field, a group no field,
   *     or a primitive any
   */
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    fields = List.copyOf(fields);
    boolean ok =
        switch (type) {
          case LIST -> fields.size() == 1;
          case GROUP -> !fields.isEmpty();
          default -> fields.isEmpty();
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "column " + name + ": a " + type + " with " + fields.size() + " fields");
    }
  }

  /** A text column. */
  public static Column string(String name, boolean required) {
    return new Column(name, Type.STRING, required, List.of());
  }

  /** A bytes column. */
  public static Column bytes(String name, boolean required) {
    return new Column(name, Type.BYTES, required, List.of());
  }

  /** A 64-bit integer column. */
  public static Column int64(String name, boolean required) {
    return new Column(name, Type.INT64, required, List.of());
  }

  /** A list column; its element is named {@code element}. */
  public static Column list(String name, boolean required, Column element) {
    return new Column(name, Type.LIST, required, List.of(element));
  }

  /** A group column. */
  public static Column group(String name, boolean required, Column... fields) {
    return new Column(name, Type.GROUP, required, List.of(fields));
  }
}
