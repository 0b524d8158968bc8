package dev.ssrl.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;

/** The tasks found on the class path through {@link ServiceLoader}. */
public final class Tasks {
  private Tasks() {}

  /** All tasks visible to this class's loader, by id, in a stable (sorted by id) order. */
  public static Map<String, Task> all() {
    return all(Tasks.class.getClassLoader());
  }

  /**
   * All tasks visible to {@code loader}, by id, sorted by id.
   *
   * @throws IllegalStateException if two providers share an id
   */
  public static Map<String, Task> all(ClassLoader loader) {
    List<Task> found = new ArrayList<>();
    ServiceLoader.load(Task.class, loader).forEach(found::add);
    found.sort((a, b) -> a.id().compareTo(b.id()));
    Map<String, Task> byId = new LinkedHashMap<>();
    for (Task t : found) {
      Task previous = byId.putIfAbsent(t.id(), t);
      if (previous != null) {
        throw new IllegalStateException(
            "two tasks share the id '"
                + t.id()
                + "': "
                + previous.getClass().getName()
                + " and "
                + t.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(byId);
  }

  /**
   * The ids of the tasks of {@code known} that run by default ({@link Task#inDefaultRun()}), in the
   * order generators use: by {@link Task#defaultRank()} (the SPEC's five tasks first, in SPEC
   * order), tasks of equal rank in {@code known}'s order. Opt-in tasks are left out; they run when
   * a task list names them.
   */
  public static List<String> defaultOrder(Map<String, Task> known) {
    List<Map.Entry<String, Task>> entries = new ArrayList<>();
    for (Map.Entry<String, Task> e : known.entrySet()) {
      if (e.getValue().inDefaultRun()) {
        entries.add(e);
      }
    }
    // List.sort is stable: equal ranks keep the order of known.
    entries.sort(Comparator.comparingInt(e -> e.getValue().defaultRank()));
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, Task> e : entries) {
      ids.add(e.getKey());
    }
    return List.copyOf(ids);
  }

  /**
   * The task with this id.
   *
   * @throws NoSuchElementException naming the id and the known ids
   */
  public static Task byId(String id) {
    Map<String, Task> all = all();
    Task t = all.get(id);
    if (t == null) {
      throw new NoSuchElementException("no task '" + id + "'; known tasks: " + all.keySet());
    }
    return t;
  }
}
