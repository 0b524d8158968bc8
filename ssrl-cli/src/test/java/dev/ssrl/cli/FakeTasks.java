package dev.ssrl.cli;

import dev.ssrl.api.AnswerFormat;
import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Outcome;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Rejection;
import dev.ssrl.api.Sample;
import dev.ssrl.api.Samples;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small deterministic tasks registered for the tests through META-INF/services. */
final class FakeTasks {
  private FakeTasks() {}

  /** A 32×24 crop of the scene at a seed-chosen place: fast to encode, depends on the scene. */
  static Raster crop(Scene scene, SplittableRandom r) {
    int w = 32;
    int h = 24;
    Raster src = scene.rgb();
    int x0 = r.nextInt(Math.max(1, src.width() - w));
    int y0 = r.nextInt(Math.max(1, src.height() - h));
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(src.data(), ((y0 + y) * src.width() + x0) * 3, rgb, y * w * 3, w * 3);
    }
    return Raster.of(w, h, rgb);
  }

  static Sample sample(Scene scene, String task, GenerationOptions o, long seed, int images) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Raster> list = new ArrayList<>();
    StringBuilder problem = new StringBuilder();
    for (int i = 0; i < images; i++) {
      list.add(crop(scene, r));
      problem.append("<image>");
    }
    problem.append("\nWhich number? ").append(o.suffix());
    String answer = Integer.toString(r.nextInt(1000));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("seed", seed);
    meta.put("variant", o.variant());
    meta.put("ratio", 0.1 * (seed & 7));
    meta.put("profile", o.profile());
    return new Sample(
        Samples.id(scene.id(), task, o.variant()),
        scene.id(),
        task,
        problem.toString(),
        list,
        answer,
        meta);
  }

  /** One image per sample, from any scene. */
  public static final class Tiles implements Task {
    @Override
    public String id() {
      return "tiles";
    }

    @Override
    public AnswerFormat answerFormat() {
      return AnswerFormat.EXACT;
    }

    @Override
    public boolean needsDepth() {
      return false;
    }

    @Override
    public Outcome generate(Scene scene, long seed, GenerationOptions options) {
      return sample(scene, id(), options, seed, 1);
    }
  }

  /** Rejects about a third of its items (by seed), with a stable reason. */
  public static final class Picky implements Task {
    @Override
    public String id() {
      return "picky";
    }

    @Override
    public AnswerFormat answerFormat() {
      return AnswerFormat.OPTION_LETTER;
    }

    @Override
    public boolean needsDepth() {
      return false;
    }

    @Override
    public Outcome generate(Scene scene, long seed, GenerationOptions options) {
      if (Math.floorMod(seed, 3) == 0) {
        return new Rejection(scene.id(), id(), "picky: unlucky seed");
      }
      return sample(scene, id(), options, seed, 1);
    }
  }

  /** Five images per sample, like crop. */
  public static final class Five implements Task {
    @Override
    public String id() {
      return "five";
    }

    @Override
    public AnswerFormat answerFormat() {
      return AnswerFormat.OPTION_LETTER;
    }

    @Override
    public boolean needsDepth() {
      return false;
    }

    @Override
    public Outcome generate(Scene scene, long seed, GenerationOptions options) {
      return sample(scene, id(), options, seed, 5);
    }
  }

  /**
   * Sleeps {@code slow.ms} milliseconds per sample (default 0), so that a child process can be
   * killed part-way through; the sample itself does not depend on the sleep. Rejects a bad {@code
   * slow.ms} with IllegalArgumentException, as the API asks of tasks.
   */
  public static final class Slow implements Task {
    @Override
    public String id() {
      return "slow";
    }

    @Override
    public AnswerFormat answerFormat() {
      return AnswerFormat.EXACT;
    }

    @Override
    public boolean needsDepth() {
      return false;
    }

    @Override
    public Outcome generate(Scene scene, long seed, GenerationOptions options) {
      long ms;
      try {
        ms = Long.parseLong(options.parameter("slow.ms", "0"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("slow.ms must be a number of milliseconds");
      }
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return sample(scene, id(), options, seed, 2);
    }
  }
}
