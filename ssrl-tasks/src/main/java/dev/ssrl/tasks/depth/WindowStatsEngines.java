package dev.ssrl.tasks.depth;

import dev.ssrl.api.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Chooses where the depth and position tasks compute their {@link WindowStats}: on the CPU (the
 * default), or with a {@link WindowStatsEngine} provider such as {@code ssrl-gpu}'s when enabled by
 * the generation parameter or system property {@value #PROPERTY}{@code =true} (the parameter wins).
 * An enabled but unusable provider is declined with its reason and the CPU is used; the samples are
 * identical either way.
 */
public final class WindowStatsEngines {
  /** The generation parameter and system property that enable engine providers. */
  public static final String PROPERTY = "ssrl.gpu";

  public static final WindowStatsEngine CPU =
      new WindowStatsEngine() {
        @Override
        public String name() {
          return "cpu";
        }

        @Override
        public Optional<String> unavailableReason() {
          return Optional.empty();
        }

        @Override
        public WindowStats compute(float[] map, int width, int height, int k) {
          return WindowStats.computeShared(map, width, height, k);
        }

        @Override
        public WindowCandidates candidates(
            float[] map, int width, int height, CandidateQuery query) {
          return WindowCandidates.find(map, width, height, query);
        }
      };

  private static final System.Logger LOG = System.getLogger(WindowStatsEngines.class.getName());

  private WindowStatsEngines() {}

  /** The providers, probed once per JVM on first use (a GPU probe loads native code). */
  private static final class Providers {
    static final Choice ENABLED = probe();
  }

  /**
   * An engine and why it was chosen, e.g. {@code ssrl.gpu is not enabled} or {@code ssrl.gpu=true
   * but gpu declined: no usable GPU: ...}.
   */
  public record Choice(WindowStatsEngine engine, String reason) {}

  /**
   * One line saying which engine the tasks use with these options and why, e.g. {@code "cpu
   * (ssrl.gpu is not enabled)"} or {@code "cpu (ssrl.gpu=true but gpu declined: no usable GPU:
   * ...)"}; for logs.
   *
   * @throws IllegalArgumentException if {@value #PROPERTY} is neither true nor false
   */
  public static String describe(GenerationOptions options) {
    Choice c = choose(options);
    return c.engine().name() + " (" + c.reason() + ")";
  }

  /** The engine for these options (the CPU one unless enabled and a provider is usable). */
  public static WindowStatsEngine forOptions(GenerationOptions options) {
    return choose(options).engine();
  }

  /**
   * The engine the tasks use with these options and why.
   *
   * @throws IllegalArgumentException if {@value #PROPERTY} is neither true nor false
   */
  public static Choice choose(GenerationOptions options) {
    String value = options.parameter(PROPERTY, System.getProperty(PROPERTY, "false"));
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(PROPERTY + " must be true or false, got '" + value + "'");
    }
    if (v.equals("false")) {
      return new Choice(CPU, PROPERTY + " is not enabled");
    }
    return Providers.ENABLED;
  }

  private static Choice probe() {
    List<String> declined = new ArrayList<>();
    try {
      for (WindowStatsEngine e : ServiceLoader.load(WindowStatsEngine.class)) {
        Optional<String> why;
        try {
          why = e.unavailableReason();
        } catch (RuntimeException | LinkageError t) {
          why = Optional.of(t.toString());
        }
        if (why.isEmpty()) {
          return new Choice(e, PROPERTY + "=true and " + e.name() + " is usable");
        }
        declined.add(e.name() + " declined: " + why.get());
      }
    } catch (java.util.ServiceConfigurationError e) {
      declined.add("provider configuration error: " + e.getMessage());
    }
    return new Choice(
        CPU,
        PROPERTY
            + "=true but "
            + (declined.isEmpty()
                ? "no WindowStatsEngine provider is on the class path (add ssrl-gpu)"
                : String.join("; ", declined)));
  }

  /**
   * {@code engine.compute}, falling back to the CPU when the engine itself fails (a device error):
   * the result is the same, only slower. Argument errors are the CPU's.
   */
  public static WindowStats compute(
      WindowStatsEngine engine, float[] map, int width, int height, int k) {
    return orOnCpu(
        engine,
        () -> engine.compute(map, width, height, k),
        () -> WindowStats.computeShared(map, width, height, k));
  }

  /**
   * {@code engine.candidates}, falling back to the CPU ({@link WindowCandidates#find}) when the
   * engine itself fails (a device error): the result is the same, only slower. Argument errors are
   * the CPU's.
   */
  public static WindowCandidates candidates(
      WindowStatsEngine engine, float[] map, int width, int height, CandidateQuery query) {
    return orOnCpu(
        engine,
        () -> engine.candidates(map, width, height, query),
        () -> WindowCandidates.find(map, width, height, query));
  }

  /** {@code onEngine}, or {@code onCpu} for the CPU engine and when the engine itself fails. */
  private static <T> T orOnCpu(WindowStatsEngine engine, Supplier<T> onEngine, Supplier<T> onCpu) {
    if (engine == CPU) {
      return onCpu.get();
    }
    try {
      return onEngine.get();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // Same result, only slower; logged so that a broken device does not go unnoticed.
      LOG.log(
          System.Logger.Level.WARNING,
          "window statistics engine " + engine.name() + " failed, computing on the CPU: " + e);
      return onCpu.get();
    }
  }
}
