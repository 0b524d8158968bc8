package dev.ssrl.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ssrl.dataset.DatasetJson;
import dev.ssrl.tasks.audit.BlindAudit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The blind-baseline audit of a job's samples, as the CLI computes it: one {@link BlindAudit} per
 * partition from the written task, answer and metadata, merged on the driver. Its counts are
 * integers, so the merge order does not change the manifest. Each side audits with the tasks it
 * finds ({@link TaskRegistry#all()}, which sees {@code --jars}), so a task's own heuristics ({@code
 * Audited}) run for extension tasks too.
 */
final class SparkAudit {
  private SparkAudit() {}

  static BlindAudit of(Dataset<Row> stagedRows) {
    List<BlindAudit> parts =
        stagedRows
            .filter(col("reason").isNull())
            .select("task", "answer", "metadata")
            .javaRDD()
            .mapPartitions(new PartAudit())
            .collect();
    BlindAudit all = new BlindAudit(TaskRegistry.all().values());
    for (BlindAudit p : parts) {
      all.merge(p);
    }
    return all;
  }

  /** Audits one partition's (task, answer, metadata JSON) rows. */
  static final class PartAudit implements FlatMapFunction<Iterator<Row>, BlindAudit> {
    private static final long serialVersionUID = 1L;

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<BlindAudit> call(Iterator<Row> rows) throws JsonProcessingException {
      BlindAudit a = new BlindAudit(TaskRegistry.all().values());
      while (rows.hasNext()) {
        Row r = rows.next();
        String meta = r.getString(2);
        Map<String, Object> m =
            meta == null ? Map.of() : DatasetJson.MAPPER.readValue(meta, Map.class);
        a.add(r.getString(0), r.getString(1), m);
      }
      return List.of(a).iterator();
    }
  }
}
