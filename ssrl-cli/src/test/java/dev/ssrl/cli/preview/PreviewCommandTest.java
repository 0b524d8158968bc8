package dev.ssrl.cli.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.ssrl.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class PreviewCommandTest {
  @TempDir Path tmp;

  public static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void onePagePerDatasetWithOneSectionPerTaskAndInlinedImages() throws IOException {
    Path ds = tmp.resolve("ds");
    assertEquals(
        0,
        Cli.run(
                "generate",
                "--out",
                ds.toString(),
                "--tasks",
                "tiles,five,picky",
                "--builtin-scenes",
                "8")
            .status);
    Path html = tmp.resolve("p/preview.html");
    Cli r =
        Cli.run("preview", "--dataset", ds.toString(), "--out", html.toString(), "--per-task", "3");
    assertEquals(0, r.status, r::toString);
    String page = Files.readString(html);
    assertEquals(3, count(page, "<section class=\"task\""));
    for (String t : new String[] {"tiles", "five", "picky"}) {
      Matcher m =
          Pattern.compile(
                  "<section class=\"task\" id=\"task-" + t + "\">(.*?)</section>", Pattern.DOTALL)
              .matcher(page);
      assertTrue(m.find(), t);
      String section = m.group(1);
      assertEquals(3, count(section, "<article class=\"sample\""), t);
      assertEquals(
          count(section, "&lt;image&gt;"),
          count(section, "<img "),
          "one inlined image per <image> placeholder in " + t);
    }
    assertEquals(count(page, "<img "), count(page, "src=\"data:image/jpeg;base64,"));
    assertTrue(!page.contains("src=\"images/"), "no links to files: the page is self-contained");
  }

  @Test
  void aFolderWithoutADatasetIsExitOne() {
    Cli r =
        Cli.run("preview", "--dataset", tmp.toString(), "--out", tmp.resolve("x.html").toString());
    assertEquals(1, r.status, r::toString);
    assertTrue(r.err.contains("train.jsonl"), r.err);
  }

  @Test
  void escapedTextNeverContainsMarkup() {
    qt().forAll(strings().allPossible().ofLengthBetween(0, 40))
        .check(
            s -> {
              String e = PreviewCommand.escape(s);
              return e.indexOf('<') < 0
                  && e.indexOf('>') < 0
                  && e.indexOf('"') < 0
                  && e.replace("&lt;", "<")
                      .replace("&gt;", ">")
                      .replace("&quot;", "\"")
                      .replace("&#39;", "'")
                      .replace("&amp;", "&")
                      .equals(s);
            });
  }
}
