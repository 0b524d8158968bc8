package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutsTest {
  private static final String[] PIECES = {"", "a", "Option A: ", "\n", "<imag", "e>", " ", "é"};

  /**
   * Over problems built from text pieces and placeholders: the blocks, read back with each image
   * block as a placeholder, are the problem again; image blocks are as many as placeholders; no
   * text block is empty and no two text blocks touch (each placeholder is where it was).
   */
  @Test
  void contentBlocksKeepEveryPlaceholderWhereItWas() {
    qt().forAll(lists().of(integers().between(-1, PIECES.length - 1)).ofSizeBetween(0, 12))
        .check(
            codes -> {
              StringBuilder problem = new StringBuilder();
              for (int c : codes) {
                problem.append(c < 0 ? DatasetFormat.IMAGE_PLACEHOLDER : PIECES[c]);
              }
              String p = problem.toString();
              List<DatasetFormat.Block> blocks = DatasetFormat.contentBlocks(p);
              StringBuilder back = new StringBuilder();
              int images = 0;
              boolean lastText = false;
              for (DatasetFormat.Block b : blocks) {
                if (b.type().equals("image")) {
                  back.append(DatasetFormat.IMAGE_PLACEHOLDER);
                  images++;
                  lastText = false;
                } else {
                  if (b.text().isEmpty() || lastText) {
                    return false;
                  }
                  back.append(b.text());
                  lastText = true;
                }
              }
              return back.toString().equals(p)
                  && images == DatasetFormat.segments(p).size() - 1
                  && images == count(p);
            });
  }

  private static int count(String s) {
    int n = 0;
    for (int i = s.indexOf("<image>"); i >= 0; i = s.indexOf("<image>", i + 7)) {
      n++;
    }
    return n;
  }

  @Test
  void aCropProblemKeepsEachOptionNextToItsImage() {
    List<DatasetFormat.Block> b =
        DatasetFormat.contentBlocks("<image>Which crop?\nA: <image>\nB: <image><image>");
    assertEquals(
        List.of(
            DatasetFormat.Block.IMAGE,
            new DatasetFormat.Block("text", "Which crop?\nA: "),
            DatasetFormat.Block.IMAGE,
            new DatasetFormat.Block("text", "\nB: "),
            DatasetFormat.Block.IMAGE,
            DatasetFormat.Block.IMAGE),
        b);
    assertEquals(List.of("", "x", ""), DatasetFormat.segments("<image>x<image>"));
  }

  @Test
  void imagePathModes() {
    assertEquals(ImagePaths.RELATIVE, ImagePaths.parse("relative"));
    assertEquals(ImagePaths.ABSOLUTE, ImagePaths.parse("absolute"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImagePaths.parse("Absolute"));
    assertEquals("--image-paths must be relative or absolute, got 'Absolute'", e.getMessage());
    assertEquals("images/t/i.jpg", ImagePaths.RELATIVE.name("/d", "images/t/i.jpg"));
    assertEquals("/d/images/t/i.jpg", ImagePaths.ABSOLUTE.name("/d", "images/t/i.jpg"));
    assertTrue(Layouts.NONE.names().isEmpty());
    assertTrue(Layouts.NONE.imagePaths() == ImagePaths.RELATIVE);
  }
}
