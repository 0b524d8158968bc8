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
 */
record JobConfig(DatasetConfig dataset, int partitions, int failFirstAttemptAfter)
    implements Serializable {

  private static final long serialVersionUID = 2L;

  JobConfig withFailFirstAttemptAfter(int n) {
    return new JobConfig(dataset, partitions, n);
  }
}
