package dev.ssrl.cli.curate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.dataset.TrainerLayouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dataset {@code ssrl curate} reads ({@code --dataset}): its manifest (which splits, which
 * trainer layouts, how lines name images) and every sample's id, task and difficulty bucket, with
 * the SHA-256 of the files read. Only a finished single-machine dataset is accepted: one with a
 * manifest, its files as files (the Spark job's part folders are refused).
 */
final class InputDataset {
  /** One sample of the dataset and the rollouts the scored file gave it. */
  static final class Sample {
    final String task;
    final String bucket;
    long rollouts;
    long passes;
    boolean kept;

    Sample(String task, String bucket) {
      this.task = task;
      this.bucket = bucket;
    }
  }

  final Path root;
  final JsonNode manifest;

  /** The manifest's {@code config} object, key by key, values as read (kept as they are). */
  final Map<String, Object> config = new LinkedHashMap<>();

  final List<String> tasks = new ArrayList<>();
  final double valFraction;
  final List<String> splits;
  final List<TrainerLayout> layouts = new ArrayList<>();
  final ImagePaths imagePaths;

  /** SHA-256 of each file read, by its name in the dataset folder. */
  final Map<String, String> sha256 = new LinkedHashMap<>();

  /** The samples by id, in file order (train, then val). */
  final Map<String, Sample> samples = new LinkedHashMap<>();

  private InputDataset(Path root, JsonNode manifest, double valFraction, ImagePaths imagePaths) {
    this.root = root;
    this.manifest = manifest;
    this.valFraction = valFraction;
    this.splits = DatasetFormat.splits(valFraction);
    this.imagePaths = imagePaths;
  }

  /**
   * Reads a dataset's manifest and sample lines.
   *
   * @throws UsageError when the folder is not a finished single-machine dataset
   * @throws IOException naming the file (and line) that cannot be read
   */
  static InputDataset read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new UsageError("--dataset " + root + " is not a folder");
    }
    Path manifestFile = root.resolve(DatasetFormat.MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new UsageError(
          "--dataset "
              + root
              + " has no "
              + DatasetFormat.MANIFEST
              + ": it must be a finished dataset written by 'ssrl generate' (or 'ssrl curate')");
    }
    byte[] bytes = Files.readAllBytes(manifestFile);
    JsonNode m;
    try {
      // Doubles, not the mapper's BigDecimals: a manifest's numbers were written from Java
      // doubles, which read back as doubles write the same text again (a BigDecimal node would
      // write the mix weight 1.0 as 1), and the curated manifest keeps the input's config.
      m =
          Json.MAPPER
              .reader()
              .without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .readTree(bytes);
    } catch (IOException e) {
      throw new IOException(manifestFile + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    if (m == null || !DatasetFormat.FORMAT.equals(m.path("format").asText())) {
      throw new IOException(
          manifestFile + ": format is not " + DatasetFormat.FORMAT + " (not an ssrl dataset)");
    }
    if (m.has("shards")) {
      throw new UsageError(
          "--dataset "
              + root
              + " was written by the Spark job (its files are folders of parts); ssrl curate reads"
              + " a single-machine dataset");
    }
    JsonNode config = m.path("config");
    if (!config.isObject() || !config.path("tasks").isArray()) {
      throw new IOException(manifestFile + ": no config object with a task list");
    }
    ImagePaths imagePaths;
    try {
      imagePaths = ImagePaths.parse(config.path("imagePaths").asText("relative"));
    } catch (IllegalArgumentException e) {
      throw new IOException(manifestFile + ": config.imagePaths: " + e.getMessage(), e);
    }
    InputDataset d = new InputDataset(root, m, config.path("valFraction").asDouble(0), imagePaths);
    config.fields().forEachRemaining(e -> d.config.put(e.getKey(), e.getValue()));
    config.path("tasks").forEach(t -> d.tasks.add(t.asText()));
    d.sha256.put(DatasetFormat.MANIFEST, HexFormat.of().formatHex(digest().digest(bytes)));
    d.findLayouts(manifestFile);
    for (String split : d.splits) {
      d.readSplit(split);
    }
    return d;
  }

  /**
   * The layouts whose files the manifest lists, in {@link TrainerLayouts} order; a listed file that
   * no layout on the class path writes is an error (the curated dataset could not have it).
   */
  private void findLayouts(Path manifestFile) throws IOException {
    Set<String> listed = new HashSet<>();
    manifest.path("files").forEach(f -> listed.add(f.asText()));
    Set<String> known = new HashSet<>();
    for (String split : splits) {
      known.add(DatasetFormat.jsonl(split));
    }
    known.add(DatasetFormat.REJECTS);
    for (TrainerLayout l : TrainerLayouts.all().values()) {
      boolean present = false;
      for (String split : splits) {
        present |= listed.contains(l.file(split));
        known.add(l.file(split));
      }
      if (present) {
        layouts.add(l);
      }
    }
    for (String f : listed) {
      if (!known.contains(f)) {
        throw new IOException(
            manifestFile
                + " lists "
                + f
                + ", which no trainer layout on the class path writes; ssrl curate cannot write"
                + " it for the curated dataset");
      }
    }
  }

  private void readSplit(String split) throws IOException {
    String name = DatasetFormat.jsonl(split);
    Path file = root.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist (the manifest has a " + split + " split)");
    }
    MessageDigest md = digest();
    long number = 0;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        number++;
        JsonNode n;
        try {
          n = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new IOException(file + " line " + number + ": not valid JSON", e);
        }
        if (n == null || !n.path("id").isTextual() || !n.path("task").isTextual()) {
          throw new IOException(file + " line " + number + ": not a sample line (id, task)");
        }
        JsonNode d = n.path("metadata").get(PassRate.DIFFICULTY_KEY);
        String bucket = PassRate.bucket(d != null && d.isNumber() ? d.doubleValue() : null);
        String id = n.get("id").asText();
        if (samples.put(id, new Sample(n.get("task").asText(), bucket)) != null) {
          throw new IOException(file + " line " + number + ": sample id " + id + " appears twice");
        }
      }
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not valid UTF-8 (at or after line " + (number + 1) + ")", e);
    }
    sha256.put(name, HexFormat.of().formatHex(md.digest()));
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
