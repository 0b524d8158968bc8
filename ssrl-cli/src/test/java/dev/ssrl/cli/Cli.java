package dev.ssrl.cli;

import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.generate.Generator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the command line in-process and captures its streams; compares output folders. */
public final class Cli {
  public final int status;
  public final String out;
  public final String err;

  private Cli(int status, String out, String err) {
    this.status = status;
    this.out = out;
    this.err = err;
  }

  public static Cli run(Scoring scoring, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int status =
        Main.execute(
            new CliContext(
                () -> scoring,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                o,
                e),
            args);
    return new Cli(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Cli run(String... args) {
    return run(new FakeScoring(), "", args);
  }

  @Override
  public String toString() {
    return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }

  /**
   * Every file of a dataset folder by relative path, with its bytes as a string key; the progress
   * journal and the manifest's "run" object (start/end time, threads) are left out, as documented.
   */
  public static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (rel.equals(Generator.JOURNAL)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(p);
        if (rel.equals(Generator.MANIFEST)) {
          var n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(bytes);
          n.remove("run");
          bytes = Json.MAPPER.writeValueAsBytes(n);
        }
        files.put(rel, java.util.HexFormat.of().formatHex(sha256(bytes)));
      }
    }
    return files;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
