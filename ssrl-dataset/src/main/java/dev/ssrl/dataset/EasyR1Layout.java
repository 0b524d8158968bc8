package dev.ssrl.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EasyR1's layout, {@code easyr1/train.parquet} / {@code easyr1/test.parquet} ({@code --layout
 * easyr1}, alias {@code --easyr1}): a folder EasyR1 loads as {@code DIR@train} / {@code DIR@test},
 * images inlined. Columns {@link #COLUMNS}, under EasyR1's default {@code prompt_key}, {@code
 * answer_key} and {@code image_key}: {@code prompt} is the problem text with its placeholders,
 * {@code images} the JPEG bytes as Hugging Face image structs. Every field is optional, as for
 * {@link TrlLayout}.
 */
public final class EasyR1Layout implements TrainerLayout {
  private static final long serialVersionUID = 1L;

  /** {@value}; also the folder of its files. */
  public static final String NAME = "easyr1";

  /** The column names, in order. */
  public static final List<String> COLUMNS =
      List.of("prompt", "answer", "images", "id", "task", "metadata");

  private static final List<Column> SCHEMA = schema();

  private static List<Column> schema() {
    List<Column> c = new ArrayList<>();
    for (String name : COLUMNS) {
      c.add(name.equals("images") ? imageList() : Column.string(name, false));
    }
    return List.copyOf(c);
  }

  /**
   * The optional list of optional {@code {bytes, path}} image structs of the TRL and EasyR1 files.
   */
  static Column imageList() {
    return Column.list(
        "images",
        false,
        Column.group("element", false, Column.bytes("bytes", false), Column.string("path", false)));
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@code easyr1/train.parquet}, or {@code easyr1/test.parquet} for the val split: its {@code
   * DIR@test} loads the folder's files whose name starts with {@value DatasetFormat#TEST}.
   */
  @Override
  public String file(String split) {
    return NAME + "/" + (DatasetFormat.VAL.equals(split) ? DatasetFormat.TEST : split) + ".parquet";
  }

  @Override
  public List<Column> columns() {
    return SCHEMA;
  }

  @Override
  public Map<String, String> footer() {
    return Map.of(
        DatasetFormat.HUGGING_FACE_KEY, DatasetFormat.huggingFaceFeatures(COLUMNS, false));
  }

  @Override
  public List<Object> row(Line line) throws IOException {
    line.checkPlaceholders();
    List<Object> images = line.imageStructs();
    List<Object> row = new ArrayList<>();
    for (String c : COLUMNS) {
      row.add(
          switch (c) {
            case "prompt" -> line.problem();
            case "images" -> images;
            case "answer" -> line.answer();
            case "task" -> line.task();
            case "id" -> line.id();
            default -> line.metadata();
          });
    }
    return row;
  }
}
