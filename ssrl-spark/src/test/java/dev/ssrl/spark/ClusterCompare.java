package dev.ssrl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.dataset.DatasetFormat;
import dev.ssrl.dataset.EasyR1Layout;
import dev.ssrl.dataset.TrainerLayout;
import dev.ssrl.dataset.TrlLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * The comparison of ssrl-spark/scripts/cluster-check.sh: {@code ClusterCompare CLI_OUT SPARK_OUT}
 * exits 0 when the dataset a cluster job wrote equals the one {@code ssrl generate} wrote from the
 * same scenes and seed: the same train/val lines (as sets, and as many), no duplicate sample id,
 * the same image files and bytes, the same reject lines, the same manifest but for the writer's
 * keys (counts included), and the same rows in the generic, TRL and EasyR1 Parquet files the CLI
 * wrote. A difference throws (exit status 1) naming what differs.
 */
final class ClusterCompare {
  private ClusterCompare() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ClusterCompare CLI_OUT SPARK_OUT");
    }
    Path cli = Path.of(args[0]);
    Path sp = Path.of(args[1]);
    assertTrue(Files.isRegularFile(sp.resolve("manifest.json")), sp + " has a manifest");
    int lines = 0;
    for (String split : List.of(DatasetFormat.TRAIN, DatasetFormat.VAL)) {
      String name = DatasetFormat.jsonl(split);
      if (!Files.exists(cli.resolve(name))) {
        continue;
      }
      List<String> a = Files.readAllLines(cli.resolve(name));
      List<String> b = Datasets.rawLines(sp, name);
      assertEquals(a.size(), b.size(), name + " line count (a duplicate or missing sample)");
      assertEquals(new TreeSet<>(a), new TreeSet<>(b), name);
      TreeSet<String> ids = new TreeSet<>();
      for (var n : Datasets.lines(sp, name)) {
        assertTrue(ids.add(n.get("id").asText()), "duplicate sample id " + n.get("id"));
      }
      lines += a.size();
    }
    assertTrue(lines > 0, "the CLI wrote samples: the comparison would prove nothing");
    assertEquals(
        SameAsCliTest.imageHashes(cli), SameAsCliTest.imageHashes(sp), "image files and bytes");
    assertEquals(
        new TreeSet<>(Files.readAllLines(cli.resolve(DatasetFormat.REJECTS))),
        new TreeSet<>(Datasets.rawLines(sp, DatasetFormat.REJECTS)),
        "reject lines");
    assertEquals(
        Files.readAllLines(cli.resolve(DatasetFormat.REJECTS)).size(),
        Datasets.rawLines(sp, DatasetFormat.REJECTS).size(),
        "reject line count");
    SameAsCliTest.sameManifests(cli, sp);
    assertTrue(Files.notExists(sp.resolve(DatasetWriter.STAGING)), "the staging folder is removed");

    SparkSession spark = LocalSpark.session();
    int files = 0;
    for (String split : List.of(DatasetFormat.TRAIN, DatasetFormat.VAL)) {
      List<String> names = new java.util.ArrayList<>(List.of(DatasetFormat.parquet(split)));
      for (TrainerLayout l : List.of(new TrlLayout(), new EasyR1Layout())) {
        names.add(l.file(split));
      }
      for (String name : names) {
        if (!Files.exists(cli.resolve(name))) {
          continue;
        }
        var a = spark.read().parquet(cli.resolve(name).toString());
        var b = spark.read().parquet(sp.resolve(name).toString());
        assertEquals(a.schema(), b.schema(), name + " schema");
        assertEquals(
            SameAsCliTest.canonicalRows(a, cli.toAbsolutePath().toString()),
            SameAsCliTest.canonicalRows(b, sp.toAbsolutePath().toString()),
            name + " rows");
        assertEquals(a.count(), b.count(), name + " row count");
        files++;
      }
    }
    spark.stop();
    System.out.println(
        "same dataset: "
            + lines
            + " samples, images, rejections, manifest, "
            + files
            + " Parquet files ("
            + sp.getFileName()
            + " = "
            + cli.getFileName()
            + ")");
  }
}
