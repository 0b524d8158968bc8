package dev.ssrl.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run behind {@code ssrl-cli/target/ssrl.jsa}, the class-data sharing archive written
 * at package time ({@code -XX:ArchiveClassesAtExit}, see ssrl-cli/pom.xml): one JVM that runs a
 * short {@code generate} of every task, a {@code score} of a few lines of each shape (the byte
 * reader's and the general path's) and {@code --version}, so that the archive holds the classes of
 * each command, not only those of {@code generate}. Not part of the command line; its output is
 * discarded.
 */
final class CdsTraining {
  private CdsTraining() {}

  /**
   * Runs the training commands in {@code args[0]} (a fresh folder) and exits 0, or the first
   * failing command's status.
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    Main.Context context =
        new Main.Context(
            Rewards::scoring, new ByteArrayInputStream(new byte[0]), quiet, System.err);
    Path scoreIn = dir.resolve("score-in.jsonl");
    Files.writeString(
        scoreIn,
        "{\"id\":\"r1\",\"group\":\"p1\",\"response\":\"<think>a\\nb 深度</think> \\\\boxed{2-1-3}\","
            + "\"answer\":\"2-1-3\"}\n"
            + "{\"id\":\"r2\",\"group\":\"p1\",\"response\":\"no box\",\"answer\":\"2-1-3\","
            + "\"task\":\"depth\"}\n"
            + "{\"id\":3,\"group\":{\"p\":2},\"response\":null,\"answer\":\"C\",\"extra\":[1]}\n",
        StandardCharsets.UTF_8);
    String[][] commands = {
      {
        "generate",
        "--out",
        dir.resolve("generate").toString(),
        "--tasks",
        "shuffle,flip,crop,depth,position",
        "--per-scene",
        "1",
        "--threads",
        "1",
        "--seed",
        "1"
      },
      {"score", "--in", scoreIn.toString(), "--out", dir.resolve("score-out.jsonl").toString()},
      {"--version"}
    };
    for (String[] c : commands) {
      int status = Main.execute(context, c);
      if (status != 0) {
        System.err.println("ssrl CDS training: " + String.join(" ", c) + " exited " + status);
        System.exit(status);
      }
    }
    System.exit(0);
  }
}
