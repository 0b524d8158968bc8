package dev.ssrl.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generic layout, {@code train.parquet} / {@code val.parquet} ({@code --layout parquet}, alias
 * {@code --parquet}): the JSONL keys as columns ({@link DatasetFormat#PARQUET_COLUMNS}), all text
 * but {@code images} (the image paths as the JSONL names them); {@code metadata} is the line's own
 * JSON text of it, so that numbers keep their form (8.0 stays 8.0).
 */
public final class GenericParquetLayout implements TrainerLayout {
  private static final long serialVersionUID = 1L;

  /** {@value}. */
  public static final String NAME = "parquet";

  private static final List<Column> COLUMNS = schema();

  private static List<Column> schema() {
    List<Column> c = new ArrayList<>();
    for (String name : DatasetFormat.PARQUET_COLUMNS) {
      c.add(
          name.equals("images")
              ? Column.list(name, true, Column.string("element", true))
              : Column.string(name, true));
    }
    return List.copyOf(c);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@code train.parquet} or {@code val.parquet}. */
  @Override
  public String file(String split) {
    return DatasetFormat.parquet(split);
  }

  @Override
  public String schemaName() {
    return "ssrl";
  }

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> row(Line line) {
    return Arrays.asList(
        line.id(),
        line.task(),
        line.problem(),
        line.answer(),
        List.copyOf(line.images()),
        line.metadata());
  }
}
