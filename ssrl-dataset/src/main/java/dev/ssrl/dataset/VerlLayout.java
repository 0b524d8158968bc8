package dev.ssrl.dataset;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * verl's RLHF dataset layout, {@code verl/train.parquet} / {@code verl/val.parquet} ({@code
 * --layout verl}, alias {@code --verl}): a chat prompt, the images as Hugging Face image structs
 * with the JPEG bytes inlined (so the file works from any working directory), a rule reward model,
 * and {@code extra_info.index}, the row's position in its file ({@link #numbersRows}: the CLI
 * only).
 */
public final class VerlLayout implements TrainerLayout {
  private static final long serialVersionUID = 1L;

  /** {@value}; also the folder of its files. */
  public static final String NAME = "verl";

  private static final List<Column> SCHEMA =
      List.of(
          Column.string("data_source", true),
          Column.list(
              "prompt",
              true,
              Column.group(
                  "element", true, Column.string("role", true), Column.string("content", true))),
          Column.list(
              "images",
              true,
              Column.group(
                  "element", true, Column.bytes("bytes", true), Column.string("path", true))),
          Column.string("ability", true),
          Column.group(
              "reward_model",
              true,
              Column.string("style", true),
              Column.string("ground_truth", true)),
          Column.group(
              "extra_info",
              true,
              Column.string("split", true),
              Column.int64("index", true),
              Column.string("id", true),
              Column.string("task", true)));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Column> columns() {
    return SCHEMA;
  }

  @Override
  public boolean numbersRows() {
    return true;
  }

  @Override
  public List<Object> row(Line line) throws IOException {
    return Arrays.asList(
        "ssrl/" + line.task(),
        List.of(Arrays.asList("user", line.problem())),
        line.imageStructs(),
        "spatial",
        Arrays.asList("rule", line.answer()),
        Arrays.asList(line.split(), line.index(), line.id(), line.task()));
  }
}
