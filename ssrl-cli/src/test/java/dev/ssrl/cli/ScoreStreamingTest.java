package dev.ssrl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.score.ScoreCommand;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming {@code score} against an independent expectation: the whole-file algorithm it
 * replaced (read every line into a tree, advantages over all lines of a group, one map per output
 * line written by {@link Json#write}), on generated files with chunk sizes small enough that groups
 * and lines straddle chunk boundaries, and lines much longer than a chunk.
 */
class ScoreStreamingTest {
  @TempDir Path tmp;

  /** The expected output and standard error of a file, or the error message it must fail with. */
  private record Expected(byte[] out, String err, String error) {}

  private static Expected expected(byte[] input, boolean fromFile, Scoring scoring) {
    List<JsonNode[]> rows = new ArrayList<>();
    List<String> tasks = new ArrayList<>();
    List<Reward> rewards = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new ByteArrayInputStream(input),
                fromFile
                    ? StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    : StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)))) {
      int number = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          return new Expected(
              null, null, "line " + number + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!n.isObject()) {
          return new Expected(null, null, "line " + number + ": expected a JSON object");
        }
        JsonNode answer = n.get("answer");
        JsonNode response = n.get("response");
        JsonNode task = n.get("task");
        if (answer == null || !answer.isTextual()) {
          return new Expected(
              null, null, "line " + number + ": field 'answer' is missing or not a string");
        }
        if (response != null && !response.isTextual() && !response.isNull()) {
          return new Expected(null, null, "line " + number + ": field 'response' is not a string");
        }
        if (task != null && !task.isTextual() && !task.isNull()) {
          return new Expected(null, null, "line " + number + ": field 'task' is not a string");
        }
        String t = task == null || task.isNull() ? null : task.asText();
        JsonNode g = n.get("group");
        rows.add(new JsonNode[] {n.get("id"), g == null || g.isNull() ? null : g});
        tasks.add(t);
        rewards.add(
            // The default --reward-mode reference scores every line without its task.
            scoring.score(
                null,
                response == null || response.isNull() ? null : response.asText(),
                answer.asText()));
      }
    } catch (java.nio.charset.MalformedInputException e) {
      return new Expected(null, null, "not valid UTF-8");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode g = rows.get(i)[1];
      String key = g == null ? "\u0000line:" + i : g.isTextual() ? "s:" + g.asText() : g.toString();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    double[] advantage = new double[rows.size()];
    for (List<Integer> members : groups.values()) {
      double[] v = new double[members.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = rewards.get(members.get(k)).overall();
      }
      double[] a = scoring.advantages(v);
      for (int k = 0; k < v.length; k++) {
        advantage[members.get(k)] = a[k];
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, double[]> byTask = new TreeMap<>();
    try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> o = new LinkedHashMap<>();
        Reward r = rewards.get(i);
        o.put("id", rows.get(i)[0]);
        if (rows.get(i)[1] != null) {
          o.put("group", rows.get(i)[1]);
        }
        if (tasks.get(i) != null) {
          o.put("task", tasks.get(i));
        }
        o.put("overall", r.overall());
        o.put("format", r.format());
        o.put("accuracy", r.accuracy());
        o.put("details", r.details());
        o.put("advantage", advantage[i]);
        w.write(Json.write(o));
        w.write('\n');
        double[] acc =
            byTask.computeIfAbsent(
                tasks.get(i) == null ? "(no task)" : tasks.get(i), k -> new double[4]);
        acc[0]++;
        acc[1] += r.overall();
        acc[2] += r.format();
        acc[3] += r.accuracy();
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    StringBuilder err = new StringBuilder("ssrl: scored " + rows.size() + " responses\n");
    for (Map.Entry<String, double[]> e : byTask.entrySet()) {
      double[] a = e.getValue();
      err.append(
          String.format(
              Locale.ROOT,
              "  %-12s count %6d  overall %.4f  format %.4f  accuracy %.4f%n",
              e.getKey(),
              (long) a[0],
              a[1] / a[0],
              a[2] / a[0],
              a[3] / a[0]));
    }
    return new Expected(bytes.toByteArray(), err.toString(), null);
  }

  private static final String[] WORDS = {
    "the",
    "<think>",
    "</think>",
    "< / think >",
    "\\boxed{",
    "}",
    "{",
    "C",
    "2-1-3",
    "深度",
    "😀",
    "é",
    "\"",
    "\\",
    "\n",
    "\t",
    "\u0001",
    "/",
    "\u2028",
    "x"
  };

  private static String text(SplittableRandom rnd, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
    }
    return b.toString();
  }

  private static String value(SplittableRandom rnd, int i) {
    switch (rnd.nextInt(9)) {
      case 0:
        return Integer.toString(i);
      case 1:
        return "1.50";
      case 2:
        return "null";
      case 3:
        return "{\"b\":2,\"a\":[1,\"x\"]}";
      case 4:
        return Json.write("id \"" + i + "\" \u0007 深度");
      case 5:
        return "\"\\u00e9\\/" + i + "\"";
      case 6:
        return Long.toString(Long.MAX_VALUE - i) + "0";
      default:
        return "\"r" + i + "\"";
    }
  }

  /** A generated file: runs of groups, groups that come back, lines without group, odd values. */
  private static String input(long seed, int lines, boolean longLines) {
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder();
    int group = 0;
    int left = 0;
    String[] eols = {"\n", "\n", "\n", "\r\n", "\r"};
    for (int i = 0; i < lines; i++) {
      if (left == 0) {
        group = rnd.nextInt(6) == 0 && group > 2 ? rnd.nextInt(group) : group + 1;
        left = 1 + rnd.nextInt(7);
      }
      left--;
      StringBuilder o = new StringBuilder("{");
      if (rnd.nextInt(8) != 0) {
        o.append("\"id\":").append(value(rnd, i)).append(',');
      }
      int kind = rnd.nextInt(10);
      if (kind == 0) {
        o.append("\"group\":null,");
      } else if (kind == 1) {
        o.append("\"group\":").append(group).append(',');
      } else if (kind == 2) {
        o.append("\"group\":{\"p\":").append(group).append("},");
      } else if (kind != 3) {
        o.append("\"group\":\"g").append(group).append("\",");
      }
      if (rnd.nextInt(5) == 0) {
        o.append("\"extra\":[1,{\"x\":null},\"y\"],");
      }
      int words = longLines && rnd.nextInt(20) == 0 ? 3000 : rnd.nextInt(30);
      String answer = rnd.nextBoolean() ? "C" : "2-1-3";
      o.append("\"response\":")
          .append(
              rnd.nextInt(15) == 0
                  ? "null"
                  : Json.write(text(rnd, words) + "\\boxed{" + answer + "}"))
          .append(",\"answer\":")
          .append(Json.write(rnd.nextInt(3) == 0 ? "C" : "2-1-3"));
      switch (rnd.nextInt(4)) {
        case 0:
          o.append(",\"task\":\"crop\"");
          break;
        case 1:
          o.append(",\"task\":null");
          break;
        case 2:
          o.append(",\"task\":\"depth\"");
          break;
        default:
          break;
      }
      o.append('}');
      b.append(o);
      b.append(eols[rnd.nextInt(eols.length)]);
      if (rnd.nextInt(20) == 0) {
        b.append(rnd.nextBoolean() ? "\n" : "  \t\r\n");
      }
    }
    if (rnd.nextBoolean()) {
      b.setLength(b.length() - 1);
    }
    return b.toString();
  }

  private record Result(byte[] out, String err, Exception error, boolean outExists) {}

  private Result run(byte[] input, boolean fromFile, Scoring scoring, int threads, int chunk)
      throws IOException {
    Path in = tmp.resolve("in-" + System.nanoTime() + ".jsonl");
    Path out = tmp.resolve("out-" + System.nanoTime() + ".jsonl");
    if (fromFile) {
      Files.write(in, input);
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    ScoreCommand c =
        new ScoreCommand(
            new CliContext(
                () -> scoring,
                new ByteArrayInputStream(input),
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8)));
    c.in = fromFile ? in.toString() : "-";
    c.out = fromFile ? out.toString() : "-";
    c.threads = threads;
    c.chunkBytes = chunk;
    Exception error = null;
    try {
      c.call();
    } catch (Exception e) {
      error = e;
    }
    try (var files = Files.list(tmp)) {
      assertEquals(
          List.of(),
          files.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
          "no temporary file is left behind");
    }
    byte[] bytes =
        fromFile ? (Files.exists(out) ? Files.readAllBytes(out) : null) : stdout.toByteArray();
    return new Result(
        bytes, stderr.toString(StandardCharsets.UTF_8), error, fromFile && Files.exists(out));
  }

  @Test
  void generatedFilesGiveTheBytesOfTheWholeFileAlgorithmAtAnyChunkSizeAndThreadCount()
      throws IOException {
    Scoring[] scorings = {new FakeScoring(), Rewards.scoring()};
    int[] chunks = {1, 64, 700, 1 << 14};
    for (int seed = 0; seed < 12; seed++) {
      byte[] input = input(seed, 40 + seed * 17, seed % 3 == 0).getBytes(StandardCharsets.UTF_8);
      Scoring scoring = scorings[seed % 2];
      boolean fromFile = seed % 4 < 2;
      Expected e = expected(input, fromFile, scoring);
      assertEquals(null, e.error, "generated inputs are valid");
      Result r = run(input, fromFile, scoring, 1 + seed % 3, chunks[seed % chunks.length]);
      assertEquals(null, r.error, "seed " + seed);
      assertEquals(
          new String(e.out, StandardCharsets.UTF_8),
          new String(r.out, StandardCharsets.UTF_8),
          "seed " + seed);
      assertArrayEquals(e.out, r.out, "seed " + seed);
      assertEquals(e.err, r.err.replace(System.lineSeparator(), "\n"), "seed " + seed);
    }
  }

  @Test
  void aMalformedLineFailsWithTheMessageOfTheWholeFileAlgorithmAndWritesNothing()
      throws IOException {
    String[] bad = {
      "{\"id\" \"c\",\"answer\":\"C\"}",
      "{\"id\":1,\"answer\":\"C\"} trailing",
      "{\"id\":1,\"answer\":\"C\"}{}",
      "[1,2]",
      "\"just a string\"",
      "{\"id\":1,\"id\":2,\"answer\":\"C\"}",
      "{\"response\":\"r\"}",
      "{\"response\":5,\"answer\":\"C\"}",
      "{\"response\":\"r\",\"answer\":[\"C\"]}",
      "{\"response\":\"r\",\"answer\":\"C\",\"task\":3}",
      "{\"response\":5,\"answer\":\"C\",\"x\":}",
      "{\"response\":\"unterminated",
      "\uFEFF{\"answer\":\"C\"}",
      "{\"answer\":\"C\",\"group\":\"\u0001\"}"
    };
    SplittableRandom rnd = new SplittableRandom(7);
    for (int k = 0; k < bad.length; k++) {
      List<String> lines = new ArrayList<>(List.of(input(k, 30, false).split("\n", -1)));
      lines.add(rnd.nextInt(lines.size()), bad[k]);
      byte[] input = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
      boolean fromFile = k % 2 == 0;
      Expected e = expected(input, fromFile, new FakeScoring());
      Result r = run(input, fromFile, new FakeScoring(), 2, 97);
      if (e.error == null) {
        assertEquals(null, r.error, bad[k]);
        assertArrayEquals(e.out, r.out, bad[k]);
        continue;
      }
      assertTrue(r.error instanceof IOException, bad[k] + ": " + r.error);
      assertEquals(e.error, r.error.getMessage(), bad[k]);
      assertFalse(r.outExists, "no output file after an error");
      if (!fromFile) {
        assertEquals(0, r.out.length, "nothing on standard output after an error");
      }
    }
  }

  @Test
  void invalidUtf8IsReplacedFromStandardInputAndAnErrorNamingTheLineFromAFile() throws IOException {
    byte[] head =
        "{\"id\":1,\"answer\":\"C\",\"response\":\"ok\"}\n{\"id\":2,\"answer\":\"C\",\"response\":\"a"
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = "b\"}\n".getBytes(StandardCharsets.UTF_8);
    for (byte[] junk : new byte[][] {{(byte) 0xff}, {(byte) 0xe4, (byte) 0xb8}, {(byte) 0xc3}}) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(head);
      b.write(junk);
      b.write(tail);
      byte[] input = b.toByteArray();
      Expected e = expected(input, false, new FakeScoring());
      Result r = run(input, false, new FakeScoring(), 1, 16);
      assertEquals(null, r.error);
      assertArrayEquals(e.out, r.out);
      Result f = run(input, true, new FakeScoring(), 1, 16);
      assertEquals("line 2: not valid UTF-8", f.error.getMessage());
      assertFalse(f.outExists);
    }
  }

  @Test
  void aVeryLongLineAndEmptyInput() throws IOException {
    String big = "x".repeat(3_000_000);
    byte[] input =
        ("{\"id\":\"a\",\"group\":\"g\",\"response\":\"<think>"
                + big
                + "</think>\\\\boxed{C}\",\"answer\":\"C\"}\r\n{\"id\":\"b\",\"group\":\"g\",\"answer\":\"C\"}")
            .getBytes(StandardCharsets.UTF_8);
    Expected e = expected(input, true, new FakeScoring());
    Result r = run(input, true, new FakeScoring(), 2, 1024);
    assertArrayEquals(e.out, r.out);
    Result empty = run(new byte[0], true, new FakeScoring(), 2, 1024);
    assertEquals(0, empty.out.length);
    assertEquals("ssrl: scored 0 responses\n", empty.err.replace(System.lineSeparator(), "\n"));
  }

  @Test
  void unusableInAndOutPathsSayWhatIsWrongWithExitTwo() throws IOException {
    Cli missing = Cli.run("score", "--in", tmp.resolve("none.jsonl").toString(), "--out", "-");
    assertEquals(2, missing.status, missing::toString);
    assertTrue(missing.err.contains("none.jsonl: file not found"), missing.err);
    Cli dir = Cli.run("score", "--in", tmp.toString(), "--out", "-");
    assertEquals(2, dir.status, dir::toString);
    assertTrue(dir.err.contains("is a directory"), dir.err);
    Path in = tmp.resolve("in.jsonl");
    Files.writeString(in, "{\"answer\":\"C\"}\n");
    Cli outDir = Cli.run("score", "--in", in.toString(), "--out", tmp.toString());
    assertEquals(2, outDir.status, outDir::toString);
    assertTrue(outDir.err.contains("is a directory"), outDir.err);
    Cli noFolder =
        Cli.run(
            "score", "--in", in.toString(), "--out", tmp.resolve("no/such/out.jsonl").toString());
    assertEquals(2, noFolder.status, noFolder::toString);
    assertTrue(noFolder.err.contains("does not exist"), noFolder.err);
    assertThrows(IOException.class, () -> Files.readString(tmp.resolve("no/such/out.jsonl")));
  }
}
