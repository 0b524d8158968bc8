/**
 * Spatial-SSRL dataset generation on Apache Spark: the {@code ssrl-tasks} generators run on
 * executors over a listing of scenes on any Hadoop file system, and the result is the SPEC §6
 * layout written as shards.
 *
 * <p>Entry points: {@link dev.ssrl.spark.SparkGenerator} (Java API), {@link
 * dev.ssrl.spark.SceneListing} (where the scenes are) and {@link dev.ssrl.spark.SparkGenerateMain}
 * (the {@code spark-submit} main). See {@code docs/spark.md}.
 */
package dev.ssrl.spark;
