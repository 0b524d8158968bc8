package dev.ssrl.spark;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Scene;
import dev.ssrl.tasks.image.ImageCodec;
import dev.ssrl.tasks.synthetic.SyntheticScenes;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A folder of synthetic scenes in every scene format (SPEC §1), named so that {@link
 * dev.ssrl.tasks.scene.SceneFolder} pairs them: PNG + 16-bit PNG depth, JPEG + {@code .npy} depth
 * and {@code .npy} mask, PNG + HDF5, PNG + PFM, and an RGB-only PNG.
 */
final class AllFormatScenes {
  private AllFormatScenes() {}

  /** One scene's files, as written. */
  record Files3(Path rgb, Path depth, Path mask) {}

  static List<Files3> write(Path dir, int width, int height) throws IOException {
    Files.createDirectories(dir);
    List<Files3> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Scene s = SyntheticScenes.scene(5, i, width, height);
      DepthMap d = s.depth();
      String n = "s" + i;
      Path rgb = dir.resolve(n + (i == 1 ? ".jpg" : ".png"));
      Files.write(rgb, i == 1 ? ImageCodec.encodeJpeg(s.rgb(), 92) : ImageCodec.encodePng(s.rgb()));
      Path depth = null;
      Path mask = null;
      switch (i) {
        case 0 -> writeDepthPng(d, depth = dir.resolve(n + "_depth.png"));
        case 1 -> {
          Files.write(depth = dir.resolve(n + "_depth.npy"), npy("<f4", d.width(), d.height(), d));
          Files.write(
              mask = dir.resolve(n + "_depth_mask.npy"), npy("|u1", d.width(), d.height(), d));
        }
        case 2 -> writeH5(d, depth = dir.resolve(n + ".h5"));
        case 3 -> Files.write(depth = dir.resolve(n + ".pfm"), pfm(d));
        default -> {}
      }
      out.add(new Files3(rgb, depth, mask));
    }
    return out;
  }

  /** A 16-bit grey PNG in millimetres, 0 where the depth is invalid (SPEC §1). */
  static void writeDepthPng(DepthMap d, Path file) throws IOException {
    BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_USHORT_GRAY);
    int[] row = new int[d.width()];
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        float v = d.at(x, y);
        row[x] = Float.isFinite(v) && v > 0 ? Math.min(65535, Math.round(v * 1000)) : 0;
      }
      img.getRaster().setSamples(0, y, d.width(), 1, 0, row);
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /** float32 depth values, or (for {@code |u1}) the 0/1 validity of each pixel, as numpy writes. */
  private static byte[] npy(String descr, int w, int h, DepthMap d) {
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + h + ", " + w + "), }";
    int padded = (10 + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - 10 - dict.length() - 1) + "\n";
    boolean mask = descr.equals("|u1");
    ByteBuffer b =
        ByteBuffer.allocate(padded + w * h * (mask ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < w * h; i++) {
      if (mask) {
        b.put((byte) (d.isValid(i) ? 1 : 0));
      } else {
        b.putFloat(d.values()[i]);
      }
    }
    return b.array();
  }

  private static void writeH5(DepthMap d, Path file) {
    float[][] rows = new float[d.height()][d.width()];
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        rows[y][x] = d.at(x, y);
      }
    }
    try (WritableHdfFile f = HdfFile.write(file)) {
      f.putDataset("depth", rows);
    }
  }

  /** Single-channel little-endian PFM, rows stored bottom to top. */
  private static byte[] pfm(DepthMap d) {
    byte[] header =
        ("Pf\n" + d.width() + " " + d.height() + "\n-1.0\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(header.length + d.width() * d.height() * 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (int y = d.height() - 1; y >= 0; y--) {
      for (int x = 0; x < d.width(); x++) {
        b.putFloat(d.at(x, y));
      }
    }
    return b.array();
  }
}
