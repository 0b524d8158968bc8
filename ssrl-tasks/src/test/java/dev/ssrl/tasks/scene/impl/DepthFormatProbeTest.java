package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormats;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.EncodedFile;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.scene.SceneTestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each built-in format's probe reports the size its read decodes, from the header alone: the same
 * file cut short after its header still probes, while loading it is the named truncation error.
 */
class DepthFormatProbeTest {
  @TempDir Path tmp;

  /** Every format a test file is written in: {name, file suffix}. */
  private static final String[][] FORMATS = {
    {"npy-f4", ".npy"},
    {"npy-u2", ".npy"},
    {"npy-f8", ".npy"},
    {"hdf5", ".h5"},
    {"png16", ".png"},
    {"pfm", ".pfm"}
  };

  @Test
  void theProbeGivesTheSizeTheLoadDecodes() {
    qt().withExamples(60)
        .forAll(
            integers().between(0, FORMATS.length - 1),
            integers().between(1, 40),
            integers().between(1, 40))
        .checkAssert(
            (f, w, h) -> {
              try {
                Path p = tmp.resolve("d" + f + "_" + w + "x" + h + FORMATS[f][1]);
                Files.write(p, file(FORMATS[f][0], w, h));
                DepthHeader probed = DepthFormats.probe(p);
                DepthMap loaded = SceneLoader.defaults().loadDepth(p, null);
                assertEquals(loaded.width(), probed.width());
                assertEquals(loaded.height(), probed.height());
                assertEquals(valueBytes(FORMATS[f][0]), probed.bytesPerValue());
                // In memory, the same header.
                DepthSource held =
                    DepthSource.of(new EncodedFile(p.toString(), Files.readAllBytes(p)));
                assertEquals(probed, DepthFormats.recognise(held).probe(held));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Test
  void aProbeReadsTheHeaderOnly() throws IOException {
    for (String[] f : new String[][] {FORMATS[0], FORMATS[4], FORMATS[5]}) {
      byte[] whole = file(f[0], 300, 200);
      Path p = tmp.resolve("cut" + f[1]);
      // The header and a few values: a probe is satisfied, a load names the truncation.
      Files.write(p, Arrays.copyOf(whole, whole.length - 1000));
      assertEquals(new DepthHeader(300, 200, valueBytes(f[0])), DepthFormats.probe(p));
      SceneLoadException e =
          assertThrows(SceneLoadException.class, () -> SceneLoader.defaults().loadDepth(p, null));
      assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    }
  }

  @Test
  void aProbeOfAnUnknownOrBrokenFileNamesIt() throws IOException {
    Path p = tmp.resolve("x_depth.npy");
    Files.write(p, "GIF89a not depth".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> DepthFormats.probe(p));
    assertEquals(
        p
            + ": unsupported depth format (looks like GIF); expected .npy, HDF5 (.h5), 16-bit PNG"
            + " or PFM",
        e.getMessage());
    BufferedImage grey8 = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    Path g = tmp.resolve("g_depth.png");
    ImageIO.write(grey8, "png", g.toFile());
    e = assertThrows(SceneLoadException.class, () -> DepthFormats.probe(g));
    assertTrue(e.getMessage().contains("must be 16-bit single-channel grey"), e.getMessage());
  }

  private static int valueBytes(String format) {
    return switch (format) {
      case "npy-u2", "png16" -> 2;
      case "npy-f8" -> 8;
      default -> 4;
    };
  }

  /** A depth file of {@code w × h} values 1, 2, 3, ... in the given format. */
  private byte[] file(String format, int w, int h) throws IOException {
    double[] v = new double[w * h];
    float[] fv = new float[w * h];
    int[] iv = new int[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 60000 + 1;
      fv[i] = (float) v[i];
      iv[i] = (int) v[i];
    }
    String shape = "(" + h + ", " + w + ")";
    switch (format) {
      case "npy-f4":
        return NpyTestFiles.write(1, "<f4", false, shape, h, w, v);
      case "npy-u2":
        return NpyTestFiles.write(1, "<u2", false, shape, h, w, v);
      case "npy-f8":
        return NpyTestFiles.write(2, ">f8", false, shape, h, w, v);
      case "hdf5":
        float[][] rows = new float[h][w];
        for (int y = 0; y < h; y++) {
          rows[y] = Arrays.copyOfRange(fv, y * w, (y + 1) * w);
        }
        return Hdf5TestFiles.write(tmp.resolve("scratch.h5"), f -> f.putDataset("depth", rows));
      case "png16":
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, w, h, iv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
      default:
        float[][] top = new float[h][w];
        for (int y = 0; y < h; y++) {
          top[y] = Arrays.copyOfRange(fv, y * w, (y + 1) * w);
        }
        return SceneTestImages.pfm(w, h, 1, top, true);
    }
  }
}
