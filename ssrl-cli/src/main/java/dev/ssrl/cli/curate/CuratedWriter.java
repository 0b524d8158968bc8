package dev.ssrl.cli.curate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.cli.common.Json;
import dev.ssrl.dataset.Counts;
import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.ImagePaths;
import dev.ssrl.dataset.ParquetExport;
import dev.ssrl.dataset.RejectLine;
import dev.ssrl.dataset.SampleLine;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.depth.DepthModel;
import dev.ssrl.tasks.Sizing;
import dev.ssrl.tasks.audit.BlindAudit;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the kept samples of a dataset into a folder in the input's layout, as {@code ssrl
 * generate} would have written them: each split's JSONL lines in input order (the very lines, or
 * with the images renamed to the new folder under {@code --image-paths absolute}), their images
 * (hard-linked where the file system allows, else copied: the bytes are the input's), {@code
 * rejects.jsonl} as it is, and every trainer layout the input has, derived from the new JSONL files
 * by {@link ParquetExport} as {@code generate} derives them. What the manifest needs is tallied on
 * the way.
 */
final class CuratedWriter {
  /** What the writer tallied for the manifest. */
  final Counts counts;

  final BlindAudit audit = new BlindAudit();
  final List<String> files = new ArrayList<>();
  // Scenes with samples of a depth task by depth source; null unless the input counted them.
  private final long[] depthScenes;
  private final Map<String, Task> known = Tasks.all();
  private String lastDepthScene;

  private final InputDataset in;
  private final Path tmp;
  private final String finalRoot;

  /**
   * @param in the input dataset, its samples' {@code kept} decided
   * @param tmp the folder written (empty)
   * @param finalOut where {@code tmp} will be moved: lines with absolute image paths name it
   */
  private CuratedWriter(InputDataset in, Path tmp, Path finalOut) {
    this.in = in;
    this.tmp = tmp;
    this.finalRoot = finalOut.toAbsolutePath().normalize().toString();
    this.counts = new Counts(in.tasks, in.valFraction);
    this.depthScenes = in.manifest.has("depthScenes") ? new long[2] : null;
  }

  static CuratedWriter write(InputDataset in, Path tmp, Path finalOut) throws IOException {
    CuratedWriter w = new CuratedWriter(in, tmp, finalOut);
    for (String split : in.splits) {
      w.split(split);
    }
    w.rejects();
    w.layouts();
    if (w.depthScenes != null) {
      w.counts.depthScenes(w.depthScenes[0], w.depthScenes[1]);
    }
    return w;
  }

  private void split(String split) throws IOException {
    String name = DatasetFormat.jsonl(split);
    Path from = in.root.resolve(name);
    long number = 0;
    try (BufferedReader r = Files.newBufferedReader(from, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(tmp.resolve(name), StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        number++;
        JsonNode n = Json.MAPPER.readTree(line);
        InputDataset.Sample sample = in.samples.get(n.path("id").asText());
        if (sample == null) {
          throw new IOException(from + " line " + number + ": changed while it was curated");
        }
        if (!sample.kept) {
          continue;
        }
        String id = n.get("id").asText();
        w.write(sample(line, n, from + " line " + number));
        w.write('\n');
        String task = n.get("task").asText();
        counts.samples(task, split, 1);
        JsonNode tokens = n.path("metadata").get(Sizing.TOKENS_KEY);
        if (tokens != null && tokens.canConvertToInt()) {
          counts.promptTokens(tokens.intValue(), 1);
        }
        JsonNode meta = n.get("metadata");
        @SuppressWarnings("unchecked")
        Map<String, Object> m =
            meta == null || !meta.isObject() ? Map.of() : Json.MAPPER.convertValue(meta, Map.class);
        audit.add(task, n.path("answer").asText(), m);
        depthScene(id, task, meta);
      }
    }
    files.add(name);
  }

  /**
   * Places a kept sample's images and returns its line. Images are found where the format puts them
   * ({@link DatasetFormat#imagePath}); a line naming them otherwise is an error, since its files
   * could not be moved with it.
   */
  private String sample(String line, JsonNode n, String where) throws IOException {
    String id = n.get("id").asText();
    String task = n.get("task").asText();
    JsonNode images = n.path("images");
    if (!images.isArray()) {
      throw new IOException(where + ": field 'images' is not a list");
    }
    List<String> renamed = new ArrayList<>();
    for (int k = 0; k < images.size(); k++) {
      String rel = DatasetFormat.imagePath(task, id, k);
      String named = images.get(k).asText();
      boolean matches =
          in.imagePaths == ImagePaths.RELATIVE ? named.equals(rel) : named.endsWith("/" + rel);
      if (!matches) {
        throw new IOException(
            where
                + ": image "
                + k
                + " is '"
                + named
                + "', not "
                + (in.imagePaths == ImagePaths.RELATIVE ? "" : "<dataset folder>/")
                + rel
                + " as the dataset format names it");
      }
      place(in.root.resolve(rel), tmp.resolve(rel), where);
      renamed.add(in.imagePaths.name(finalRoot, rel));
    }
    // Relative paths stay valid in the new folder: the line is kept byte for byte.
    return in.imagePaths == ImagePaths.RELATIVE ? line : SampleLine.withImages(line, renamed);
  }

  private static void place(Path from, Path to, String where) throws IOException {
    if (!Files.isRegularFile(from)) {
      throw new IOException(where + ": image " + from + " does not exist");
    }
    Files.createDirectories(to.getParent());
    try {
      // Images are never rewritten in place (generate renames new files over old ones), so a
      // link shares bytes that cannot change under either dataset.
      Files.createLink(to, from);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(from, to);
    }
  }

  /** Counts a scene once per depth source, as generate does: a scene's lines are contiguous. */
  private void depthScene(String id, String task, JsonNode meta) {
    Task t = known.get(task);
    if (depthScenes == null || t == null || !t.needsDepth()) {
      return;
    }
    // Sample ids are <scene>-<task>-<variant> (Samples.id).
    String scene = id.substring(0, Math.max(0, id.lastIndexOf('-') - task.length() - 1));
    if (scene.equals(lastDepthScene)) {
      return;
    }
    lastDepthScene = scene;
    boolean estimated =
        meta != null && DepthModel.ESTIMATED.equals(meta.path(DepthModel.SOURCE_KEY).asText());
    depthScenes[estimated ? 1 : 0]++;
  }

  /** {@code rejects.jsonl} as it is: generation's rejections are not curation's business. */
  private void rejects() throws IOException {
    Path from = in.root.resolve(DatasetFormat.REJECTS);
    Path to = tmp.resolve(DatasetFormat.REJECTS);
    if (Files.isRegularFile(from)) {
      Files.copy(from, to);
      try (BufferedReader r = Files.newBufferedReader(from, StandardCharsets.UTF_8)) {
        int n = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          RejectLine rl = RejectLine.parse(line, from + " line " + ++n);
          counts.rejects(rl.task(), rl.countKey(), 1);
        }
      }
    } else {
      Files.createFile(to);
    }
    files.add(DatasetFormat.REJECTS);
  }

  /** Every layout the input has, from the new JSONL files, as generate writes them. */
  private void layouts() throws IOException {
    // The lines may name the images at their final place; the files are still in tmp.
    String prefix = finalRoot + "/";
    Function<String, Path> imageFile =
        p -> tmp.resolve(p.startsWith(prefix) ? p.substring(prefix.length()) : p);
    for (TrainerLayout layout : in.layouts) {
      for (String split : in.splits) {
        String f = layout.file(split);
        Path target = tmp.resolve(f);
        Files.createDirectories(target.getParent());
        ParquetExport.write(
            layout, tmp.resolve(DatasetFormat.jsonl(split)), target, split, imageFile);
        files.add(f);
      }
    }
  }
}
