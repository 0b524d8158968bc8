package dev.ssrl.cli.tools;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.cli.Main;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.serve.RewardServer;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind {@code ssrl-cli/target/ssrl.jsa}, the class-data sharing archive written
 * at package time ({@code -XX:ArchiveClassesAtExit}, see ssrl-cli/pom.xml): one JVM that runs a
 * short {@code generate} of every task on the built-in scenes and one on a folder of scene files it
 * writes (RGB-only JPEG and PNG, a DIODE-style PNG with {@code .npy} depth and mask, a
 * MegaDepth-style JPEG with HDF5 depth, images large enough for the striped JPEG encoder), a {@code
 * score} of a few lines of each shape (the byte reader's and the general path's) and {@code
 * --version} and a short {@code serve} session, so that the archive holds the classes of each
 * command and of every reader a user's files go through, not only those of the built-in scenes:
 * without the folder, a run on DIODE and MegaDepth files loaded 172 of our, jHDF's and its
 * dependencies' classes from the jar (issue 17). Not part of the command line; its output is
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
    CliContext context =
        new CliContext(Rewards::scoring, new ByteArrayInputStream(new byte[0]), quiet, System.err);
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
      generate(dir.resolve("generate")),
      generate(dir.resolve("generate-files"), writeScenes(dir.resolve("scenes"))),
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
    serve();
    System.exit(0);
  }

  /**
   * The reward server's classes (Jetty's among them): a server on a free loopback port answers a
   * health check, one request of each endpoint and one malformed request, then stops.
   */
  private static void serve() throws IOException {
    RewardServer server = new RewardServer(Rewards.scoring(), "127.0.0.1", 0, 1, 4, 1 << 20, 64);
    int port = server.start();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      String score =
          "{\"items\": [{\"response\": \"<think>x</think> \\\\boxed{B}\", \"answer\": \"B\"}]}";
      String reward = "{\"query\": [\"<think>x</think> \\\\boxed{B}\"], \"labels\": [\"B\"]}";
      String requests =
          "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
              + post("/v1/score", score)
              + post("/get_reward", reward)
              + post("/v1/score", "{\"items\": 1}");
      s.getOutputStream().write(requests.getBytes(StandardCharsets.UTF_8));
      // Four answers; the last is a 400. Read until it has come.
      StringBuilder got = new StringBuilder();
      byte[] buf = new byte[8192];
      while (count(got, "HTTP/1.1 ") < 4 || !got.toString().endsWith("}")) {
        int n = s.getInputStream().read(buf);
        if (n < 0) {
          break;
        }
        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } finally {
      server.stop(0);
    }
  }

  private static String post(String path, String json) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + json.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + json;
  }

  private static int count(CharSequence s, String what) {
    int n = 0;
    for (int i = s.toString().indexOf(what); i >= 0; i = s.toString().indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /**
   * A one-sample-per-task generate of every task into {@code out}, from the scene folders given.
   */
  private static String[] generate(Path out, Path... folders) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "--out",
                out.toString(),
                "--tasks",
                "shuffle,flip,crop,depth,position",
                "--per-scene",
                "1",
                "--threads",
                "1",
                "--seed",
                "1"));
    for (Path f : folders) {
      args.add(f.toString());
    }
    return args.toArray(String[]::new);
  }

  /** Scene files in the formats of SPEC §1 that real data uses most, in a fresh folder. */
  private static Path writeScenes(Path dir) throws IOException {
    Files.createDirectories(dir);
    // 1,024 × 512 is the smallest size ImageCodec encodes as strips (half a megapixel).
    Scene a = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 0, 1024, 512);
    Scene b = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 1, 1024, 512);
    Scene c = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 2, 640, 480);
    Scene d = SyntheticScenes.scene(SyntheticScenes.BUILT_IN_SEED, 3, 320, 240);
    Files.write(dir.resolve("photo.jpg"), ImageCodec.encodeJpeg(a.rgb()));
    Files.write(dir.resolve("small.png"), ImageCodec.encodePng(d.rgb()));
    Files.write(dir.resolve("room.png"), ImageCodec.encodePng(b.rgb()));
    Files.write(dir.resolve("room_depth.npy"), npy(b.depth(), false));
    Files.write(dir.resolve("room_depth_mask.npy"), npy(b.depth(), true));
    Files.write(dir.resolve("street.jpg"), ImageCodec.encodeJpeg(c.rgb()));
    DepthMap depth = c.depth();
    float[][] rows = new float[depth.height()][depth.width()];
    for (int y = 0; y < depth.height(); y++) {
      for (int x = 0; x < depth.width(); x++) {
        rows[y][x] = depth.at(x, y);
      }
    }
    try (WritableHdfFile h5 = HdfFile.write(dir.resolve("street.h5"))) {
      h5.putDataset("depth", rows);
    }
    return dir;
  }

  /**
   * A version 1.0 {@code .npy} file as numpy writes it: float32 depth, or (mask) one byte per
   * pixel, 1 where the depth is valid.
   */
  private static byte[] npy(DepthMap d, boolean mask) {
    String dict =
        "{'descr': '"
            + (mask ? "|u1" : "<f4")
            + "', 'fortran_order': False, 'shape': ("
            + d.height()
            + ", "
            + d.width()
            + "), }";
    int headerLength = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
    String header = dict + " ".repeat(headerLength - dict.length() - 1) + "\n";
    int n = d.width() * d.height();
    ByteBuffer out =
        ByteBuffer.allocate(10 + headerLength + n * (mask ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) headerLength).put(header.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < n; i++) {
      if (mask) {
        out.put((byte) (d.isValid(i) ? 1 : 0));
      } else {
        out.putFloat(d.values()[i]);
      }
    }
    return out.array();
  }
}
