package dev.ssrl.bench.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.SpatialSsrlReward;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The reference reward over the 3,000 recorded reference cases (mean 744 characters), the input
 * closest to the reference's own throughput measurement. The file is {@code
 * ../shared/reference/reward-cases.jsonl} from the working directory, or the path in the system
 * property {@code ssrl.cases}; without it the benchmark fails at setup, naming the path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReferenceCasesBenchmark {
  private String[] responses;
  private String[] truths;
  private int next;
  private final SpatialSsrlReward reward = SpatialSsrlReward.standard();

  @Setup
  public void setUp() throws IOException {
    Path file = Path.of(System.getProperty("ssrl.cases", "../shared/reference/reward-cases.jsonl"));
    if (!Files.exists(file)) {
      throw new IOException("reference cases " + file.toAbsolutePath() + " are absent");
    }
    List<String> r = new ArrayList<>();
    List<String> t = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        r.add(stringField(line, "response"));
        t.add(stringField(line, "ground_truth"));
      }
    }
    responses = r.toArray(new String[0]);
    truths = t.toArray(new String[0]);
  }

  /** One response scored per operation: operations/s = responses/s. */
  @Benchmark
  public Reward score() {
    int i = next;
    next = i + 1 == responses.length ? 0 : i + 1;
    return reward.score(responses[i], truths[i]);
  }

  /**
   * The value of a top-level string field of a flat JSON object line (the bench module has no JSON
   * library). Handles every JSON string escape, {@code \\uXXXX} surrogate halves included.
   */
  static String stringField(String line, String name) throws IOException {
    String key = "\"" + name + "\":";
    int k = line.indexOf(key);
    if (k < 0) {
      throw new IOException("no field '" + name + "' in line: " + line);
    }
    int i = k + key.length();
    while (line.charAt(i) == ' ') {
      i++;
    }
    if (line.charAt(i) != '"') {
      throw new IOException("field '" + name + "' is not a string");
    }
    StringBuilder out = new StringBuilder();
    for (i++; ; i++) {
      char c = line.charAt(i);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = line.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
  }
}
