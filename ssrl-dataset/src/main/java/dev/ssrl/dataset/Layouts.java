package dev.ssrl.dataset;

import java.io.Serializable;
import java.util.Objects;

/**
 * The trainer-ready layouts a run writes besides the JSONL files, and how every file names the
 * images (docs/dataset-format.md). None of them changes the samples; they are in the manifest's
 * {@code config} (and so in the resume hash) because the files a resumed run finishes must be the
 * ones the first run was asked for.
 *
 * @param trl whether {@code trl/train.parquet} (and {@code trl/val.parquet}) are written: TRL's
 *     conversational layout with the images inlined
 * @param easyR1 whether {@code easyr1/train.parquet} (and {@code easyr1/test.parquet}) are written:
 *     a folder EasyR1 loads as {@code DIR@train} / {@code DIR@test}
 * @param imagePaths how the JSONL lines and the Parquet files name the image files
 */
public record Layouts(boolean trl, boolean easyR1, ImagePaths imagePaths) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** No extra layout, relative image paths: what a run without the flags writes. */
  public static final Layouts NONE = new Layouts(false, false, ImagePaths.RELATIVE);

  public Layouts {
    Objects.requireNonNull(imagePaths, "imagePaths");
  }
}
