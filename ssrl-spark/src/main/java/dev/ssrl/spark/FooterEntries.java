package dev.ssrl.spark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Adds key-value entries to the footer of a Parquet file Spark wrote. Spark's writer offers no way
 * to add them, and the trainer layouts need the {@code huggingface} entry (Hugging Face datasets
 * reads the image features from it). The row groups are copied as they are (no decoding), with the
 * parquet-mr that Spark itself ships.
 */
final class FooterEntries {
  private FooterEntries() {}

  static void add(FileSystem fs, Configuration conf, Path file, Map<String, String> entries)
      throws IOException {
    HadoopInputFile in = HadoopInputFile.fromPath(file, conf);
    ParquetMetadata footer;
    try (ParquetFileReader r = ParquetFileReader.open(in)) {
      footer = r.getFooter();
    }
    Map<String, String> kv = new LinkedHashMap<>(footer.getFileMetaData().getKeyValueMetaData());
    kv.putAll(entries);
    // A hidden name: readers of the folder skip it while it is being written.
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".footer");
    ParquetFileWriter w =
        new ParquetFileWriter(
            HadoopOutputFile.fromPath(tmp, conf),
            footer.getFileMetaData().getSchema(),
            ParquetFileWriter.Mode.OVERWRITE,
            ParquetWriter.DEFAULT_BLOCK_SIZE,
            ParquetWriter.MAX_PADDING_SIZE_DEFAULT);
    w.start();
    w.appendFile(in);
    w.end(kv);
    if (!fs.delete(file, false) || !fs.rename(tmp, file)) {
      throw new IOException("cannot replace " + file + " by " + tmp);
    }
  }
}
