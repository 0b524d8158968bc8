package dev.ssrl.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * TRL's conversational layout, {@code trl/train.parquet} / {@code trl/val.parquet} ({@code --layout
 * trl}, alias {@code --trl}), images inlined. Columns {@link #COLUMNS}: {@code prompt} is one user
 * message whose {@code content} is text and image blocks in placeholder order ({@link
 * DatasetFormat#contentBlocks}; {@code text} null for an image block), {@code images} the JPEG
 * bytes as Hugging Face image structs {@code {bytes, path}}.
 *
 * <p>Hugging Face datasets takes a column's feature (here: Image, so that rows hold decoded images,
 * not byte structs) from the footer's {@code huggingface} entry only when that feature's Arrow type
 * equals the file's column type, nullability included; hence every field is optional, as pyarrow
 * writes them.
 */
public final class TrlLayout implements TrainerLayout {
  private static final long serialVersionUID = 1L;

  /** {@value}; also the folder of its files. */
  public static final String NAME = "trl";

  /** The column names, in order. */
  public static final List<String> COLUMNS =
      List.of("prompt", "images", "answer", "task", "id", "metadata");

  private static final List<Column> SCHEMA = schema();

  private static List<Column> schema() {
    List<Column> c = new ArrayList<>();
    for (String name : COLUMNS) {
      c.add(
          switch (name) {
            case "prompt" ->
                Column.list(
                    name,
                    false,
                    Column.group(
                        "element",
                        false,
                        Column.string("role", false),
                        Column.list(
                            "content",
                            false,
                            Column.group(
                                "element",
                                false,
                                Column.string("type", false),
                                Column.string("text", false)))));
            case "images" -> EasyR1Layout.imageList();
            default -> Column.string(name, false);
          });
    }
    return List.copyOf(c);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Column> columns() {
    return SCHEMA;
  }

  @Override
  public Map<String, String> footer() {
    return Map.of(DatasetFormat.HUGGING_FACE_KEY, DatasetFormat.huggingFaceFeatures(COLUMNS, true));
  }

  @Override
  public List<Object> row(Line line) throws IOException {
    line.checkPlaceholders();
    List<Object> content = new ArrayList<>();
    for (DatasetFormat.Block b : DatasetFormat.contentBlocks(line.problem())) {
      content.add(Arrays.asList(b.type(), b.text()));
    }
    List<Object> prompt = List.of(Arrays.asList("user", content));
    List<Object> images = line.imageStructs();
    List<Object> row = new ArrayList<>();
    for (String c : COLUMNS) {
      row.add(
          switch (c) {
            case "prompt" -> prompt;
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
