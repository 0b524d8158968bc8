package dev.ssrl.dataset;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.ImageCodec;
import java.util.List;
import java.util.Objects;

/**
 * The names of the {@value #FORMAT} layout (SPEC §6, docs/dataset-format.md): files, splits, image
 * paths and the Parquet columns. A single-machine dataset holds these names as files; a Spark
 * dataset holds them as folders of parts.
 */
public final class DatasetFormat {
  private DatasetFormat() {}

  /**
   * The manifest's {@code format}. Bumped only when a reader written for the old value would
   * misread a dataset; added keys with stated defaults do not bump it.
   */
  public static final String FORMAT = "ssrl-dataset/1";

  public static final String MANIFEST = "manifest.json";
  public static final String REJECTS = "rejects.jsonl";
  public static final String IMAGES = "images";
  public static final String VERL = "verl";
  public static final String TRAIN = "train";
  public static final String VAL = "val";

  /**
   * The columns of {@code train.parquet} / {@code val.parquet}, in order: the JSONL keys, with
   * {@code metadata} as JSON text.
   */
  public static final List<String> PARQUET_COLUMNS =
      List.of("id", "task", "problem", "answer", "images", "metadata");

  /** The splits a run writes: train, plus val when {@code valFraction > 0}. */
  public static List<String> splits(double valFraction) {
    return valFraction > 0 ? List.of(TRAIN, VAL) : List.of(TRAIN);
  }

  /** {@code train.jsonl} or {@code val.jsonl}. */
  public static String jsonl(String split) {
    return split + ".jsonl";
  }

  /** {@code train.parquet} or {@code val.parquet}. */
  public static String parquet(String split) {
    return split + ".parquet";
  }

  /** {@code verl/train.parquet} or {@code verl/val.parquet}. */
  public static String verl(String split) {
    return VERL + "/" + split + ".parquet";
  }

  /**
   * Every top-level name a dataset folder may hold (files, or part folders for Spark), so that a
   * writer replacing a dataset removes all of it and nothing else.
   */
  public static final List<String> ENTRIES =
      List.of(
          MANIFEST, jsonl(TRAIN), jsonl(VAL), REJECTS, IMAGES, parquet(TRAIN), parquet(VAL), VERL);

  /**
   * The path, relative to the dataset folder, of image {@code k} of a sample: {@code
   * images/<task>/<id>.jpg}, then {@code <id>_1.jpg}, {@code <id>_2.jpg} ...
   */
  public static String imagePath(String task, String sampleId, int k) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(sampleId, "sampleId");
    if (k < 0) {
      throw new IllegalArgumentException("image index " + k + " < 0");
    }
    return IMAGES + "/" + task + "/" + sampleId + (k == 0 ? "" : "_" + k) + ".jpg";
  }

  /** The JPEG bytes of a sample's images, in order, at the given quality (deterministic). */
  public static byte[][] jpegs(List<Raster> images, int quality) {
    byte[][] out = new byte[images.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = ImageCodec.encodeJpeg(images.get(k), quality);
    }
    return out;
  }
}
