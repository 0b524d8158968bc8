package dev.ssrl.bench.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ssrl serve} under many keep-alive clients, with and without slowloris sockets, as a
 * trainer fleet and an attacker would load it (docs/BENCHMARKS.md, "Reward server"). Not a JMH
 * benchmark: it starts the server from a jar as a child process, measures its start-up (process
 * start to the first {@code GET /health} 200), then runs rounds of {@code clients} connections that
 * each send {@code requests} one-item {@code POST /v1/score} requests one after another on one
 * keep-alive connection, and prints per round: answers, answers per second, latency p50/p99/max,
 * 503s, other statuses, broken connections, the server's CPU time (user + system, from /proc) and
 * context switches per answer, its resident memory and the load average, then the same as one
 * tab-separated {@code ROUND} line for scripts ({@code ssrl-bench/run-server-compare.sh}). CPU per
 * answer moves far less with the machine's load than answers per second.
 *
 * <pre>
 * java -cp ssrl-bench/target/benchmarks.jar dev.ssrl.bench.cli.RewardServerLoad \
 *     --jar ssrl-cli/target/ssrl.jar [--jsa ssrl-cli/target/ssrl.jsa] [--clients 200] \
 *     [--requests 50] [--slowloris 50] [--rounds 3] [--server-jvm "-XX:StartFlightRecording=..."]
 * </pre>
 *
 * Rounds alternate: without slowloris, then with {@code slowloris} sockets that trickle a request
 * head one byte every 100 ms (a new one replaces each the server cuts). The first pair warms the
 * server's JIT up; all are printed. Loopback only.
 */
public final class RewardServerLoad {
  private static final String BODY =
      "{\"items\": [{\"response\": \"<think>the left one is nearer</think> \\\\boxed{B}\","
          + " \"answer\": \"B\", \"task\": \"position\"}]}";

  private RewardServerLoad() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(arg(args, "--jar", "ssrl-cli/target/ssrl.jar"));
    String jsa = arg(args, "--jsa", null);
    int clients = Integer.parseInt(arg(args, "--clients", "200"));
    int requests = Integer.parseInt(arg(args, "--requests", "50"));
    int slow = Integer.parseInt(arg(args, "--slowloris", "50"));
    int rounds = Integer.parseInt(arg(args, "--rounds", "3"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " is missing");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (jsa != null) {
      cmd.add("-XX:SharedArchiveFile=" + jsa);
      cmd.add("-Xlog:cds*=off");
    }
    // Extra server JVM options (a profiler, say), space-separated.
    String opts = arg(args, "--server-jvm", "");
    if (!opts.isBlank()) {
      cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
    }
    // The ./ssrl launcher's defaults for serve.
    cmd.addAll(List.of("-Xmn256m", "-jar", jar.toString(), "serve", "--port", "" + port));
    long t0 = System.nanoTime();
    Process server =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      double startMs = waitForHealth(port, t0);
      System.out.printf(
          Locale.ROOT,
          "%s: start-up to first /health 200: %.0f ms, RSS %d MB%n",
          jar,
          startMs,
          rssMb(server.pid(), "VmRSS"));
      for (int r = 0; r < rounds; r++) {
        round(port, server.pid(), clients, requests, 0);
        if (slow > 0) {
          round(port, server.pid(), clients, requests, slow);
        }
      }
      System.out.printf(Locale.ROOT, "peak RSS (VmHWM): %d MB%n", rssMb(server.pid(), "VmHWM"));
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static double waitForHealth(int port, long t0) throws InterruptedException {
    while (System.nanoTime() - t0 < 60_000_000_000L) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(5000);
        s.getOutputStream()
            .write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (status(s.getInputStream()) == 200) {
          return (System.nanoTime() - t0) / 1e6;
        }
      } catch (IOException notYet) {
        Thread.sleep(5);
      }
    }
    throw new IllegalStateException("the server did not answer /health within 60 s");
  }

  private static void round(int port, long pid, int clients, int requests, int slow)
      throws Exception {
    AtomicBoolean attacking = new AtomicBoolean(slow > 0);
    AtomicInteger cut = new AtomicInteger();
    List<Thread> slowThreads = new ArrayList<>();
    for (int i = 0; i < slow; i++) {
      Thread t = new Thread(() -> trickle(port, attacking, cut), "slowloris-" + i);
      t.setDaemon(true);
      t.start();
      slowThreads.add(t);
    }
    if (slow > 0) {
      Thread.sleep(1000);
    }
    long[] latencies = new long[clients * requests];
    // The latencies of the 200s alone: a 503 is answered without queueing, so a server that turns
    // fewer requests away shows a longer tail over all answers while its scored requests wait no
    // longer.
    long[] okLatencies = new long[clients * requests];
    AtomicInteger nOk = new AtomicInteger();
    AtomicInteger n = new AtomicInteger();
    LongAdder ok = new LongAdder();
    LongAdder busy = new LongAdder();
    LongAdder broken = new LongAdder();
    ConcurrentHashMap<Integer, LongAdder> other = new ConcurrentHashMap<>();
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    byte[] request = post(BODY);
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                Socket s = null;
                boolean counted = false;
                try {
                  s = connect(port);
                  ready.countDown();
                  counted = true;
                  go.await();
                  for (int i = 0; i < requests; i++) {
                    if (s == null) {
                      s = connect(port);
                    }
                    long a = System.nanoTime();
                    int st;
                    boolean closed;
                    try {
                      s.getOutputStream().write(request);
                      int raw = status(s.getInputStream());
                      closed = raw >= 1000;
                      st = raw % 1000;
                    } catch (IOException e) {
                      broken.increment();
                      s.close();
                      s = null;
                      continue;
                    }
                    long took = System.nanoTime() - a;
                    latencies[n.getAndIncrement()] = took;
                    if (st == 200) {
                      okLatencies[nOk.getAndIncrement()] = took;
                      ok.increment();
                    } else if (st == 503) {
                      busy.increment();
                    } else {
                      other.computeIfAbsent(st, k -> new LongAdder()).increment();
                    }
                    if (closed) {
                      s.close();
                      s = null;
                    }
                  }
                } catch (IOException | InterruptedException e) {
                  broken.increment();
                } finally {
                  if (!counted) {
                    ready.countDown();
                  }
                  if (s != null) {
                    try {
                      s.close();
                    } catch (IOException ignored) {
                      // done
                    }
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    ready.await();
    double cpu0 = cpuSeconds(pid);
    long switches0 = contextSwitches(pid);
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = cpuSeconds(pid) - cpu0;
    long switches = contextSwitches(pid) - switches0;
    attacking.set(false);
    long[] got = Arrays.copyOf(latencies, n.get());
    Arrays.sort(got);
    long[] got200 = Arrays.copyOf(okLatencies, nOk.get());
    Arrays.sort(got200);
    System.out.printf(
        Locale.ROOT,
        "%d clients x %d requests%s: %d answers in %.2f s = %.0f answers/s; p50 %.1f ms, p99 %.1f"
            + " ms, max %.1f ms; 200: %d, 503: %d, other: %s, broken connections: %d%s; server CPU"
            + " %.2f s (%.0f us per answer), %.1f context switches per answer; RSS %d MB; load average"
            + " %s%n",
        clients,
        requests,
        slow > 0 ? " + " + slow + " slowloris" : "",
        got.length,
        seconds,
        got.length / seconds,
        pct(got, 0.50),
        pct(got, 0.99),
        got.length == 0 ? 0 : got[got.length - 1] / 1e6,
        ok.sum(),
        busy.sum(),
        other,
        broken.sum(),
        slow > 0 ? ", slowloris sockets cut by the server: " + cut.get() : "",
        cpu,
        got.length == 0 ? 0 : cpu * 1e6 / got.length,
        got.length == 0 ? 0 : (double) switches / got.length,
        rssMb(pid, "VmRSS"),
        loadAverage());
    // One tab-separated line per round for scripts (run-server-compare.sh).
    System.out.printf(
        Locale.ROOT,
        "ROUND\t%d\t%.0f\t%.1f\t%.1f\t%d\t%d\t%d\t%d\t%.0f\t%d\t%.1f\t%.1f%n",
        slow,
        got.length / seconds,
        pct(got, 0.50),
        pct(got, 0.99),
        ok.sum(),
        busy.sum(),
        other.values().stream().mapToLong(LongAdder::sum).sum(),
        broken.sum(),
        got.length == 0 ? 0 : cpu * 1e6 / got.length,
        rssMb(pid, "VmRSS"),
        pct(got200, 0.50),
        pct(got200, 0.99));
    for (Thread t : slowThreads) {
      t.join(2000);
    }
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setTcpNoDelay(true);
    s.setSoTimeout(30_000);
    return s;
  }

  /** A head sent one byte every 100 ms, forever; a connection the server cuts is replaced. */
  private static void trickle(int port, AtomicBoolean attacking, AtomicInteger cut) {
    byte[] head =
        ("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Pad: "
                + "a".repeat(4000))
            .getBytes(StandardCharsets.US_ASCII);
    while (attacking.get()) {
      try (Socket s = connect(port)) {
        OutputStream out = s.getOutputStream();
        for (int i = 0; attacking.get(); i = (i + 1) % head.length) {
          out.write(head[i]);
          out.flush();
          Thread.sleep(100);
          if (s.getInputStream().available() > 0) {
            break;
          }
        }
        cut.incrementAndGet();
      } catch (IOException e) {
        cut.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static byte[] post(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + b.length
            + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(h, h.length + b.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  /**
   * Reads one response (Content-Length framed) and returns its status, plus 1000 when it closes the
   * connection.
   */
  private static int status(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("closed before an answer");
    }
    int length = 0;
    boolean close = false;
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      String lower = l.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(l.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (in.readNBytes(length).length != length) {
      throw new IOException("answer cut short");
    }
    int code = Integer.parseInt(statusLine.split(" ")[1]);
    return close ? code + 1000 : code;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
  }

  private static long rssMb(long pid, String field) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith(field + ":")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** User plus system CPU time of a process, from /proc (clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Context switches (voluntary and not) of all threads of a process so far, from /proc. */
  private static long contextSwitches(long pid) {
    long n = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          for (String l : Files.readAllLines(t.resolve("status"))) {
            if (l.contains("ctxt_switches:")) {
              n += Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
          }
        } catch (IOException | RuntimeException gone) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return n;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
