package dev.ssrl.cli.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.cli.common.Json;
import dev.ssrl.dataset.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The progress journal of a generation run ({@value Generator#JOURNAL}): what is committed. It is
 * replaced atomically (temporary file, fsync, rename, fsync of the folder), so after a crash it
 * holds either the previous or the new state, never half of one.
 */
final class Journal {
  String configHash;
  JsonNode config;
  String scenes = "";
  int scenesDone;
  Map<String, Long> lengths = new TreeMap<>();
  boolean complete;
  String started;

  static Journal load(Path file) throws IOException {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          file + " is not a readable progress journal (" + e.getMessage() + ")", e);
    }
    Journal j = new Journal();
    j.configHash = required(n, "configHash", file).asText();
    j.config = required(n, "config", file);
    j.scenes = n.path("scenes").asText("");
    j.scenesDone = required(n, "scenesDone", file).asInt();
    for (Iterator<Map.Entry<String, JsonNode>> it = required(n, "lengths", file).fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      j.lengths.put(e.getKey(), e.getValue().asLong());
    }
    j.complete = n.path("complete").asBoolean(false);
    j.started = n.path("started").asText("");
    return j;
  }

  private static JsonNode required(JsonNode n, String field, Path file) throws IOException {
    JsonNode v = n.get(field);
    if (v == null) {
      throw new IOException(file + " is not a progress journal: no field '" + field + "'");
    }
    return v;
  }

  void save(Path dir) throws IOException {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("configHash", configHash);
    n.set("config", config);
    n.put("scenes", scenes);
    n.put("scenesDone", scenesDone);
    ObjectNode l = n.putObject("lengths");
    lengths.forEach(l::put);
    n.put("complete", complete);
    n.put("started", started);
    Path tmp = dir.resolve(Generator.JOURNAL + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(n));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
      ch.close();
      AtomicFiles.move(tmp, dir.resolve(Generator.JOURNAL));
    } catch (IOException e) {
      throw AtomicFiles.writeFailed(dir.resolve(Generator.JOURNAL), e);
    }
    syncDirectory(dir);
  }

  /** Makes the rename durable; not every platform can open a folder, which is then skipped. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot fsync a folder; its rename is durable enough for a resumable journal.
    }
  }

  /** The top-level config keys whose values differ, for the refusal message. */
  static List<String> differences(JsonNode a, JsonNode b) {
    List<String> keys = new ArrayList<>();
    TreeMap<String, Boolean> all = new TreeMap<>();
    a.fieldNames().forEachRemaining(k -> all.put(k, true));
    b.fieldNames().forEachRemaining(k -> all.put(k, true));
    for (String k : all.keySet()) {
      if (!a.path(k).equals(b.path(k))) {
        keys.add("--" + k + ": was " + a.path(k) + ", now " + b.path(k));
      }
    }
    return keys;
  }
}
