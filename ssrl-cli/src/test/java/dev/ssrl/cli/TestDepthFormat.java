package dev.ssrl.cli;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A depth format that exists only in the tests, added as a user would add one: this file and a line
 * in {@code META-INF/services/dev.ssrl.tasks.scene.DepthFormat}, nothing else.
 * ExtensionDepthFormatTest shows that loading, folder pairing and the memory budget all take it.
 *
 * <p>Layout: the magic {@code TDEP}, width and height as big-endian unsigned 16-bit numbers, then
 * {@code width × height} big-endian unsigned 16-bit values in row-major order, each times the depth
 * scale. Paired as {@code X_depth.tdep}.
 */
public final class TestDepthFormat implements DepthFormat {
  static final byte[] MAGIC = "TDEP".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String name() {
    return "tdep";
  }

  @Override
  public String description() {
    return "TDEP (tests)";
  }

  @Override
  public List<String> pairedSuffixes() {
    return List.of("_depth.tdep");
  }

  @Override
  public boolean recognises(byte[] head) {
    return head.length >= MAGIC.length
        && ByteBuffer.wrap(head, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC));
  }

  @Override
  public DepthHeader probe(DepthSource source) throws SceneLoadException {
    ByteBuffer b = header(source.head(8), source);
    return new DepthHeader(b.getChar(4), b.getChar(6), 2);
  }

  @Override
  public DepthMap read(DepthSource source, long maxPixels, double depthScale)
      throws SceneLoadException {
    byte[] all = source.bytes();
    ByteBuffer b = header(all, source);
    int w = b.getChar(4);
    int h = b.getChar(6);
    if ((long) w * h > maxPixels) {
      throw new SceneLoadException(
          source.path(), "TDEP " + w + "x" + h + " exceeds the pixel budget of " + maxPixels);
    }
    if (all.length != 8 + 2L * w * h) {
      throw new SceneLoadException(
          source.path(),
          "truncated TDEP: " + w + "x" + h + " needs " + (8 + 2L * w * h) + " bytes");
    }
    float[] v = new float[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (b.getChar(8 + 2 * i) * depthScale);
    }
    return DepthMap.of(w, h, v);
  }

  private static ByteBuffer header(byte[] b, DepthSource source) throws SceneLoadException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    if (b.length < 8 || buf.getChar(4) == 0 || buf.getChar(6) == 0) {
      throw new SceneLoadException(source.path(), "corrupt TDEP header");
    }
    return buf;
  }

  /** A TDEP file of {@code w × h} values (row-major). */
  static byte[] write(int w, int h, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 * w * h);
    b.put(MAGIC).putChar((char) w).putChar((char) h);
    for (int v : values) {
      b.putChar((char) v);
    }
    return b.array();
  }
}
