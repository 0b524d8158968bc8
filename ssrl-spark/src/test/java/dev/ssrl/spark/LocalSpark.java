package dev.ssrl.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of this module's tests, shared by all test classes of the surefire JVM
 * (starting one costs seconds). {@code local[2,4]}: two cores, and a task may fail up to four
 * times, so that retries can be tested in local mode. Spark's shutdown hook stops it.
 */
final class LocalSpark {
  private LocalSpark() {}

  private static SparkSession session;

  static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2,4]")
              .appName("ssrl-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
