package dev.ssrl.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import dev.ssrl.tasks.RelativePositionTask.Facing;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RelativePositionTaskTest {
  private final Task task = new RelativePositionTask();

  /**
   * SPEC §3.5's direction table, transcribed here independently of the implementation: for each
   * facing, the word for Δx > 0, Δx < 0, Δz > 0, Δz < 0.
   */
  private static final Map<String, String[]> SPEC_TABLE =
      Map.of(
          "away", new String[] {"Right", "Left", "Front", "Back"},
          "towards", new String[] {"Left", "Right", "Back", "Front"},
          "left", new String[] {"Back", "Front", "Right", "Left"},
          "right", new String[] {"Front", "Back", "Left", "Right"});

  /** The expected answer direction from the spec table, or null when no component is present. */
  private static String expected(String facing, double dx, double dz, double tx, double tz) {
    String[] row = SPEC_TABLE.get(facing);
    String wx = Math.abs(dx) >= tx ? (dx > 0 ? row[0] : row[1]) : null;
    String wz = Math.abs(dz) >= tz ? (dz > 0 ? row[2] : row[3]) : null;
    if (wx == null || wz == null) {
      return wx == null ? wz : wx;
    }
    return Set.of("Left", "Right").contains(wx) ? wx + "-" + wz : wz + "-" + wx;
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  /** A floor receding with y (near at the bottom) plus walls/boxes: pairs in all directions. */
  static Scene room(String id, int w, int h) {
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double z = 2 + 10.0 * (h - y) / h;
        if (x > w / 5 && x < w / 3 && y > h / 3 && y < 2 * h / 3) {
          z = 3;
        }
        if (x > 2 * w / 3 && x < 5 * w / 6 && y > h / 4 && y < h / 2) {
          z = 9;
        }
        d[y * w + x] = (float) z;
      }
    }
    return DepthOrderingTaskFixtures.scene(id, w, h, d);
  }

  @Test
  void describesItself() {
    assertEquals("position", task.id());
    assertEquals(AnswerFormat.OPTION_LETTER, task.answerFormat());
    assertTrue(task.needsDepth());
    assertInstanceOf(RelativePositionTask.class, Tasks.all().get("position"));
  }

  @Test
  void everyRowOfTheDirectionTableByHand() {
    // away from viewer
    assertEquals("Right", RelativePositionTask.direction(Facing.AWAY, 10, 0, 5, 0.25));
    assertEquals("Left", RelativePositionTask.direction(Facing.AWAY, -10, 0, 5, 0.25));
    assertEquals("Front", RelativePositionTask.direction(Facing.AWAY, 0, 0.5, 5, 0.25));
    assertEquals("Back", RelativePositionTask.direction(Facing.AWAY, 0, -0.5, 5, 0.25));
    assertEquals("Right-Front", RelativePositionTask.direction(Facing.AWAY, 10, 0.5, 5, 0.25));
    // towards viewer
    assertEquals("Left", RelativePositionTask.direction(Facing.TOWARDS, 10, 0, 5, 0.25));
    assertEquals("Right", RelativePositionTask.direction(Facing.TOWARDS, -10, 0, 5, 0.25));
    assertEquals("Back", RelativePositionTask.direction(Facing.TOWARDS, 0, 0.5, 5, 0.25));
    assertEquals("Front", RelativePositionTask.direction(Facing.TOWARDS, 0, -0.5, 5, 0.25));
    assertEquals("Left-Back", RelativePositionTask.direction(Facing.TOWARDS, 10, 0.5, 5, 0.25));
    // left of image
    assertEquals("Back", RelativePositionTask.direction(Facing.LEFT, 10, 0, 5, 0.25));
    assertEquals("Front", RelativePositionTask.direction(Facing.LEFT, -10, 0, 5, 0.25));
    assertEquals("Right", RelativePositionTask.direction(Facing.LEFT, 0, 0.5, 5, 0.25));
    assertEquals("Left", RelativePositionTask.direction(Facing.LEFT, 0, -0.5, 5, 0.25));
    assertEquals("Right-Back", RelativePositionTask.direction(Facing.LEFT, 10, 0.5, 5, 0.25));
    // right of image
    assertEquals("Front", RelativePositionTask.direction(Facing.RIGHT, 10, 0, 5, 0.25));
    assertEquals("Back", RelativePositionTask.direction(Facing.RIGHT, -10, 0, 5, 0.25));
    assertEquals("Left", RelativePositionTask.direction(Facing.RIGHT, 0, 0.5, 5, 0.25));
    assertEquals("Right", RelativePositionTask.direction(Facing.RIGHT, 0, -0.5, 5, 0.25));
    assertEquals("Left-Front", RelativePositionTask.direction(Facing.RIGHT, 10, 0.5, 5, 0.25));
    assertEquals("Right-Back", RelativePositionTask.direction(Facing.RIGHT, -10, -0.5, 5, 0.25));
    // thresholds are inclusive; below both there is no direction
    assertEquals("Right", RelativePositionTask.direction(Facing.AWAY, 5, 0.2499, 5, 0.25));
    assertEquals("Back", RelativePositionTask.direction(Facing.AWAY, 4.99, -0.25, 5, 0.25));
    assertNull(RelativePositionTask.direction(Facing.AWAY, 4.99, 0.2499, 5, 0.25));
  }

  private static String mirror(String direction) {
    StringBuilder out = new StringBuilder();
    for (String part : direction.split("-")) {
      if (out.length() > 0) {
        out.append('-');
      }
      out.append(
          switch (part) {
            case "Left" -> "Right";
            case "Right" -> "Left";
            case "Front" -> "Back";
            case "Back" -> "Front";
            default -> throw new AssertionError(part);
          });
    }
    return out.toString();
  }

  @Test
  void swappingCameraAndTargetMirrorsTheAnswer() {
    qt().forAll(
            integers().between(0, 3),
            doubles().between(-500, 500),
            doubles().between(-1, 1),
            doubles().between(1, 200))
        .checkAssert(
            (f, dx, dz, tx) -> {
              Facing facing = Facing.values()[f];
              String there = RelativePositionTask.direction(facing, dx, dz, tx, 0.25);
              String back = RelativePositionTask.direction(facing, -dx, -dz, tx, 0.25);
              if (there == null) {
                assertNull(back);
              } else {
                assertEquals(mirror(there), back);
              }
            });
  }

  @Test
  void tableAgreesWithTheSpecTranscriptionAndTurningLeftThenRightIsOpposite() {
    qt().forAll(
            integers().between(0, 3),
            doubles().between(-500, 500),
            doubles().between(-1, 1),
            doubles().between(1, 200))
        .checkAssert(
            (f, dx, dz, tx) -> {
              Facing facing = Facing.values()[f];
              assertEquals(
                  expected(facing.key, dx, dz, tx, 0.25),
                  RelativePositionTask.direction(facing, dx, dz, tx, 0.25));
            });
    // Opposite facings give opposite words for the same offset.
    Map<Facing, Facing> opposite = new EnumMap<>(Facing.class);
    opposite.put(Facing.LEFT, Facing.RIGHT);
    opposite.put(Facing.RIGHT, Facing.LEFT);
    opposite.put(Facing.AWAY, Facing.TOWARDS);
    opposite.put(Facing.TOWARDS, Facing.AWAY);
    for (Facing f : Facing.values()) {
      for (double[] o : new double[][] {{9, 0}, {-9, 0}, {0, 1}, {0, -1}, {9, 1}, {-9, -1}}) {
        assertEquals(
            mirror(RelativePositionTask.direction(f, o[0], o[1], 5, 0.25)),
            RelativePositionTask.direction(opposite.get(f), o[0], o[1], 5, 0.25));
      }
    }
  }

  @Test
  void samplesOnRandomScenesMatchTheSpecWhenRecomputedFromTheMap() {
    AtomicInteger accepted = new AtomicInteger();
    qt().withExamples(60)
        .forAll(integers().between(64, 200), integers().between(64, 200), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              Scene scene = DepthOrderingTaskFixtures.randomScene(seed, w, h);
              Outcome o = task.generate(scene, seed * 31 + 7);
              if (o instanceof Rejection r) {
                assertTrue(r.reason().startsWith("position: "), r.reason());
                return;
              }
              accepted.incrementAndGet();
              checkSample(scene, (Sample) o);
            });
    assertTrue(accepted.get() >= 20, "too few random scenes accepted: " + accepted.get());
  }

  @SuppressWarnings("unchecked")
  static void checkSample(Scene scene, Sample s) {
    int w = scene.rgb().width();
    int h = scene.rgb().height();
    Map<String, Object> meta = s.metadata();
    Map<String, Object> normMeta = (Map<String, Object>) meta.get("normalization");
    float[] map =
        DepthOrderingTaskFixtures.renormalize(
            scene.depth(), num(normMeta, "low"), num(normMeta, "high"));
    Map<String, Object> camera = (Map<String, Object>) meta.get("camera");
    Map<String, Object> target = (Map<String, Object>) meta.get("target");
    assertEquals(Set.of("1", "2"), Set.of(camera.get("label"), target.get("label")));
    for (Map<String, Object> b : List.of(camera, target)) {
      int left = (Integer) b.get("left");
      int top = (Integer) b.get("top");
      assertEquals(15, b.get("window"));
      assertEquals(left + 7, b.get("x"));
      assertEquals(top + 7, b.get("y"));
      double[] ref = DepthOrderingTaskFixtures.window(map, w, left, top, 15);
      assertEquals(225, (int) ref[2], "fully valid block");
      assertTrue(ref[1] - ref[0] <= 0.15, "flat block");
      assertEquals(ref[0], num(b, "minDepth"));
      assertEquals(ref[1], num(b, "maxDepth"));
      assertEquals(ref[3], num(b, "meanDepth"), 1e-9);
      int cx = left + 7;
      int cy = top + 7;
      assertTrue(cx >= 0.05 * w && cx <= 0.95 * w && cy >= 0.05 * h && cy <= 0.95 * h);
    }
    double ddx = num(target, "x") - num(camera, "x");
    double ddy = num(target, "y") - num(camera, "y");
    assertTrue(Math.hypot(ddx, ddy) >= Math.min(w, h) / 8, "blocks far enough apart");
    assertEquals(ddx, num(meta, "deltaX"));
    assertEquals(num(target, "meanDepth") - num(camera, "meanDepth"), num(meta, "deltaZ"));
    assertEquals(150.0 * w / 1600, num(meta, "thresholdX"), 1e-12);
    assertEquals(0.25, num(meta, "thresholdZ"));
    String want =
        expected(
            (String) meta.get("facing"),
            num(meta, "deltaX"),
            num(meta, "deltaZ"),
            num(meta, "thresholdX"),
            num(meta, "thresholdZ"));
    assertTrue(want != null, "a clear direction");
    assertEquals(want, meta.get("answerDirection"));
    List<String> options = (List<String>) meta.get("options");
    List<String> allowed =
        want.contains("-")
            ? List.of("Left-Front", "Right-Front", "Right-Back", "Left-Back")
            : List.of("Left", "Right", "Front", "Back");
    assertEquals(new HashSet<>(allowed), new HashSet<>(options));
    assertEquals(4, options.size());
    assertTrue(s.answer().matches("[A-D]"));
    assertEquals(want, options.get(s.answer().charAt(0) - 'A'));
    for (int i = 0; i < 4; i++) {
      assertTrue(s.problem().contains((char) ('A' + i) + ". " + options.get(i)));
    }
    PromptProfile p = PromptProfile.named("spatial-ssrl");
    assertTrue(s.problem().contains(p.format("position.facing." + meta.get("facing"), Map.of())));
    assertTrue(s.problem().contains("camera at position '" + camera.get("label") + "'"));
    assertTrue(s.problem().endsWith(" " + GenerationOptions.DEFAULT_SUFFIX));
  }

  @Test
  void sameSeedGivesIdenticalSamplesAndSeedsVaryTheChoices() {
    Scene scene = room("room", 240, 160);
    GenerationOptions options = GenerationOptions.defaults().withVariant(2);
    Set<String> answers = new HashSet<>();
    Set<Object> facings = new HashSet<>();
    Set<Object> cameras = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      Sample a = (Sample) task.generate(scene, seed, options);
      Sample b = (Sample) task.generate(scene, seed, options);
      assertEquals(a, b);
      assertTrue(Arrays.equals(a.images().get(0).data(), b.images().get(0).data()));
      assertEquals("room-position-2", a.id());
      checkSample(scene, a);
      answers.add(a.answer());
      facings.add(a.metadata().get("facing"));
      cameras.add(a.metadata().get("camera"));
    }
    assertEquals(Set.of("A", "B", "C", "D"), answers);
    assertEquals(Set.of("left", "right", "towards", "away"), facings);
    assertTrue(cameras.size() > 30, "camera blocks vary");
  }

  @Test
  void facingWeightsAndThresholdsAreConfigurable() {
    Scene scene = room("room", 240, 160);
    GenerationOptions onlyAway =
        GenerationOptions.defaults()
            .withParameters(
                Map.of(
                    "position.facing.weights",
                    "0,0,0,1",
                    "position.dz",
                    "0.5",
                    "position.dx",
                    "400"));
    for (long seed = 0; seed < 10; seed++) {
      Sample s = (Sample) task.generate(scene, seed, onlyAway);
      assertEquals("away", s.metadata().get("facing"));
      assertEquals(0.5, s.metadata().get("thresholdZ"));
      assertEquals(60.0, s.metadata().get("thresholdX"));
    }
    for (String bad : List.of("1,2,3", "a,b,c,d", "0,0,0,0", "-1,1,1,1")) {
      GenerationOptions o =
          GenerationOptions.defaults().withParameters(Map.of("position.facing.weights", bad));
      var e = assertThrows(IllegalArgumentException.class, () -> task.generate(scene, 0, o));
      assertTrue(e.getMessage().contains("position.facing.weights"), e.getMessage());
    }
    GenerationOptions badDz =
        GenerationOptions.defaults().withParameters(Map.of("position.dz", "-1"));
    var e = assertThrows(IllegalArgumentException.class, () -> task.generate(scene, 0, badDz));
    assertTrue(e.getMessage().contains("position.dz"));
    GenerationOptions badAttempts =
        GenerationOptions.defaults().withParameters(Map.of("position.attempts", "1.5"));
    e = assertThrows(IllegalArgumentException.class, () -> task.generate(scene, 0, badAttempts));
    assertTrue(e.getMessage().contains("position.attempts"));
  }

  @Test
  void sceneWithoutDepthIsRejected() {
    Scene scene = Scene.rgbOnly("rgb", Raster.blank(80, 80));
    assertEquals(
        new Rejection("rgb", "position", "position: no depth map"), task.generate(scene, 0));
  }

  @Test
  void sceneWithUnderFivePercentValidDepthIsRejected() {
    float[] d = new float[100 * 100];
    for (int i = 0; i < 400; i++) {
      d[i * 25] = 1 + i;
    }
    assertEquals(
        new Rejection("sparse", "position", "position: too few valid pixels"),
        task.generate(DepthOrderingTaskFixtures.scene("sparse", 100, 100, d), 0));
  }

  @Test
  void roughSceneHasNoFlatBlocks() {
    float[] d = new float[100 * 100];
    for (int i = 0; i < d.length; i++) {
      d[i] = (i / 100 + i % 100) % 2 == 0 ? 1f : 2f;
    }
    assertEquals(
        new Rejection("rough", "position", "position: too few flat blocks"),
        task.generate(DepthOrderingTaskFixtures.scene("rough", 100, 100, d), 0));
  }

  @Test
  void narrowStripAtOneDepthHasNoPairWithAClearDirection() {
    // Only a 30-px-wide vertical strip is valid (15%): block centres differ by at most 16 px in x,
    // below the 18.75-px threshold, and the strip is at one depth so Δz = 0.
    int w = 200;
    int h = 200;
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 85; x < 115; x++) {
        d[y * w + x] = 4f;
      }
    }
    assertEquals(
        new Rejection("strip", "position", "position: no pair with a clear direction"),
        task.generate(DepthOrderingTaskFixtures.scene("strip", w, h, d), 0));
  }

  @Test
  void rarePairsAreFoundByTheBoundedSearch() {
    // Two small far islands in a large plane: random pair draws rarely hit a qualifying pair, the
    // per-camera scan finds one.
    int w = 300;
    int h = 200;
    float[] d = new float[w * h];
    Arrays.fill(d, 2f);
    for (int y = 90; y < 110; y++) {
      for (int x = 140; x < 160; x++) {
        d[y * w + x] = 8f;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (Math.abs(x - 150) > 25 || Math.abs(y - 100) > 25) {
          d[y * w + x] = (y + x) % 2 == 0 ? 2f : 0f; // rough/invalid elsewhere
        }
      }
    }
    Scene scene = DepthOrderingTaskFixtures.scene("islands", w, h, d);
    Outcome o =
        task.generate(
            scene,
            3,
            GenerationOptions.defaults().withParameters(Map.of("position.attempts", "1")));
    assertInstanceOf(Sample.class, o, o.toString());
    checkSample(scene, (Sample) o);
  }
}
