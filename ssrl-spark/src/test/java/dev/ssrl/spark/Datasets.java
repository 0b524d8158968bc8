package dev.ssrl.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.dataset.DatasetJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads a written dataset back for comparisons. */
final class Datasets {
  private Datasets() {}

  /** The JSON lines of all parts of {@code OUT/name} (e.g. train.jsonl), in part order. */
  static List<JsonNode> lines(Path out, String name) throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (String line : rawLines(out, name)) {
      all.add(DatasetJson.MAPPER.readTree(line));
    }
    return all;
  }

  /** The lines, as bytes were written, of all parts of {@code OUT/name}, in part order. */
  static List<String> rawLines(Path out, String name) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(out.resolve(name))) {
      for (Path part :
          s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        all.addAll(Files.readAllLines(part));
      }
    }
    return all;
  }

  /**
   * Sample id → "problem | answer | metadata | sha256 of each image": what must not depend on
   * partitioning or retries. Fails on a duplicate id.
   */
  static Map<String, String> fingerprint(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (JsonNode n : lines(out, "train.jsonl")) {
      StringBuilder b = new StringBuilder();
      b.append(n.get("problem").asText()).append(" | ").append(n.get("answer").asText());
      b.append(" | ").append(n.get("metadata").toString());
      for (JsonNode p : n.get("images")) {
        b.append(" | ").append(p.asText()).append('=').append(sha256(out.resolve(p.asText())));
      }
      if (m.put(n.get("id").asText(), b.toString()) != null) {
        throw new AssertionError("duplicate sample id " + n.get("id").asText() + " in " + out);
      }
    }
    return m;
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every regular file under {@code dir}, relative, sorted. */
  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  static JsonNode manifest(Path out) throws IOException {
    return DatasetJson.MAPPER.readTree(Files.readAllBytes(out.resolve("manifest.json")));
  }
}
