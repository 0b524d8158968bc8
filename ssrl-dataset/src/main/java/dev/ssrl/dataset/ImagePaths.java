package dev.ssrl.dataset;

import java.util.Locale;

/**
 * How a dataset's files name its images ({@code --image-paths}): relative to the dataset folder
 * (the default, so a folder can be moved or copied whole), or absolute, for trainers that open
 * image paths against their own working directory (OpenRLHF).
 */
public enum ImagePaths {
  /** {@code images/<task>/<id>.jpg}, relative to the dataset folder. */
  RELATIVE,
  /** The dataset folder's absolute path, then {@code /images/<task>/<id>.jpg}. */
  ABSOLUTE;

  /** The name used by the flag and in the manifest: {@code relative} or {@code absolute}. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The flag's value as a mode.
   *
   * @throws IllegalArgumentException naming the flag and the allowed values
   */
  public static ImagePaths parse(String value) {
    for (ImagePaths p : values()) {
      if (p.flagValue().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "--image-paths must be relative or absolute, got '" + value + "'");
  }

  /**
   * How a line names image {@code relative} ({@link DatasetFormat#imagePath}) of a dataset whose
   * folder is {@code root}.
   *
   * @param root the dataset folder as an absolute path or URI, without a trailing slash; only read
   *     for {@link #ABSOLUTE}
   */
  public String name(String root, String relative) {
    return this == RELATIVE ? relative : root + "/" + relative;
  }
}
