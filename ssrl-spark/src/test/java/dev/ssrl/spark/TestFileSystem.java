package dev.ssrl.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local files under another scheme, {@code ssrltest:///path}: to Hadoop (and so to the job) a file
 * system that is not {@code file:}, which makes the job take the path of HDFS or S3A (scene files
 * read through {@code FileSystem.open} streams into memory) without needing either in a test.
 */
public class TestFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "ssrltest";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  static String uri(java.nio.file.Path p) {
    return SCHEME + "://" + p.toAbsolutePath();
  }
}
