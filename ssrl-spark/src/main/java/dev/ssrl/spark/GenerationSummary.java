package dev.ssrl.spark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SparkGenerator#write} wrote: the counts of its {@code manifest.json}.
 *
 * @param out the dataset folder (qualified Hadoop path)
 * @param train samples written to the train split
 * @param val samples written to the validation split
 * @param rejected work items that yielded no sample
 * @param perTask train + val samples per task, in task order
 * @param rejects rejections per task and reason, sorted
 */
public record GenerationSummary(
    String out,
    long train,
    long val,
    long rejected,
    Map<String, Long> perTask,
    Map<String, Map<String, Long>> rejects) {

  public GenerationSummary {
    perTask = Collections.unmodifiableMap(new LinkedHashMap<>(perTask));
    Map<String, Map<String, Long>> r = new TreeMap<>();
    rejects.forEach((k, v) -> r.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    rejects = Collections.unmodifiableMap(r);
  }

  /** All samples, train and validation. */
  public long samples() {
    return train + val;
  }
}
