package dev.ssrl.spark;

import dev.ssrl.dataset.Column;
import dev.ssrl.dataset.TrainerLayout;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A trainer layout that only this test source file (and its service entry) defines: the proof that
 * a layout needs no switch in either front end ({@code
 * SameAsCliTest#aLayoutOnTheClassPathIsWrittenByBoth}). It uses every column type, an optional
 * column left null, a nested list and a footer entry, so that each path of both writers is taken.
 */
public final class AnswerKeyLayout implements TrainerLayout {
  private static final long serialVersionUID = 1L;

  static final String NAME = "answer-key";
  static final String FOOTER_KEY = "ssrl.test.layout";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String schemaName() {
    return "answer_key";
  }

  @Override
  public List<Column> columns() {
    return List.of(
        Column.string("id", true),
        Column.string("answer", true),
        Column.int64("image_count", true),
        Column.bytes("second_image", false),
        Column.list("tags", true, Column.string("element", true)),
        Column.group("source", false, Column.string("task", true), Column.string("split", false)));
  }

  @Override
  public Map<String, String> footer() {
    return Map.of(FOOTER_KEY, NAME);
  }

  @Override
  public List<Object> row(Line line) throws IOException {
    return Arrays.asList(
        line.id(),
        line.answer(),
        (long) line.images().size(),
        // Null (left out) for single-image samples: the optional-column path.
        line.images().size() > 1 ? line.bytes().read(1) : null,
        List.of(line.task(), "n" + line.images().size()),
        Arrays.asList(line.task(), line.split()));
  }
}
