package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ssrl-cli (docs/architecture.md, "Packages of ssrl-cli") hold in the sources:
 * each command's package uses only the shared package, the shared package uses no command, only
 * {@code Main} and the build tool reach the commands, and no source file is over the size the split
 * was made for.
 */
class CliPackagesTest {
  private static final String C = "dev.ssrl.cli";

  /** Package (relative to dev.ssrl.cli) -> the ssrl-cli packages it may import besides its own. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "",
              Set.of(
                  C + ".common",
                  C + ".generate",
                  C + ".score",
                  C + ".serve",
                  C + ".preview",
                  C + ".curate"),
          "common", Set.of(),
          "generate", Set.of(C + ".common"),
          "score", Set.of(C + ".common"),
          "serve", Set.of(C + ".common"),
          "preview", Set.of(C + ".common"),
          "curate", Set.of(C + ".common"),
          "tools",
              Set.of(
                  C, C + ".common", C + ".generate", C + ".score", C + ".serve", C + ".preview"));

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import\\s+(?:static\\s+)?(dev\\.ssrl\\.cli(?:\\.[a-z]\\w*)*)\\.[A-Z]",
          Pattern.MULTILINE);

  private static final Path MAIN = Path.of("src/main/java/dev/ssrl/cli");

  @Test
  void eachPackageImportsOnlyWhatItsArrowAllows() throws IOException {
    List<String> violations = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Path f : javaFiles()) {
      String rel = MAIN.relativize(f.getParent()).toString().replace('/', '.');
      String own = rel.isEmpty() ? C : C + "." + rel;
      seen.add(rel);
      Set<String> allowed = ALLOWED.get(rel);
      if (allowed == null) {
        violations.add(f + ": package " + own + " has no rule in docs/architecture.md");
        continue;
      }
      Matcher m = IMPORT.matcher(Files.readString(f, StandardCharsets.UTF_8));
      while (m.find()) {
        String pkg = m.group(1);
        if (!pkg.equals(own) && !allowed.contains(pkg)) {
          violations.add(f + " imports " + pkg);
        }
      }
    }
    assertEquals(List.of(), violations);
    assertEquals(ALLOWED.keySet(), seen, "every package has sources and a rule");
  }

  @Test
  void noClassIsOverTheSizeTheCommandsWereSplitFor() throws IOException {
    // Http1Connection (one HTTP/1.1 connection on Jetty's parser and endpoint: its loop, the
    // request's answer and body, with the reasons in comments) is the one class allowed past 600
    // lines; every command stays well under it.
    List<String> over = new ArrayList<>();
    for (Path f : javaFiles()) {
      long lines;
      try (Stream<String> s = Files.lines(f, StandardCharsets.UTF_8)) {
        lines = s.count();
      }
      int limit = f.getFileName().toString().equals("Http1Connection.java") ? 800 : 600;
      if (lines > limit) {
        over.add(f + ": " + lines + " lines");
      }
    }
    assertTrue(over.isEmpty(), over.toString());
  }

  private static List<Path> javaFiles() {
    try (Stream<Path> s = Files.walk(MAIN)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
