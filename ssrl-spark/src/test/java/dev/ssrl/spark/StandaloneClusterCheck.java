package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Spark standalone cluster check, short version ({@code ssrl-spark/scripts/cluster-check.sh
 * quick}): a master and two workers as separate JVMs, {@code SparkGenerateMain} submitted with the
 * shaded jar, and the dataset compared with {@code ssrl generate}'s three times — a plain run, a
 * run whose executor is SIGKILLed in the middle of the generation stage, and a run with {@code
 * spark.speculation=true} and a straggling task. Runs in the {@code integration-test} phase (it
 * needs the packaged jars) under the {@code cluster} profile, which {@code CI=true} turns on.
 */
class StandaloneClusterCheck {

  @Test
  void theClusterWritesTheClisBytesThroughALostExecutorAndSpeculation() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    Path script = module.resolve("scripts/cluster-check.sh");
    Path classPath = module.resolve("target/classpath.txt");
    Path cliJar = module.resolve("../ssrl-cli/target/ssrl.jar").normalize();
    for (Path p : List.of(classPath, cliJar, module.resolve("target/ssrl-spark.jar"))) {
      if (!Files.isRegularFile(p)) {
        String why = p + " is not built (run the reactor's package phase with -Pcluster)";
        if ("true".equals(System.getenv("CI"))) {
          fail(why);
        }
        Assumptions.abort(why);
      }
    }
    Path log = module.resolve("target/cluster-check.log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), "quick")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SSRL_SPARK_CLASSPATH", Files.readString(classPath).strip());
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      // The script's trap stops the cluster it started when it is terminated.
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      fail("cluster check did not finish in 15 minutes: " + log);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("cluster-check: PASSED (quick)"), out);
    assertEquals(3, out.split("same dataset: ", -1).length - 1, "three runs compared:\n" + out);
    assertTrue(out.contains("killed executor pid"), out);
  }
}
