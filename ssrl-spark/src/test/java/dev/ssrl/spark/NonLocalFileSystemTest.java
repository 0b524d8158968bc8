package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenes and output on a Hadoop file system other than {@code file:}. */
class NonLocalFileSystemTest {

  @Test
  void scenesOnANonLocalFileSystemGiveTheSameSamplesAsLocalFiles(@TempDir Path dir)
      throws IOException {
    SparkSession spark = LocalSpark.session();
    spark
        .sparkContext()
        .hadoopConfiguration()
        .set("fs.ssrltest.impl", TestFileSystem.class.getName());
    Path scenes = dir.resolve("scenes");
    StringBuilder remote = new StringBuilder();
    for (AllFormatScenes.Files3 f : AllFormatScenes.write(scenes, 320, 240)) {
      remote.append(TestFileSystem.uri(f.rgb())).append(',');
      remote.append(f.depth() == null ? "" : TestFileSystem.uri(f.depth())).append(',');
      remote.append(f.mask() == null ? "" : TestFileSystem.uri(f.mask())).append('\n');
    }
    Files.writeString(dir.resolve("remote.csv"), remote);
    SparkGenerator g =
        SparkGenerator.builder()
            .tasks(List.of("shuffle", "depth", "position"))
            .partitions(2)
            .parquet(false)
            .build();

    Path outLocal = dir.resolve("out-local");
    // Locally the folder is paired by SPEC §1's names; remotely a listing names the same files.
    GenerationSummary a = g.write(spark, SceneListing.of(scenes.toString()), outLocal.toString());
    Path outRemote = dir.resolve("out-remote");
    GenerationSummary b =
        g.write(
            spark,
            SceneListing.of(TestFileSystem.uri(dir.resolve("remote.csv"))),
            TestFileSystem.uri(outRemote));
    assertTrue(b.out().startsWith("ssrltest:"), b.out());
    assertEquals(a.perTask(), b.perTask());
    Map<String, String> fa = Datasets.fingerprint(outLocal);
    assertEquals(fa, Datasets.fingerprint(outRemote));
    assertTrue(
        fa.keySet().stream().anyMatch(id -> id.contains("-depth-")),
        "depth maps were read from the non-local file system: " + fa.keySet());
  }

  /**
   * Scene files on a non-{@code file:} file system are read into memory, never copied to local
   * disk. Proven in a JVM of its own whose {@code java.io.tmpdir} is an empty folder that nothing
   * else uses: while it loads one scene of every format through {@code ssrltest:} (and, to compare,
   * through {@code file:}), a watch on that folder and on the scene folder sees no file created,
   * not even one deleted again at once (which is what copying to a temporary folder did).
   */
  @Test
  void remoteSceneFilesAreDecodedFromStreamsWithoutAnyLocalFile(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path scenes = dir.resolve("scenes");
    AllFormatScenes.write(scenes, 128, 96);
    Path tmp = Files.createDirectories(dir.resolve("tmpdir"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // The module options Hadoop needs, but not the coverage agent (one writer of jacoco.exec).
      if (!a.startsWith("-javaagent") && !a.startsWith("-Djava.io.tmpdir")) {
        cmd.add(a);
      }
    }
    cmd.addAll(
        List.of(
            "-Djava.io.tmpdir=" + tmp,
            "-cp",
            System.getProperty("java.class.path"),
            NoLocalCopyProbe.class.getName(),
            scenes.toString(),
            tmp.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("scenes=5\n"), out);
    assertTrue(out.contains("equal=5\n"), "remote and local scenes are equal: " + out);
    assertTrue(out.contains("created=[]\n"), "no file created while loading: " + out);
    assertTrue(out.contains("tmpdir=[]\n"), out);
  }
}
