package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PTX shipped in the jar is built from the current CUDA sources: its recorded SHA-256 covers
 * the .cu and every header it includes, and (with nvcc on PATH) the sources still compile, giving
 * the very same PTX when the compiler is the release that built the shipped one.
 */
class PtxFreshnessTest {
  private static final Path RESOURCES = Path.of("src/main/resources/dev/ssrl/gpu");
  private static final Pattern INCLUDE = Pattern.compile("#include \"([^\"]+)\"");

  @ParameterizedTest
  @ValueSource(strings = {"reward", "window_stats", "window_candidates"})
  void shippedPtxRecordsTheHashOfTheCurrentSources(String kernel) throws Exception {
    String[] record =
        Files.readString(RESOURCES.resolve(kernel + ".ptx.sha256"), StandardCharsets.UTF_8)
            .trim()
            .split("\\s+");
    List<String> files = List.of(record).subList(1, record.length);
    assertEquals(kernel + ".cu", files.get(0), "the hash starts with the kernel source");
    assertEquals(
        includes(kernel + ".cu"),
        new TreeSet<>(files.subList(1, files.size())),
        "the hash covers exactly the headers " + kernel + ".cu includes");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String f : files) {
      sha.update(Files.readAllBytes(HostHarness.CUDA_SOURCES.resolve(f)));
    }
    assertEquals(
        record[0],
        HexFormat.of().formatHex(sha.digest()),
        kernel + ".ptx is stale: run ssrl-gpu/build-ptx.sh and commit the result");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reward", "window_stats", "window_candidates"})
  void sourcesCompileToPtxAndMatchTheShippedPtxUnderTheSameCompiler(
      String kernel, @TempDir Path tmp) throws Exception {
    Optional<Path> nvcc = HostHarness.onPath("nvcc");
    Assumptions.assumeTrue(nvcc.isPresent(), "nvcc is not on PATH: CUDA sources not compiled");
    Path out = tmp.resolve(kernel + ".ptx");
    List<String> cmd = new ArrayList<>(List.of(nvcc.get().toString()));
    cmd.addAll(buildFlags());
    cmd.addAll(
        List.of("-o", out.toString(), HostHarness.CUDA_SOURCES.resolve(kernel + ".cu").toString()));
    HostHarness.run(cmd, 300);
    byte[] built = Files.readAllBytes(out);
    byte[] shipped = Files.readAllBytes(RESOURCES.resolve(kernel + ".ptx"));
    assertTrue(new String(built, StandardCharsets.UTF_8).contains(".target sm_75"));
    String builtBy = compilerLine(built);
    Assumptions.assumeTrue(
        builtBy.equals(compilerLine(shipped)),
        "compiled with " + builtBy + "; the shipped PTX came from " + compilerLine(shipped));
    assertArrayEquals(shipped, built, kernel + ".ptx differs from a fresh build: run build-ptx.sh");
  }

  /** The nvcc flags of build-ptx.sh (its FLAGS=(...) line), so the test builds the same way. */
  static List<String> buildFlags() throws Exception {
    for (String line : Files.readAllLines(Path.of("build-ptx.sh"))) {
      if (line.startsWith("FLAGS=(") && line.endsWith(")")) {
        return List.of(line.substring(7, line.length() - 1).trim().split("\\s+"));
      }
    }
    throw new AssertionError("build-ptx.sh has no FLAGS=(...) line");
  }

  private static TreeSet<String> includes(String source) throws Exception {
    TreeSet<String> found = new TreeSet<>();
    Matcher m = INCLUDE.matcher(Files.readString(HostHarness.CUDA_SOURCES.resolve(source)));
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static String compilerLine(byte[] ptx) {
    for (String line : new String(ptx, StandardCharsets.UTF_8).split("\n", 20)) {
      if (line.startsWith("// Cuda compilation tools")) {
        return line.trim();
      }
    }
    return "(no compiler line)";
  }
}
