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
 * BoofCV-style convention that marks what is not API), and no two classes of different packages
 * depend on each other, directly or through others (the import cycle {@code SceneLoader} ⇄ {@code
 * RgbReader} that issue 25 removed).
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

  /** Source names of ssrl-tasks classes: {@code dev.ssrl.tasks.scene.SceneLoader} and the like. */
  private static final Pattern QUALIFIED =
      Pattern.compile("\\bdev\\.ssrl\\.tasks(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");

  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  /**
   * Classes depend on each other across packages nowhere: in the graph of ssrl-tasks' top-level
   * classes (an edge for each qualified name or import of another class, and for each use of a
   * same-package class by its simple name, comments left out), every strongly connected component
   * lies in one package. Same-package cycles are allowed (a record and the class that loads it); a
   * cycle through two packages means neither can be understood, tested or replaced alone, which is
   * how {@code SceneLoader} and {@code RgbReader} stood before issue 25.
   */
  @Test
  void noCycleRunsThroughTwoPackages() throws IOException {
    Map<String, Set<String>> graph = classGraph(MAIN);
    assertTrue(graph.size() > 40, "the classes were found (" + graph.size() + ")");
    List<String> violations = new ArrayList<>();
    for (Set<String> component : stronglyConnected(graph)) {
      Set<String> packages = new TreeSet<>();
      for (String c : component) {
        packages.add(c.substring(0, c.lastIndexOf('.')));
      }
      if (packages.size() > 1) {
        violations.add("cycle through " + packages + ": " + component);
      }
    }
    assertEquals(List.of(), violations);
  }

  /** The check above finds a cycle where there is one: the one issue 25 removed, rebuilt. */
  @Test
  void theCycleCheckFindsACycleThroughTwoPackages(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path scene = Files.createDirectories(dir.resolve("scene"));
    Path impl = Files.createDirectories(scene.resolve("impl"));
    Files.writeString(
        scene.resolve("SceneLoader.java"),
        "package dev.ssrl.tasks.scene;\nimport dev.ssrl.tasks.scene.impl.RgbReader;\n"
            + "class SceneLoader { int a = RgbReader.X; }\n");
    Files.writeString(
        impl.resolve("RgbReader.java"),
        "package dev.ssrl.tasks.scene.impl;\n"
            + "class RgbReader { static final int X = 1; int b = Helper.Y; }\n");
    Files.writeString(
        impl.resolve("Helper.java"),
        "package dev.ssrl.tasks.scene.impl;\n"
            + "// SceneLoader in a comment is no edge\n"
            + "class Helper { static final int Y = dev.ssrl.tasks.scene.SceneLoader.MIN; }\n");
    Files.writeString(
        impl.resolve("Alone.java"),
        "package dev.ssrl.tasks.scene.impl;\n/** {@link RgbReader} */\nclass Alone {}\n");
    List<Set<String>> multi = new ArrayList<>();
    for (Set<String> c : stronglyConnected(classGraph(dir))) {
      if (c.size() > 1) {
        multi.add(c);
      }
    }
    assertEquals(
        List.of(
            Set.of(
                "dev.ssrl.tasks.scene.SceneLoader",
                "dev.ssrl.tasks.scene.impl.RgbReader",
                "dev.ssrl.tasks.scene.impl.Helper")),
        multi);
  }

  /** Top-level class -> the ssrl-tasks classes its source uses (see the test above). */
  private static Map<String, Set<String>> classGraph(Path root) throws IOException {
    Map<String, String> sources = new java.util.TreeMap<>();
    for (Path f : javaFiles(root)) {
      String name = f.getFileName().toString().replace(".java", "");
      if (name.equals("package-info")) {
        continue;
      }
      String rel = root.relativize(f.getParent()).toString().replace('/', '.');
      String cls = (rel.isEmpty() ? T : T + "." + rel) + "." + name;
      String code = COMMENT.matcher(Files.readString(f, StandardCharsets.UTF_8)).replaceAll(" ");
      sources.put(cls, code);
    }
    Map<String, Set<String>> graph = new java.util.TreeMap<>();
    for (var e : sources.entrySet()) {
      String cls = e.getKey();
      String pkg = cls.substring(0, cls.lastIndexOf('.'));
      Set<String> uses = new TreeSet<>();
      Matcher m = QUALIFIED.matcher(e.getValue());
      while (m.find()) {
        if (sources.containsKey(m.group()) && !m.group().equals(cls)) {
          uses.add(m.group());
        }
      }
      for (String other : sources.keySet()) {
        int dot = other.lastIndexOf('.');
        if (!other.equals(cls)
            && other.substring(0, dot).equals(pkg)
            && Pattern.compile("\\b" + other.substring(dot + 1) + "\\b")
                .matcher(e.getValue())
                .find()) {
          uses.add(other);
        }
      }
      graph.put(cls, uses);
    }
    return graph;
  }

  /** Tarjan's strongly connected components, iterated in a fixed order. */
  private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new java.util.HashMap<>();
    Map<String, Integer> low = new java.util.HashMap<>();
    java.util.Deque<String> stack = new java.util.ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      java.util.Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
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
