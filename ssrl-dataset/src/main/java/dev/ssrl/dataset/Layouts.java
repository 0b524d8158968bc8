package dev.ssrl.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The trainer layouts a run writes besides the JSONL files ({@link TrainerLayout}, {@code
 * --layout}), and how every file names the images (docs/dataset-format.md). None of them changes
 * the samples; they are in the manifest's {@code config} (and so in the resume hash) because the
 * files a resumed run finishes must be the ones the first run was asked for.
 *
 * @param names the layouts' names, each once, in {@link TrainerLayouts} order
 * @param imagePaths how the JSONL lines and the Parquet files name the image files
 */
public record Layouts(List<String> names, ImagePaths imagePaths) implements Serializable {

  private static final long serialVersionUID = 2L;

  /** No layout, relative image paths: what a CLI run without layout options writes. */
  public static final Layouts NONE = new Layouts(List.of(), ImagePaths.RELATIVE);

  /**
   * @throws IllegalArgumentException naming an unknown layout and the known ones
   */
  public Layouts {
    Objects.requireNonNull(imagePaths, "imagePaths");
    List<String> ordered = new ArrayList<>();
    for (TrainerLayout l : TrainerLayouts.named(names)) {
      ordered.add(l.name());
    }
    names = List.copyOf(ordered);
  }

  /** Whether the named layout is written. */
  public boolean has(String name) {
    return names.contains(name);
  }

  /** The layouts to write, in order. */
  public List<TrainerLayout> resolve() {
    return TrainerLayouts.named(names);
  }
}
