package dev.ssrl.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The trainer layouts on the class path ({@code META-INF/services/dev.ssrl.dataset.TrainerLayout}),
 * in service order: ssrl-dataset's own ({@value GenericParquetLayout#NAME}, {@value
 * TrlLayout#NAME}, {@value EasyR1Layout#NAME}, {@value VerlLayout#NAME}) and any a jar on the class
 * path adds. A run writes its layouts in this order, so the order of a manifest's {@code files} is
 * a function of the class path, not of how the options were spelled.
 */
public final class TrainerLayouts {
  private TrainerLayouts() {}

  /**
   * Every layout found, by name, in service order. Looked up through the thread's context class
   * loader (where Spark puts the application jar) and then this class's own.
   *
   * @throws IllegalStateException if two layouts share a name
   */
  public static Map<String, TrainerLayout> all() {
    Map<String, TrainerLayout> found = new LinkedHashMap<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      add(found, ServiceLoader.load(TrainerLayout.class, context));
    }
    add(found, ServiceLoader.load(TrainerLayout.class, TrainerLayouts.class.getClassLoader()));
    return Collections.unmodifiableMap(found);
  }

  private static void add(Map<String, TrainerLayout> found, ServiceLoader<TrainerLayout> loader) {
    for (TrainerLayout l : loader) {
      TrainerLayout before = found.get(l.name());
      if (before == null) {
        found.put(l.name(), l);
      } else if (before.getClass() != l.getClass()) {
        throw new IllegalStateException(
            "two trainer layouts are named "
                + l.name()
                + ": "
                + before.getClass().getName()
                + " and "
                + l.getClass().getName());
      }
    }
  }

  /**
   * The named layouts in service order, each once.
   *
   * @throws IllegalArgumentException naming an unknown layout and the known ones
   */
  public static List<TrainerLayout> named(Iterable<String> names) {
    Map<String, TrainerLayout> all = all();
    List<String> wanted = new ArrayList<>();
    for (String n : names) {
      if (!all.containsKey(n)) {
        throw new IllegalArgumentException(
            "unknown layout '" + n + "'; known layouts: " + String.join(", ", all.keySet()));
      }
      wanted.add(n);
    }
    List<TrainerLayout> out = new ArrayList<>();
    for (TrainerLayout l : all.values()) {
      if (wanted.contains(l.name())) {
        out.add(l);
      }
    }
    return out;
  }
}
