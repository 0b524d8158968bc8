package dev.ssrl.spark;

import dev.ssrl.dataset.DatasetConfig;
import java.io.Serializable;

/**
 * A job's settings, shipped to the executors: the {@link DatasetConfig} that decides the samples
 * (the same work items, mix and split rules as the CLI's, so the same scenes and seed give the same
 * sample ids in both), plus what only decides how the job runs. Partition counts never change the
 * samples and are not in the manifest.
 *
 * @param dataset the settings that decide the samples; its sources are filled in when the job
 *     writes (the listing is known then)
 * @param partitions scene partitions; 0 for Spark's default
 * @param failFirstAttemptAfter test hook of {@link ImageWriteFunction}; -1 never
 * @param depthModel {@code --depth-model}: a model file every executor can read (a local path, or a
 *     file name shipped with {@code spark-submit --files}); null for none. Its name and SHA-256 are
 *     in {@code dataset}'s parameters, so the samples do not depend on where it lies.
 * @param gpu {@code --gpu}: the depth model on CUDA where the executors can
 */
record JobConfig(
    DatasetConfig dataset,
    int partitions,
    int failFirstAttemptAfter,
    String depthModel,
    boolean gpu)
    implements Serializable {

  private static final long serialVersionUID = 3L;

  JobConfig(DatasetConfig dataset, int partitions, int failFirstAttemptAfter) {
    this(dataset, partitions, failFirstAttemptAfter, null, false);
  }

  JobConfig withFailFirstAttemptAfter(int n) {
    return new JobConfig(dataset, partitions, n, depthModel, gpu);
  }
}
