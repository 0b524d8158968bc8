package dev.ssrl.cli.curate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.UsageError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads the output of {@code ssrl score} ({@code --scored}) into the samples' rollout counts: each
 * line's {@code group} is a sample id of the dataset, its {@code accuracy} 1 a pass. Only {@code
 * group}, {@code accuracy} and {@code task} are read; the other fields are skipped unparsed.
 *
 * <p>Bad input, decided per case (docs/cli.md): a blank line is skipped, as {@code ssrl score}
 * skips it; a line that is not a JSON object, lacks a string {@code group}, or lacks a numeric
 * {@code accuracy} in [0, 1] stops the run naming the file and line, since a rollout silently lost
 * changes a pass rate and so what is kept. A {@code group} that is no sample of the dataset also
 * stops it (the scored file is of another dataset), unless {@code --skip-unknown} counts and skips
 * such lines. A line whose {@code task} is not its sample's task stops it as well.
 */
final class ScoredRollouts {
  /** What the file held. */
  long lines;

  long rollouts;
  long unknown;
  String sha256;

  private ScoredRollouts() {}

  /**
   * Adds the file's rollouts to the samples' counts.
   *
   * @param skipUnknown whether a line of a group that is no sample is counted and skipped
   * @throws UsageError when the file cannot be opened
   * @throws IOException naming the file and line of a bad line
   */
  static ScoredRollouts read(
      Path file, Map<String, InputDataset.Sample> samples, boolean skipUnknown) throws IOException {
    if (Files.isDirectory(file)) {
      throw new UsageError("--scored " + file + " is a directory, not a JSONL file");
    }
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new UsageError("--scored " + file + ": file not found");
    } catch (AccessDeniedException e) {
      throw new UsageError("--scored " + file + ": file is not readable (permission denied)");
    }
    ScoredRollouts s = new ScoredRollouts();
    MessageDigest md = InputDataset.digest();
    long number = 0;
    try (InputStream in = new DigestInputStream(raw, md);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        s.lines++;
        s.add(line, file + " line " + number, samples, skipUnknown);
      }
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not valid UTF-8 (at or after line " + (number + 1) + ")", e);
    }
    s.sha256 = HexFormat.of().formatHex(md.digest());
    return s;
  }

  private void add(
      String line, String where, Map<String, InputDataset.Sample> samples, boolean skipUnknown)
      throws IOException {
    String group = null;
    String groupProblem = "is missing";
    Double accuracy = null;
    String accuracyProblem = "is missing";
    String task = null;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(where + ": expected a JSON object (a line of 'ssrl score')");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "group" -> {
            if (t == JsonToken.VALUE_STRING) {
              group = p.getText();
            } else {
              groupProblem = "is not a string (it must be the sample id)";
            }
          }
          case "accuracy" -> {
            if (t.isNumeric()) {
              accuracy = p.getDoubleValue();
            } else {
              accuracyProblem = "is not a number";
            }
          }
          case "task" -> task = t == JsonToken.VALUE_STRING ? p.getText() : null;
          default -> {
            // details and the rest: not needed.
          }
        }
        p.skipChildren();
      }
      if (p.nextToken() != null) {
        throw new IOException(where + ": text after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new IOException(where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (group == null) {
      throw new IOException(where + ": field 'group' " + groupProblem);
    }
    if (accuracy == null) {
      throw new IOException(where + ": field 'accuracy' " + accuracyProblem);
    }
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new IOException(where + ": field 'accuracy' is " + accuracy + ", not in [0, 1]");
    }
    InputDataset.Sample sample = samples.get(group);
    if (sample == null) {
      if (skipUnknown) {
        unknown++;
        return;
      }
      throw new IOException(
          where
              + ": group '"
              + group
              + "' is no sample id of the dataset (a scored file of another dataset?"
              + " --skip-unknown counts and skips such lines)");
    }
    if (task != null && !task.equals(sample.task)) {
      throw new IOException(
          where + ": task '" + task + "' but sample " + group + " is a " + sample.task + " sample");
    }
    sample.rollouts++;
    if (accuracy >= 1) {
      sample.passes++;
    }
    rollouts++;
  }
}
