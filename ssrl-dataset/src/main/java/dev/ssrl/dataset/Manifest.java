package dev.ssrl.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ssrl.tasks.audit.BlindAudit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code manifest.json} of a dataset (docs/dataset-format.md). Every key but {@code run} (and
 * {@code version}, {@code sources}, {@code files}, {@code shards}, which name the writer and the
 * place) is the same for two front ends that wrote the same dataset.
 */
public final class Manifest {
  private Manifest() {}

  /**
   * The manifest as an ordered map.
   *
   * @param version the writer's version
   * @param config the settings; its {@link DatasetConfig#toMap} is {@code config}
   * @param sources what the scenes were read from, as the front end names them
   * @param counts the tallied lines
   * @param audit the blind-baseline audit of the written samples
   * @param files the dataset's files (or part folders), relative to the dataset folder
   * @param shards parts per entry of {@code files} for a writer of part folders; null for none
   * @param run facts that differ between two runs that wrote the same dataset
   */
  public static Map<String, Object> of(
      String version,
      DatasetConfig config,
      List<String> sources,
      Counts counts,
      BlindAudit audit,
      List<String> files,
      Map<String, Integer> shards,
      Map<String, Object> run) {
    return of(version, config.toMap(), sources, counts, audit, files, shards, run);
  }

  /**
   * The manifest of a dataset whose settings are known only as the {@code config} object of the
   * manifest it was derived from (ssrl curate keeps its input's {@code config} as it is, keys this
   * build does not know included); {@code seed} is the config's.
   *
   * @param config a {@link DatasetConfig#toMap} as read back from a manifest
   * @see #of(String, DatasetConfig, List, Counts, BlindAudit, List, Map, Map)
   */
  public static Map<String, Object> of(
      String version,
      Map<String, Object> config,
      List<String> sources,
      Counts counts,
      BlindAudit audit,
      List<String> files,
      Map<String, Integer> shards,
      Map<String, Object> run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", DatasetFormat.FORMAT);
    m.put("version", Objects.requireNonNull(version, "version"));
    m.put("config", new LinkedHashMap<>(config));
    m.put("seed", config.get("seed"));
    m.put("sources", List.copyOf(sources));
    m.put("counts", counts.countsMap());
    m.put("totals", counts.totalsMap());
    m.put("rejects", counts.rejectsByTask());
    m.put("promptTokens", counts.promptTokensMap());
    if (counts.depthScenesMap() != null) {
      m.put("depthScenes", counts.depthScenesMap());
    }
    m.put("audit", audit.toMap());
    m.put("files", List.copyOf(files));
    if (shards != null) {
      m.put("shards", new LinkedHashMap<>(shards));
    }
    m.put("run", new LinkedHashMap<>(run));
    return m;
  }

  /** The file's bytes: the map as indented JSON (people read manifests). */
  public static byte[] toBytes(Map<String, Object> manifest) {
    try {
      return DatasetJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("manifest cannot be written: " + e.getMessage(), e);
    }
  }
}
