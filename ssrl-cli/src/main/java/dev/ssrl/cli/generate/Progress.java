package dev.ssrl.cli.generate;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long run on standard error: a redrawn bar with rate and ETA on a terminal, plain
 * log lines at most every 10 seconds (and at the end) otherwise, so logs of batch jobs stay short.
 */
abstract class Progress {
  final PrintStream err;
  final String label;
  final long total;
  final long startNanos = System.nanoTime();
  long startDone = -1;

  Progress(PrintStream err, String label, long total) {
    this.err = err;
    this.label = label;
    this.total = total;
  }

  /** A bar when standard error is a terminal, log lines otherwise. */
  static Progress create(PrintStream err, String label, long total) {
    return System.console() != null && err == System.err
        ? new Bar(err, label, total)
        : new Lines(err, label, total);
  }

  /** Records that {@code done} of the items are finished (monotonic). */
  abstract void update(long done);

  /** Ends the display. */
  abstract void finish();

  String stats(long done) {
    if (startDone < 0) {
      startDone = done;
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? (done - startDone) / seconds : 0;
    String eta = rate > 0 ? duration((total - done) / rate) : "?";
    return String.format(Locale.ROOT, "%d/%d items, %.1f items/s, ETA %s", done, total, rate, eta);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  static final class Bar extends Progress {
    private long lastDraw;

    Bar(PrintStream err, String label, long total) {
      super(err, label, total);
    }

    @Override
    void update(long done) {
      long now = System.nanoTime();
      if (startDone >= 0 && now - lastDraw < 200_000_000L && done < total) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = total == 0 ? width : (int) (width * done / total);
      String stats = stats(done);
      err.print(
          "\r"
              + label
              + " ["
              + "=".repeat(filled)
              + " ".repeat(width - filled)
              + "] "
              + (total == 0 ? 100 : 100 * done / total)
              + "% "
              + stats
              + "   ");
      err.flush();
    }

    @Override
    void finish() {
      err.println();
    }
  }

  static final class Lines extends Progress {
    private long lastLog;
    private long lastDone = -1;

    Lines(PrintStream err, String label, long total) {
      super(err, label, total);
    }

    @Override
    void update(long done) {
      long now = System.nanoTime();
      boolean first = startDone < 0;
      String stats = stats(done);
      if (done == lastDone || !first && now - lastLog < 10_000_000_000L && done < total) {
        return;
      }
      lastLog = now;
      lastDone = done;
      err.println("ssrl: " + label + ": " + stats);
    }

    @Override
    void finish() {
      // The last update already logged the final count.
    }
  }
}
