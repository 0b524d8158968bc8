package dev.ssrl.cli.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The reward server's HTTP/1.1 transport, on Jetty 12's core {@link Handler} API (no servlets).
 * Jetty parses and frames requests (RFC 9112: Host, Transfer-Encoding, chunk sizes and trailers,
 * pipelining, {@code Expect: 100-continue}, HTTP/1.0); this class adds what the reward server needs
 * on top and Jetty does not offer:
 *
 * <ul>
 *   <li>more than {@link HttpLimits#maxConnections} open connections: 503 with {@code Retry-After}
 *       at once, then close (Jetty's own connection limit stops accepting instead, so that a client
 *       waits in the kernel's backlog with no answer);
 *   <li>a request head not complete within {@link HttpLimits#headerTimeout} of its first byte: 408
 *       and close; a new connection that sends nothing for that long is closed silently (Jetty's
 *       idle timeout is reset by every byte, so a head trickled a byte at a time would never end);
 *   <li>a request body not complete within {@link HttpLimits#requestTimeout} of the request's first
 *       byte: 408 and close; bodies are read without holding a thread;
 *   <li>request bodies held at once over all connections, counted by the bytes actually buffered
 *       (never by a declared length), above {@link HttpLimits#maxBufferedBytes}: 503 with {@code
 *       Retry-After};
 *   <li>only a complete body reaches the scoring pool; a full pool answers 503 at once;
 *   <li>every answer, including Jetty's own for malformed requests, is the application's JSON.
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

  private static final String TRACKED = HttpTransport.class.getName() + ".tracked";
  private static final HttpField JSON_TYPE =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
  private static final HttpField CLOSE = new PreEncodedHttpField(HttpHeader.CONNECTION, "close");

  private final HttpLimits limits;
  private final int maxBodyBytes;
  private final Application app;
  private final Executor workers;
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledThreadPoolExecutor timers;
  private final Set<Tracked> conns = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger refusing = new AtomicInteger();
  private final AtomicLong buffered = new AtomicLong();
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
    // Handlers never block (bodies are read on demand, scoring runs on the workers), so a few
    // threads serve any number of connections.
    QueuedThreadPool pool = new ResumeInlinePool(8, 2);
    pool.setName("ssrl-http");
    pool.setDaemon(true);
    this.server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setSendDateHeader(true);
    config.setRequestHeaderSize(MAX_HEAD_BYTES);
    // No per-connection cache of header fields: looking every field up in it (a case-insensitive
    // trie walked byte by byte, built anew for each connection) took more CPU than parsing the
    // few fields a trainer sends (issue 26's profile; docs/BENCHMARKS.md).
    config.setHeaderCacheSize(0);
    // Response heads in heap buffers: a direct one comes from the pool's bucket that also holds
    // every connection's direct request buffer (the same 8 KiB), and finding a free one there was
    // most of the pool's samples; the answer body is a heap array anyway, copied once by the JDK.
    config.setUseOutputDirectByteBuffers(false);
    // RFC 9110/9112 strictly: no Host or two is 400, VT/FF are not whitespace, trailers are
    // fields; and %2F stays data (UriCompliance.DEFAULT refuses an ambiguous separator).
    config.setHttpCompliance(HttpCompliance.RFC9110);
    config.setUriCompliance(UriCompliance.DEFAULT);
    this.connector = new ServerConnector(server, 1, 1, new CappedFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(128);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(new Serve()));
    server.setErrorHandler(new JsonErrors());
    this.timers = new ScheduledThreadPoolExecutor(1, named("ssrl-http-timer"));
    timers.setRemoveOnCancelPolicy(true);
    try {
      connector.open();
    } catch (IOException e) {
      timers.shutdownNow();
      throw e;
    }
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Called once, with a reason, if the server can no longer accept connections. */
  void onFailure(Consumer<String> listener) {
    this.onFailure = listener;
  }

  /** Starts serving; returns the bound port. */
  int start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP server: " + e, e);
    }
    selector = connector.getSelectorManager().getBean(ManagedSelector.class);
    timers.scheduleWithFixedDelay(this::scan, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
    return connector.getLocalPort();
  }

  /**
   * Stops accepting; requests already being read or scored get up to {@code graceSeconds} to be
   * answered (with {@code Connection: close}), then every connection is closed.
   */
  void stop(int graceSeconds) {
    stopping = true;
    server.setStopTimeout(TimeUnit.SECONDS.toMillis(graceSeconds));
    try {
      server.stop();
    } catch (Exception e) {
      System.err.println("ssrl: stopping the HTTP server: " + e);
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
  public ServerConnector connector() {
    return connector;
  }

  // ---------------------------------------------------------------------------------------------
  // Connections: the cap and the head deadline

  /** Per connection: whether a request is being handled, and when the current head began. */
  private static final class Tracked {
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

  /** Jetty's HTTP/1.1 connections up to the cap; beyond it, a connection that answers 503. */
  private final class CappedFactory extends HttpConnectionFactory {
    CappedFactory(HttpConfiguration config) {
      super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      int n = active.incrementAndGet();
      if (n > limits.maxConnections() || stopping) {
        active.decrementAndGet();
        return refuse(endPoint);
      }
      Connection c = super.newConnection(connector, endPoint);
      Tracked t = new Tracked(c, System.nanoTime());
      ((Attributes) c).setAttribute(TRACKED, t);
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
      Connection c = new Refusal(endPoint, connector.getExecutor(), RawAnswer.bytes(busy), linger);
      c.addEventListener(
          new Connection.Listener() {
            @Override
            public void onClosed(Connection closed) {
              refusing.decrementAndGet();
            }
          });
      return c;
    }
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
      if (!stopping && (!connector.isOpen() || !server.isRunning())) {
        stopping = true;
        onFailure.accept(
            "the HTTP server stopped accepting connections (listening socket "
                + (connector.isOpen() ? "open" : "closed")
                + ", server "
                + server.getState()
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
  // Requests

  /** The handler: routes by head, reads a body on demand, scores it on a worker. */
  private final class Serve extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(
        Request request, org.eclipse.jetty.server.Response response, Callback cb) {
      Tracked t = (Tracked) request.getConnectionMetaData().getAttribute(TRACKED);
      if (t != null && !t.state.compareAndSet(Tracked.WAITING, Tracked.HANDLING)) {
        // Its head completed just as the deadline cut it: the 408 is already on its way.
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        cb.failed(new TimeoutException("request head timed out"));
        return true;
      }
      Exchange x = new Exchange(t, request, response, cb);
      try {
        x.begin();
      } catch (Throwable e) {
        x.answer(app.error(500, "request failed: " + e, Map.of()), true);
      }
      return true;
    }
  }

  /** One request and its answer. */
  private final class Exchange implements Runnable, Invocable {
    private final Tracked tracked;
    private final Request request;
    private final org.eclipse.jetty.server.Response response;
    private final Callback callback;
    private BodyHandler handler;
    private long declared;
    private byte[] body = new byte[0];
    private int length;
    private long charged;
    private boolean finished;
    private ScheduledFuture<?> timer;

    Exchange(
        Tracked tracked,
        Request request,
        org.eclipse.jetty.server.Response response,
        Callback callback) {
      this.tracked = tracked;
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    void begin() {
      HttpFields headers = request.getHeaders();
      // Scoring may take longer than the idle timeout; an idle timeout then means nothing (one
      // while a read or a write is pending still fails that read or write).
      request.addIdleTimeoutListener(timeout -> false);
      boolean http10 = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0;
      if (http10 && headers.contains(HttpHeader.TRANSFER_ENCODING)) {
        // RFC 9112 6.1: faulty framing in HTTP/1.0; the body cannot be found, so close.
        answer(
            app.error(
                400, "Transfer-Encoding in an HTTP/1.0 request; send Content-Length", Map.of()),
            true);
        return;
      }
      if (http10 && headers.contains(HttpHeader.EXPECT)) {
        // RFC 9110 10.1.1: no 100 (Continue) to an HTTP/1.0 client, which sends its body without
        // waiting for one; Jetty would send it on the first read.
        request.addHttpStreamWrapper(NoInterimResponses::new);
      }
      for (String coding : headers.getCSV(HttpHeader.TRANSFER_ENCODING, false)) {
        if (!coding.equalsIgnoreCase("chunked")) {
          // Jetty has checked that chunked comes last (else 400); any other coding is ours to
          // refuse (RFC 9112 6.1: 501 for a transfer coding the server does not understand).
          answer(
              app.error(
                  501,
                  "Transfer-Encoding '"
                      + String.join(", ", headers.getCSV(HttpHeader.TRANSFER_ENCODING, false))
                      + "' is not supported; send the body with Content-Length or chunked",
                  Map.of()),
              true);
          return;
        }
      }
      Route route =
          app.route(
              request.getMethod(),
              request.getHttpURI().getPath(),
              headers.get(HttpHeader.CONTENT_TYPE));
      if (route.answer() != null) {
        answer(route.answer(), false);
        return;
      }
      declared = request.getLength();
      if (declared > maxBodyBytes) {
        answer(
            app.error(413, "request body larger than " + maxBodyBytes + " bytes", Map.of()), true);
        return;
      }
      handler = route.handler();
      run();
    }

    /**
     * Starts the body deadline, once, when the body is not all there at the first read (most bodies
     * arrive with their head and never need one).
     */
    private void startTimer() {
      if (timer == null) {
        long left =
            request.getBeginNanoTime() + limits.requestTimeout().toNanos() - System.nanoTime();
        timer = timers.schedule(this::timeout, Math.max(0, left), TimeUnit.NANOSECONDS);
      }
    }

    /** Reading never blocks, so Jetty may call it on the thread that found the bytes. */
    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    /** Reads what has arrived; asks to be called again when more comes. */
    @Override
    public void run() {
      Response early = null;
      boolean complete = false;
      Throwable failure = null;
      synchronized (this) {
        while (!finished) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            startTimer();
            request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            finished = true;
            Throwable cause = chunk.getFailure();
            if (cause instanceof TimeoutException && !chunk.isLast()) {
              early = readTimeout();
            } else if (cause instanceof HttpException bad) {
              // Jetty's parser found the body malformed; for chunked bodies it reports every
              // fault (chunk size, chunk end, trailer line) as an early end of the body.
              String what =
                  request.getLength() < 0
                      ? "malformed chunked body (a bad chunk size or chunk end, or a trailer"
                          + " line that is not a field)"
                      : "incomplete body";
              early =
                  app.error(
                      bad.getCode(),
                      message(bad.getCode(), what + ": " + bad.getReason()),
                      Map.of());
            } else {
              failure = cause;
            }
            break;
          }
          ByteBuffer b = chunk.getByteBuffer();
          int n = b.remaining();
          if (n > 0) {
            if ((long) length + n > maxBodyBytes) {
              chunk.release();
              finished = true;
              early =
                  app.error(413, "request body larger than " + maxBodyBytes + " bytes", Map.of());
              break;
            }
            if (!room(length + n)) {
              chunk.release();
              finished = true;
              early =
                  app.error(
                      503,
                      "server busy: request bodies in progress hold "
                          + buffered.get()
                          + " of "
                          + limits.maxBufferedBytes()
                          + " bytes; try again",
                      Map.of("Retry-After", "1"));
              break;
            }
            b.get(body, length, n);
            length += n;
          }
          boolean last = chunk.isLast();
          chunk.release();
          if (last) {
            finished = true;
            complete = true;
          }
        }
      }
      if (timer != null) {
        timer.cancel(false);
      }
      if (complete) {
        dispatch();
      } else if (early != null) {
        release();
        answer(early, true);
      } else if (failure != null) {
        release();
        finish(failure);
      }
    }

    /**
     * Makes room for {@code need} body bytes, charging the budget by what is allocated: the array
     * grows with what arrives (at most doubling, never beyond a declared length), so a declared
     * length that never comes costs nothing.
     */
    private boolean room(int need) {
      if (need <= body.length) {
        return true;
      }
      long bound = declared >= 0 ? declared : maxBodyBytes;
      int cap = (int) Math.max(need, Math.min(bound, 2L * body.length));
      long add = cap - body.length;
      while (true) {
        long now = buffered.get();
        if (now + add > limits.maxBufferedBytes()) {
          return false;
        }
        if (buffered.compareAndSet(now, now + add)) {
          break;
        }
      }
      charged += add;
      body = Arrays.copyOf(body, cap);
      return true;
    }

    private void release() {
      synchronized (this) {
        buffered.addAndGet(-charged);
        charged = 0;
      }
    }

    private Response readTimeout() {
      return app.error(
          408,
          "request not complete within "
              + limits.requestTimeout().toSeconds()
              + " s (--read-timeout-seconds): "
              + length
              + " body bytes arrived",
          Map.of());
    }

    private void timeout() {
      Response r;
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
        r = readTimeout();
      }
      release();
      answer(r, true);
    }

    private void dispatch() {
      byte[] bytes = body;
      int n = length;
      BodyHandler h = handler;
      try {
        workers.execute(
            () -> {
              Response r;
              try {
                r = h.handle(bytes, n);
              } catch (Throwable e) {
                // Errors too (a StackOverflowError in a verifier): one request's 500, never the
                // end of a worker or of the server.
                r = app.error(500, "scoring failed: " + e, Map.of());
              }
              release();
              Response answer = r;
              ManagedSelector sel = selector;
              if (sel != null && !stopping) {
                sel.submit(unused -> answerResuming(answer));
              } else {
                answerResuming(answer);
              }
            });
      } catch (RejectedExecutionException e) {
        release();
        answer(
            app.error(
                503,
                "server busy: all scoring threads and queue slots are taken",
                Map.of("Retry-After", "1")),
            false);
      }
    }

    /** Writes a scoring answer; the connection then resumes on this thread. */
    private void answerResuming(Response r) {
      ResumeInlinePool.resumingHere(() -> answer(r, false));
    }

    /** Writes the answer; {@code close} ends the connection after it. */
    void answer(Response r, boolean close) {
      try {
        response.setStatus(r.status());
        HttpFields.Mutable h = response.getHeaders();
        h.put(JSON_TYPE);
        h.put(HttpHeader.CONTENT_LENGTH, Integer.toString(r.body().length));
        for (Map.Entry<String, String> e : r.headers().entrySet()) {
          h.put(e.getKey(), e.getValue());
        }
        if (close || stopping) {
          h.put(CLOSE);
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        response.write(
            true,
            ByteBuffer.wrap(r.body()),
            Callback.from(
                () -> {
                  if (close) {
                    // The answer is out: send FIN now. Completing with a read still pending (a
                    // body cut by the deadline) makes Jetty abort the connection, and an abort
                    // must not overtake the answer.
                    endPoint.shutdownOutput();
                    if (r.status() == 413) {
                      linger();
                      return;
                    }
                  }
                  finish(null);
                },
                this::finish));
      } catch (Throwable e) {
        finish(e);
      }
    }

    /**
     * After a 413, which ends the connection before its body was read: reads and drops what the
     * client still sends until its body ends or {@link #LINGER_MILLIS} pass, and only then lets
     * Jetty close. (A 408 closes at once: its client is the slow one, and holding its connection
     * would hand the connection cap to a slow attack.) Closing with the client's bytes unread makes
     * the kernel reset the connection, and a reset discards the answer the client has not read yet:
     * a client still writing its body (Java's HttpClient on a 413) then sees an empty connection
     * instead of the answer (RFC 9112 9.6, "tear-down").
     */
    private void linger() {
      AtomicBoolean ended = new AtomicBoolean();
      Runnable end =
          () -> {
            if (ended.compareAndSet(false, true)) {
              finish(null);
            }
          };
      timers.schedule(end, LINGER_MILLIS, TimeUnit.MILLISECONDS);
      drain(ended, end);
    }

    private void drain(AtomicBoolean ended, Runnable end) {
      while (!ended.get()) {
        Content.Chunk c = request.read();
        if (c == null) {
          request.demand(() -> drain(ended, end));
          return;
        }
        boolean last = c.isLast() || Content.Chunk.isFailure(c);
        c.release();
        if (last) {
          end.run();
          return;
        }
      }
    }

    private void finish(Throwable failure) {
      if (tracked != null) {
        tracked.idle();
      }
      if (failure == null) {
        callback.succeeded();
      } else {
        callback.failed(failure);
      }
    }
  }

  /** Jetty's own answers (a malformed request, a head too large) as the application's JSON. */
  private final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(
        Request request, org.eclipse.jetty.server.Response response, Callback callback) {
      Object s = request.getAttribute(ERROR_STATUS);
      int status = s instanceof Integer i ? i : response.getStatus();
      Object m = request.getAttribute(ERROR_MESSAGE);
      Response r = app.error(status, message(status, m == null ? null : m.toString()), Map.of());
      response.setStatus(status);
      response.getHeaders().put(JSON_TYPE);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(r.body().length));
      response.write(true, ByteBuffer.wrap(r.body()), callback);
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      Response r = app.error(status, message(status, reason), Map.of());
      fields.put(JSON_TYPE);
      return ByteBuffer.wrap(r.body());
    }
  }

  private static String message(int status, String reason) {
    String phrase = HttpStatus.getMessage(status);
    if (reason == null || reason.isBlank() || reason.equals(phrase)) {
      return phrase;
    }
    return phrase + ": " + reason;
  }
}
