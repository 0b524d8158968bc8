package dev.ssrl.tasks;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.RasterOps;
import dev.ssrl.tasks.image.RasterOpsTestSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The study behind {@code crop.similarity} (docs/baselines.md), kept runnable: for every photo in
 * the given folders, {@code boxes} crop boxes (drawn from a {@link SplittableRandom} seeded with
 * the file name's hash) and all five distractor kinds, one CSV line per (crop, distractor) pair
 * with the mean absolute difference and the {@link CropSimilarity} score, and optionally a
 * side-by-side PNG of each pair (crop left) for looking at. Not a test; run from the test class
 * path:
 *
 * <pre>java -cp ... dev.ssrl.tasks.CropLookAlikeStudy OUT BOXES pngs|csv FOLDER...</pre>
 */
public final class CropLookAlikeStudy {
  private CropLookAlikeStudy() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int boxes = Integer.parseInt(args[1]);
    boolean pngs = args[2].equals("pngs");
    List<Path> photos = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      try (Stream<Path> s = Files.list(Path.of(args[i]))) {
        s.filter(p -> p.toString().matches(".*\\.(jpg|png)") && !p.toString().contains("_depth"))
            .sorted()
            .forEach(photos::add);
      }
    }
    Files.createDirectories(out);
    int id = 0;
    try (PrintWriter csv =
        new PrintWriter(
            Files.newBufferedWriter(out.resolve("pairs.csv"), StandardCharsets.UTF_8))) {
      csv.println("id,photo,x0,y0,side,kind,mad,similarity");
      for (Path p : photos) {
        Raster img = RasterOpsTestSupport.read(p);
        int w = img.width();
        int h = img.height();
        int s = Math.min(w, h) / 2;
        SplittableRandom rng = new SplittableRandom(p.getFileName().toString().hashCode());
        for (int b = 0; b < boxes; b++) {
          int x0 = rng.nextInt(w - s + 1);
          int y0 = rng.nextInt(h - s + 1);
          Raster truth = RasterOps.crop(img, x0, y0, s, s);
          int[] truthLuma = CropSimilarity.luma(truth);
          for (int k = 0; k < CropTask.KINDS.size(); k++) {
            int[] r = CropTask.sourceRegion(k, x0, y0, s, w, h);
            Raster c =
                k == 0
                    ? RasterOps.rotateClockwise(truth)
                    : k == 1
                        ? RasterOps.rotateCounterClockwise(truth)
                        : RasterOps.resize(img, r[0], r[1], r[2], r[3], s, s);
            csv.printf(
                Locale.ROOT,
                "%d,%s,%d,%d,%d,%s,%.2f,%.3f%n",
                id,
                p.getFileName(),
                x0,
                y0,
                s,
                CropTask.KINDS.get(k),
                RasterOps.meanAbsDiff(c, truth),
                CropSimilarity.score(CropSimilarity.luma(c), truthLuma));
            if (pngs) {
              writePair(out.resolve("pair-" + id + ".png"), truth, c);
            }
            id++;
          }
        }
      }
    }
  }

  private static void writePair(Path file, Raster a, Raster b) throws IOException {
    int n = 160;
    Raster ta = RasterOps.resize(a, 0, 0, a.width(), a.height(), n, n);
    Raster tb = RasterOps.resize(b, 0, 0, b.width(), b.height(), n, n);
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(2 * n + 10, n, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < 2 * n + 10; x++) {
        img.setRGB(x, y, x < n ? ta.rgbAt(x, y) : x < n + 10 ? 0xFFFFFF : tb.rgbAt(x - n - 10, y));
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
