package dev.ssrl.tasks;

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
 * The package rules of docs/architecture.md hold in the sources: each package of ssrl-tasks imports
 * only the ssrl packages its arrow allows, and no other module imports an {@code impl} package (the
 * BoofCV-style convention that marks what is not API).
 */
class ArchitectureTest {
  private static final String T = "dev.ssrl.tasks";

  /** Package (relative to dev.ssrl.tasks) -> the ssrl packages it may import besides its own. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          // The tasks implement the audit's capability interface (Audited); the audit never
          // imports a task.
          "", Set.of("dev.ssrl.api", T + ".image", T + ".depth", T + ".impl", T + ".audit"),
          "audit", Set.of("dev.ssrl.api"),
          "scene", Set.of("dev.ssrl.api", T + ".scene.impl"),
          "scene.impl", Set.of("dev.ssrl.api", T + ".scene", T + ".impl"),
          "image", Set.of("dev.ssrl.api", T + ".image.impl", T + ".impl"),
          "image.impl", Set.of("dev.ssrl.api"),
          "depth", Set.of("dev.ssrl.api", T + ".impl"),
          "interop", Set.of("dev.ssrl.api"),
          "synthetic", Set.of("dev.ssrl.api"),
          "impl", Set.of());

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import\\s+(?:static\\s+)?(dev\\.ssrl(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);

  private static final Path MAIN = Path.of("src/main/java/dev/ssrl/tasks");

  @Test
  void eachPackageImportsOnlyWhatItsArrowAllows() throws IOException {
    List<String> violations = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Path f : javaFiles(MAIN)) {
      String rel = MAIN.relativize(f.getParent()).toString().replace('/', '.');
      String own = rel.isEmpty() ? T : T + "." + rel;
      seen.add(rel);
      Set<String> allowed = ALLOWED.get(rel);
      if (allowed == null) {
        violations.add(
            own + " is a new package: give it a row in ArchitectureTest and docs/architecture.md");
        continue;
      }
      for (String imported : ssrlImports(f)) {
        if (!imported.equals(own) && !allowed.contains(imported)) {
          violations.add(f + " imports " + imported);
        }
      }
    }
    assertEquals(List.of(), violations);
    assertEquals(new TreeSet<>(ALLOWED.keySet()), seen, "every package in the rules still exists");
  }

  @Test
  void noOtherModuleImportsAnImplPackage() throws IOException {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> modules = Files.list(repo)) {
      for (Path m : modules.filter(p -> p.getFileName().toString().startsWith("ssrl-")).toList()) {
        if (m.getFileName().toString().equals("ssrl-tasks")
            || !Files.isDirectory(m.resolve("src"))) {
          continue;
        }
        for (Path f : javaFiles(m.resolve("src"))) {
          files++;
          for (String imported : ssrlImports(f)) {
            if (imported.startsWith(T)
                && (imported.endsWith(".impl") || imported.contains(".impl."))) {
              violations.add(repo.relativize(f) + " imports " + imported);
            }
          }
        }
      }
    }
    assertTrue(files > 100, "the other modules' sources were found (" + files + " files)");
    assertEquals(List.of(), violations);
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static Set<String> ssrlImports(Path f) {
    try {
      Matcher m = IMPORT.matcher(Files.readString(f, StandardCharsets.UTF_8));
      Set<String> out = new TreeSet<>();
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(f.toString(), e);
    }
  }
}
