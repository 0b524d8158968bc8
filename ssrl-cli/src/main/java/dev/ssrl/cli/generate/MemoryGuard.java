package dev.ssrl.cli.generate;

import dev.ssrl.api.GenerationOptions;
import dev.ssrl.api.Scene;
import dev.ssrl.api.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs each scene of a {@link Generator} within the {@link MemoryBudget}, so that one scene too
 * large for the heap costs only that scene.
 *
 * <p>A scene whose estimate exceeds the whole budget is rejected before it is loaded. One over a
 * worker's share, or one that runs out of memory while other scenes are in work, runs (again)
 * alone: it takes the write side of a read-write lock whose read side every other scene holds, so
 * it waits until the scenes in work are done and no other starts meanwhile. Before that retry the
 * first attempt's scene is unreachable (its frames are gone) and the images it wrote are deleted.
 * An {@link OutOfMemoryError} while alone is a named rejection. Generation is a pure function of
 * (seed, scene, task, variant), so a retried scene writes the same bytes as an undisturbed one, and
 * the JSONL lines are still appended in scene order by the main thread.
 */
public final class MemoryGuard {
  /** Manifest cause of a scene over the budget (the reason in rejects.jsonl has the numbers). */
  public static final String OVER_BUDGET = "memory: scene over the memory budget";

  /** Manifest cause of a scene that ran out of memory even alone. */
  static final String OUT_OF_MEMORY = "memory: out of memory even when run alone";

  private final MemoryBudget budget;
  private final List<Task> tasks;
  private final PrintStream err;
  private final ReadWriteLock lock = new ReentrantReadWriteLock(true);
  private final boolean single;

  MemoryGuard(MemoryBudget budget, Collection<? extends Task> tasks, PrintStream err) {
    this.budget = budget;
    this.tasks = List.copyOf(tasks);
    this.err = err;
    this.single = budget.perWorker() == budget.heap();
  }

  /** Signals that a scene must run alone; thrown where its scene is dropped with the stack. */
  static final class RunAlone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether the heap already ran out (else the estimate said so before anything failed). */
    final boolean outOfMemory;

    RunAlone(boolean outOfMemory) {
      super(null, null, false, false);
      this.outOfMemory = outOfMemory;
    }
  }

  /** One attempt at a scene: whether it runs alone, and the files it wrote so far. */
  final class Attempt {
    private final String origin;
    private final boolean alone;
    private final List<Path> written = new ArrayList<>();

    Attempt(String origin, boolean alone) {
      this.origin = origin;
      this.alone = alone;
    }

    /** Records a file about to be written. */
    synchronized void written(Path p) {
      written.add(p);
    }

    /**
     * Called with a load failure: one caused by the heap is retried alone when it happened beside
     * other scenes; otherwise (and while alone) the caller records the load rejection.
     */
    void outOfMemoryOnLoad(Throwable e) {
      if (!alone && causedByOutOfMemory(e)) {
        throw new RunAlone(true);
      }
    }

    /**
     * Checks a loaded scene (a built-in one, or one whose header could not be read): returns the
     * rejection reason when it is over the whole budget, null when it may go on; throws {@link
     * RunAlone} when it is over a worker's share and others may be in work.
     */
    String afterLoad(Scene scene) {
      long need = MemoryBudget.estimate(scene, tasks);
      if (need > budget.heap()) {
        return budget.overBudget(origin, need);
      }
      if (!alone && need > budget.perWorker()) {
        throw new RunAlone(false);
      }
      return null;
    }

    synchronized void discard() throws IOException {
      for (Path p : written) {
        Files.deleteIfExists(p);
      }
      written.clear();
    }
  }

  static boolean causedByOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Generates one scene within the budget (see the class comment). */
  Generator.SceneResult run(SceneSource s, Generator g, GenerationOptions base) throws IOException {
    long need = s.files() == null ? -1 : MemoryBudget.estimate(s.files(), tasks);
    if (need > budget.heap()) {
      return g.rejectAll(
          s.id(), g.itemsOf(s.id()), budget.overBudget(s.origin(), need), OVER_BUDGET);
    }
    if (single || need <= budget.perWorker()) {
      Attempt first = new Attempt(s.origin(), single);
      lock.readLock().lock();
      try {
        return g.generateScene(s, base, first);
      } catch (RunAlone e) {
        first.discard();
        // An out-of-memory error while loading (decoding, or fitting the scene to --max-pixels)
        // is said as such: the estimate did not call for running alone, the heap did.
        err.println(
            e.outOfMemory
                ? "ssrl: warning: out of memory on scene "
                    + s.origin()
                    + " while other scenes were in work; retrying it alone"
                : "ssrl: scene "
                    + s.origin()
                    + " needs more than a worker's share of the heap ("
                    + budget.perWorker() / MemoryBudget.MB
                    + " MB): running it alone");
      } catch (OutOfMemoryError e) {
        first.discard();
        if (single) {
          return outOfMemory(s, g);
        }
        err.println(
            "ssrl: warning: out of memory on scene "
                + s.origin()
                + " while other scenes were in work; retrying it alone");
      } finally {
        lock.readLock().unlock();
      }
    } else {
      err.println(
          "ssrl: scene "
              + s.origin()
              + " needs ~"
              + MemoryBudget.ceilMb(need)
              + " MB, more than a worker's share of "
              + budget.perWorker() / MemoryBudget.MB
              + " MB: running it alone");
    }
    Attempt alone = new Attempt(s.origin(), true);
    lock.writeLock().lock();
    try {
      return g.generateScene(s, base, alone);
    } catch (OutOfMemoryError e) {
      alone.discard();
      return outOfMemory(s, g);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private Generator.SceneResult outOfMemory(SceneSource s, Generator g) {
    err.println("ssrl: warning: out of memory on scene " + s.origin() + " even alone: rejected");
    String reason =
        "memory: "
            + s.origin()
            + ": out of memory even when run alone (budget "
            + budget.heap() / MemoryBudget.MB
            + " MB); raise -Xmx";
    return g.rejectAll(s.id(), g.itemsOf(s.id()), reason, OUT_OF_MEMORY);
  }
}
