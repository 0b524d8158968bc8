package dev.ssrl.cli.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The reward server's HTTP/1.1 transport, on Jetty 12: Jetty's selector ({@code SelectorManager},
 * which also accepts) and endpoints do the socket I/O, Jetty's {@code HttpParser} reads every
 * request (RFC 9110/9112: Host, Content-Length and Transfer-Encoding, chunk sizes and trailers,
 * size limits), and {@link Http1Connection} holds the little the reward server decides per
 * connection (one request at a time, pipelining in order, {@code Expect: 100-continue}, HTTP/1.0
 * keep-alive, the answer). Jetty's own {@code HttpConnection} and handler API were used first and
 * cost 1.5–2 times the old front end's CPU per answer (docs/BENCHMARKS.md, issue 26). This class
 * adds what the reward server needs on top:
 *
 * <ul>
 *   <li>more than {@link HttpLimits#maxConnections} open connections: 503 with {@code Retry-After}
 *       at once, then close (a limit that stops accepting would leave a client waiting in the
 *       kernel's backlog with no answer);
 *   <li>a request head not complete within {@link HttpLimits#headerTimeout} of its first byte: 408
 *       and close; a new connection that sends nothing for that long is closed silently (Jetty's
 *       idle timeout is reset by every byte, so a head trickled a byte at a time would never end);
 *   <li>a request body not complete within {@link HttpLimits#requestTimeout} of the request's first
 *       byte: 408 and close; bodies are read without holding a thread;
 *   <li>request bodies held at once over all connections, counted by the bytes actually buffered
 *       (never by a declared length), above {@link HttpLimits#maxBufferedBytes}: 503 with {@code
 *       Retry-After};
 *   <li>only a complete body reaches the scoring pool; a full pool answers 503 at once;
 *   <li>every answer, including those to requests Jetty's parser refuses, is the application's
 *       JSON;
 *   <li>{@link #stop} closes the listening socket and gives the requests in flight the grace.
 * </ul>
 *
 * A keep-alive connection idle for {@link HttpLimits#idleTimeout} is closed by Jetty, and so is one
 * whose client stops reading an answer for that long.
 */
public final class HttpTransport {
  /** An answer: status, JSON body and extra header fields. */
  record Response(int status, byte[] body, Map<String, String> headers) {}

  /** Turns a complete request body into its response; runs on a worker thread. */
  interface BodyHandler {
    Response handle(byte[] body, int length);
  }

  /** What to do with a request whose head has been read: answer now, or read the body. */
  record Route(Response answer, BodyHandler handler) {
    static Route answer(Response r) {
      return new Route(r, null);
    }

    static Route body(BodyHandler h) {
      return new Route(null, h);
    }
  }

  /** The application side: routing by head, and the JSON error body of a status. */
  interface Application {
    Route route(String method, String path, String contentType);

    Response error(int status, String message, Map<String, String> headers);
  }

  static {
    // Jetty sizes the padding of its concurrent structures by the references per cache line and,
    // unless told, asks the platform MBean server whether oops are compressed: that starts JMX,
    // about 0.1 s of every start-up. Compressed oops are the JVM's default below a 32 GB heap.
    if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
      boolean compressed = Runtime.getRuntime().maxMemory() < (32L << 30);
      System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", compressed ? "16" : "8");
    }
  }

  private static final int MAX_HEAD_BYTES = 32 * 1024;

  /** How often the head deadlines are checked; a head's first byte is seen this late at most. */
  private static final long SCAN_MILLIS = 100;

  /** How long a refused or timed-out connection is read and drained before it is closed. */
  static final long LINGER_MILLIS = 2000;

  private final HttpLimits limits;
  private final int maxBodyBytes;
  private final Application app;
  private final Executor workers;
  private final QueuedThreadPool pool;
  private final ScheduledExecutorScheduler idle;
  private final Selectors selectors;
  private final ServerSocketChannel listener;
  private final ScheduledThreadPoolExecutor timers;
  private final Set<Tracked> conns = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger refusing = new AtomicInteger();
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile DateLine date = new DateLine(-1, new byte[0]);
  private volatile boolean stopping;
  private volatile ManagedSelector selector;
  private volatile Consumer<String> onFailure = m -> {};

  HttpTransport(
      String host, int port, HttpLimits limits, int maxBodyBytes, Application app, Executor workers)
      throws IOException {
    this.limits = limits;
    this.maxBodyBytes = maxBodyBytes;
    this.app = app;
    this.workers = workers;
    // Connections never block (bodies are read as they come, scoring runs on the workers), so one
    // selector thread serves every connection, and accepts them too; the pool only runs the rare
    // blocking callback (a refused connection's answer).
    this.pool = new QueuedThreadPool(8, 1);
    pool.setName("ssrl-http");
    pool.setDaemon(true);
    pool.setReservedThreads(0);
    this.idle = new ScheduledExecutorScheduler("ssrl-http-idle", true);
    this.selectors = new Selectors();
    this.timers = new ScheduledThreadPoolExecutor(1, named("ssrl-http-timer"));
    timers.setRemoveOnCancelPolicy(true);
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress(host, port), 128);
      ch.configureBlocking(false);
    } catch (IOException | RuntimeException e) {
      ch.close();
      timers.shutdownNow();
      throw e;
    }
    this.listener = ch;
  }

  /**
   * Jetty's selector, with the reward server's endpoints and connections: the accepted socket gets
   * TCP_NODELAY (an answer is one write; Nagle's algorithm would hold it about 40 ms) and the idle
   * timeout, and a connection is ours up to the cap.
   */
  private final class Selectors extends SelectorManager {
    Selectors() {
      super(pool, idle, 1);
    }

    @Override
    protected void accepted(SelectableChannel channel) throws IOException {
      SocketChannel socket = (SocketChannel) channel;
      socket.configureBlocking(false);
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
      accept(channel);
    }

    @Override
    protected EndPoint newEndPoint(
        SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
      SocketChannelEndPoint e =
          new SocketChannelEndPoint((SocketChannel) channel, selector, key, getScheduler());
      e.setIdleTimeout(limits.idleTimeout().toMillis());
      return e;
    }

    @Override
    public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object unused) {
      return connection(endPoint);
    }
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts initialising Jetty's HTTP parser on a daemon thread, so that it overlaps the rest of
   * {@code ssrl serve}'s start-up instead of delaying the first answer: the parser's field cache
   * reaches Jetty's {@code MimeTypes}, whose static initialiser asks the JDK for every available
   * locale (about 0.1 s, the largest single item of start-up; JFR, issue 26).
   */
  static void prepareInBackground() {
    Thread t =
        new Thread(
            () -> {
              try {
                Class.forName(
                    "org.eclipse.jetty.http.HttpParser",
                    true,
                    HttpTransport.class.getClassLoader());
              } catch (ClassNotFoundException | LinkageError e) {
                // The first request initialises it, or reports what is wrong.
              }
            },
            "ssrl-http-prepare");
    t.setDaemon(true);
    t.start();
  }

  /** Called once, with a reason, if the server can no longer accept connections. */
  void onFailure(Consumer<String> listener) {
    this.onFailure = listener;
  }

  /** Starts serving; returns the bound port. */
  int start() {
    try {
      pool.start();
      idle.start();
      selectors.start();
      selector = selectors.getBean(ManagedSelector.class);
      selectors.acceptor(listener);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP server: " + e, e);
    }
    timers.scheduleWithFixedDelay(this::scan, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
    return listener.socket().getLocalPort();
  }

  /**
   * Stops accepting; requests already being read or scored get up to {@code graceSeconds} to be
   * answered (with {@code Connection: close}), then every connection is closed.
   */
  void stop(int graceSeconds) {
    stopping = true;
    try {
      listener.close();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
      while (inFlight.get() > 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
    } catch (IOException e) {
      System.err.println("ssrl: closing the listening socket: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (LifeCycle c : List.of(selectors, idle, pool)) {
      try {
        c.stop();
      } catch (Exception e) {
        System.err.println("ssrl: stopping the HTTP server: " + e);
      }
    }
    timers.shutdownNow();
  }

  /** Body bytes buffered over all connections now (for tests). */
  long bufferedBytes() {
    return buffered.get();
  }

  /** Connections counted against the cap now (for tests). */
  public int openConnections() {
    return active.get();
  }

  /** The listening socket (for tests that take it away). */
  public ServerSocketChannel listener() {
    return listener;
  }

  /** The sockets of the connections counted against the cap now (for tests). */
  public List<SocketChannel> openSockets() {
    List<SocketChannel> out = new java.util.ArrayList<>();
    for (Tracked t : conns) {
      out.add((SocketChannel) t.connection.getEndPoint().getTransport());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Connections: the cap and the head deadline

  /** Per connection: whether a request is being handled, and when the current head began. */
  static final class Tracked {
    static final int WAITING = 0;
    static final int HANDLING = 1;
    static final int CUT = 2;

    final Connection connection;
    final AtomicInteger state = new AtomicInteger(WAITING);
    private long bytesWhenIdle;
    private long headSince;
    private long waitingSince;
    private boolean first = true;

    Tracked(Connection connection, long now) {
      this.connection = connection;
      this.waitingSince = now;
    }

    /**
     * Back to waiting for the next request, after an answer. Under the lock the deadline scan
     * holds, so that the scan never mixes the byte count of one wait with that of the next: it
     * would start a head deadline on a connection that is idle, and cut it 10 s later.
     */
    synchronized void idle() {
      bytesWhenIdle = connection.getBytesIn();
      headSince = 0;
      first = false;
      waitingSince = System.nanoTime();
      state.set(WAITING);
    }

    /**
     * One check of the deadline scan: 1 when the head has been arriving for longer than {@code
     * header} (answer 408), 2 when a new connection has sent nothing for that long (close), else 0;
     * a non-zero verdict has moved the connection to CUT.
     */
    synchronized int check(long now, long header) {
      if (state.get() != WAITING) {
        return 0;
      }
      if (headSince == 0 && connection.getBytesIn() > bytesWhenIdle) {
        headSince = now;
      }
      int verdict =
          headSince != 0 && now - headSince >= header
              ? 1
              : headSince == 0 && first && now - waitingSince >= header ? 2 : 0;
      // Claimed here, under the lock: a request that completes its head now loses the race
      // (its handler finds CUT), and one answered meanwhile cannot be mistaken for this wait.
      return verdict != 0 && state.compareAndSet(WAITING, CUT) ? verdict : 0;
    }
  }

  /** HTTP/1.1 connections up to the cap; beyond it, a connection that answers 503. */
  private Connection connection(EndPoint endPoint) {
    int n = active.incrementAndGet();
    if (n > limits.maxConnections() || stopping) {
      active.decrementAndGet();
      return refuse(endPoint);
    }
    // RFC 9110/9112 strictly: no Host or two is 400, VT/FF are not whitespace, trailers are
    // fields.
    Http1Connection c =
        new Http1Connection(HttpTransport.this, endPoint, HttpCompliance.RFC9110, MAX_HEAD_BYTES);
    Tracked t = c.tracked;
    conns.add(t);
    c.addEventListener(
        new Connection.Listener() {
          @Override
          public void onClosed(Connection closed) {
            conns.remove(t);
            active.decrementAndGet();
          }
        });
    return c;
  }

  private Connection refuse(EndPoint endPoint) {
    boolean linger = refusing.incrementAndGet() <= limits.maxConnections();
    Response busy =
        app.error(
            503,
            "server busy: "
                + limits.maxConnections()
                + " connections are open (--max-connections); try again",
            Map.of("Retry-After", "1"));
    Connection c = new Refusal(endPoint, pool, RawAnswer.bytes(busy), linger);
    c.addEventListener(
        new Connection.Listener() {
          @Override
          public void onClosed(Connection closed) {
            refusing.decrementAndGet();
          }
        });
    return c;
  }

  /**
   * Every {@link #SCAN_MILLIS}: a connection between requests whose head has been arriving for
   * longer than the header timeout is answered 408 and closed; a new connection that has sent
   * nothing for that long is closed. Also notices a listening socket that went away.
   */
  private void scan() {
    try {
      long now = System.nanoTime();
      long header = limits.headerTimeout().toNanos();
      for (Tracked t : conns) {
        int verdict = t.check(now, header);
        if (verdict == 1) {
          cutHead(t);
        } else if (verdict == 2) {
          t.connection.getEndPoint().close();
        }
      }
      if (!stopping && (!listener.isOpen() || !selectors.isRunning())) {
        stopping = true;
        onFailure.accept(
            "the HTTP server stopped accepting connections (listening socket "
                + (listener.isOpen() ? "open" : "closed")
                + ", selector "
                + selectors.getState()
                + ")");
      }
    } catch (Throwable e) {
      // A bug here must not end the deadlines of every later connection (a periodic task that
      // throws is never run again).
      System.err.println("ssrl: HTTP deadline check: " + e);
    }
  }

  private void cutHead(Tracked t) {
    Response r =
        app.error(
            408,
            "request head not complete within "
                + limits.headerTimeout().toSeconds()
                + " s (--header-timeout-seconds)",
            Map.of());
    EndPoint ep = t.connection.getEndPoint();
    // No request is being answered on this connection (its head never completed), so this is
    // the only write; a head that completes meanwhile finds the state CUT and is dropped.
    ep.write(
        Callback.from(
            () -> {
              ep.shutdownOutput();
              timers.schedule((Runnable) ep::close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            },
            x -> ep.close()),
        ByteBuffer.wrap(RawAnswer.bytes(r)));
  }

  // ---------------------------------------------------------------------------------------------
  // What the connections ask of the transport

  Executor executor() {
    return pool;
  }

  Application app() {
    return app;
  }

  HttpLimits limits() {
    return limits;
  }

  int maxBodyBytes() {
    return maxBodyBytes;
  }

  boolean stopping() {
    return stopping;
  }

  void requestBegan() {
    inFlight.incrementAndGet();
  }

  void requestEnded() {
    inFlight.decrementAndGet();
  }

  ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return timers.schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Charges {@code bytes} of request body to the budget (negative: gives them back); false, and
   * nothing charged, when they do not fit.
   */
  boolean charge(long bytes) {
    if (bytes <= 0) {
      buffered.addAndGet(bytes);
      return true;
    }
    while (true) {
      long now = buffered.get();
      if (now + bytes > limits.maxBufferedBytes()) {
        return false;
      }
      if (buffered.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /**
   * Scores a complete body on a worker and hands the answer back to the connection on the selector
   * thread; false when every worker and queue slot is taken.
   */
  boolean score(Http1Connection c, BodyHandler h, byte[] body, int length) {
    try {
      workers.execute(
          () -> {
            Response r;
            try {
              r = h.handle(body, length);
            } catch (Throwable e) {
              // Errors too (a StackOverflowError in a verifier): one request's 500, never the
              // end of a worker or of the server.
              r = app.error(500, "scoring failed: " + e, Map.of());
            }
            Response answer = r;
            ManagedSelector sel = selector;
            if (sel != null && !stopping) {
              // Written on the selector thread, as every other answer: the worker goes back to
              // scoring, and the connection reads its next request where its bytes arrive.
              sel.submit(unused -> c.deliver(answer));
            } else {
              c.deliver(answer);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** A connection failed in a way that is a bug of ours: said once per failure, on stderr. */
  void failed(String where, Throwable e) {
    System.err.println("ssrl: HTTP " + where + " failed: " + e);
  }

  /** The {@code Date} field line, made once a second. */
  byte[] dateLine() {
    long second = System.currentTimeMillis() / 1000;
    DateLine d = date;
    if (d.second != second) {
      d = new DateLine(second, RawAnswer.dateLine(second * 1000));
      date = d;
    }
    return d.line;
  }

  private record DateLine(long second, byte[] line) {}

  static String message(int status, String reason) {
    String phrase = HttpStatus.getMessage(status);
    if (reason == null || reason.isBlank() || reason.equals(phrase)) {
      return phrase;
    }
    return phrase + ": " + reason;
  }
}
