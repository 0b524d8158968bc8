package dev.ssrl.dataset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.ImageCodec;
import java.util.ArrayList;
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
  public static final String TRAIN = "train";
  public static final String VAL = "val";

  /**
   * The name EasyR1 gives the validation split: its {@code DIR@test} loads the folder's files whose
   * name starts with {@code test}.
   */
  public static final String TEST = "test";

  /** The image placeholder of a {@code problem}: one per image, in image order. */
  public static final String IMAGE_PLACEHOLDER = "<image>";

  /**
   * The columns of {@code train.parquet} / {@code val.parquet}, in order: the JSONL keys, with
   * {@code metadata} as JSON text.
   */
  public static final List<String> PARQUET_COLUMNS =
      List.of("id", "task", "problem", "answer", "images", "metadata");

  /** The Parquet footer key Hugging Face {@code datasets} reads a file's features from. */
  public static final String HUGGING_FACE_KEY = "huggingface";

  /**
   * The {@value #HUGGING_FACE_KEY} footer entry of a layout with inlined images ({@link TrlLayout},
   * {@link EasyR1Layout}): the Hugging Face features of its columns ({@code images} a list of
   * {@code Image}, a chat {@code prompt} a list of messages, the rest strings). Lists are
   * one-element JSON arrays, the form every {@code datasets} release reads (older ones lack the
   * {@code List} type name).
   *
   * @param columns the column names in order
   * @param chat whether {@code prompt} is a list of messages whose content is {@code {type, text}}
   *     blocks (TRL) rather than text
   */
  public static String huggingFaceFeatures(List<String> columns, boolean chat) {
    ObjectNode features = DatasetJson.MAPPER.createObjectNode();
    for (String c : columns) {
      if (c.equals("images")) {
        features.putArray(c).addObject().put("_type", "Image");
      } else if (c.equals("prompt") && chat) {
        ObjectNode message = features.putArray(c).addObject();
        message.set("role", stringFeature());
        ObjectNode block = message.putArray("content").addObject();
        block.set("type", stringFeature());
        block.set("text", stringFeature());
      } else {
        features.set(c, stringFeature());
      }
    }
    ObjectNode root = DatasetJson.MAPPER.createObjectNode();
    root.putObject("info").set("features", features);
    return root.toString();
  }

  private static ObjectNode stringFeature() {
    ObjectNode v = DatasetJson.MAPPER.createObjectNode();
    v.put("dtype", "string");
    v.put("_type", "Value");
    return v;
  }

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

  /**
   * A problem cut at its image placeholders: {@code n + 1} text segments (some possibly empty) for
   * {@code n} placeholders, so image {@code k} stands between segments {@code k} and {@code k + 1}.
   * EasyR1 cuts its prompts the same way; the TRL layout stores the result as content blocks.
   */
  public static List<String> segments(String problem) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int at = problem.indexOf(IMAGE_PLACEHOLDER);
        at >= 0;
        at = problem.indexOf(IMAGE_PLACEHOLDER, from)) {
      out.add(problem.substring(from, at));
      from = at + IMAGE_PLACEHOLDER.length();
    }
    out.add(problem.substring(from));
    return out;
  }

  /**
   * Checks that a sample's problem has one placeholder per image, as the layouts that cut the
   * problem at its placeholders need.
   *
   * @throws IllegalArgumentException naming the sample and both counts
   */
  public static void checkPlaceholders(String sampleId, String problem, int images) {
    int placeholders = segments(problem).size() - 1;
    if (placeholders != images) {
      throw new IllegalArgumentException(
          "sample "
              + sampleId
              + ": problem has "
              + placeholders
              + " "
              + IMAGE_PLACEHOLDER
              + " placeholders but "
              + images
              + " images");
    }
  }

  /**
   * One content block of the TRL layout's user message.
   *
   * @param type {@code text} or {@code image}
   * @param text the text of a text block; null for an image block
   */
  public record Block(String type, String text) {
    /** The image block: the next image of the sample stands here. */
    public static final Block IMAGE = new Block("image", null);
  }

  /**
   * The content blocks of a problem in placeholder order: its {@link #segments}, each non-empty one
   * a text block, an image block between two consecutive segments. An empty segment (a placeholder
   * at the start, or two side by side) gives no block, as in EasyR1's own cut.
   */
  public static List<Block> contentBlocks(String problem) {
    List<String> segments = segments(problem);
    List<Block> blocks = new ArrayList<>();
    for (int k = 0; k < segments.size(); k++) {
      if (k > 0) {
        blocks.add(Block.IMAGE);
      }
      if (!segments.get(k).isEmpty()) {
        blocks.add(new Block("text", segments.get(k)));
      }
    }
    return blocks;
  }

  /**
   * Every top-level name a dataset folder may hold (files, or part folders for Spark): the JSONL
   * files, the images and the first path element of every {@link TrainerLayouts trainer layout}'s
   * files, so that a writer replacing a dataset removes all of it and nothing else.
   */
  public static List<String> entries() {
    List<String> out =
        new ArrayList<>(List.of(MANIFEST, jsonl(TRAIN), jsonl(VAL), REJECTS, IMAGES));
    for (TrainerLayout l : TrainerLayouts.all().values()) {
      for (String split : List.of(TRAIN, VAL)) {
        String f = l.file(split);
        int slash = f.indexOf('/');
        String top = slash < 0 ? f : f.substring(0, slash);
        if (!out.contains(top)) {
          out.add(top);
        }
      }
    }
    return out;
  }

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
