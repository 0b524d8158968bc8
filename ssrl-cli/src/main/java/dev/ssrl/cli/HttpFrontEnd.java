package dev.ssrl.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The reward server's HTTP/1.1 transport. One selector thread accepts connections and reads every
 * request head and body against deadlines; only a complete request reaches a worker, so a client
 * that trickles bytes holds a connection slot and its buffered bytes, never a thread.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it reads request heads on its executor's
 * threads (a few slow clients stall everyone) and its timeouts are JVM-wide system properties read
 * once. What this class does instead, with the answer each case gets:
 *
 * <ul>
 *   <li>more than {@link Limits#maxConnections} open connections: 503 with {@code Retry-After} at
 *       once, then close;
 *   <li>a request head not complete within {@link Limits#headerTimeout} of its first byte (or of
 *       the connection): 408 and close (a connection that sent nothing is closed silently);
 *   <li>a request (head and body) not complete within {@link Limits#requestTimeout}: 408 and close;
 *   <li>a keep-alive connection idle for {@link Limits#idleTimeout}: closed;
 *   <li>a response the client does not read within {@link Limits#requestTimeout}: closed;
 *   <li>bodies being read or waiting for a worker above {@link Limits#maxBufferedBytes} in total:
 *       503 with {@code Retry-After}, so memory is bounded whatever the clients do;
 *   <li>a head over 32 KiB or 200 fields: 431; a malformed head or framing (both {@code
 *       Content-Length} and {@code Transfer-Encoding}, bad chunk sizes): 400 and close.
 * </ul>
 *
 * Keep-alive, pipelining, chunked bodies and {@code Expect: 100-continue} work as clients expect.
 */
final class HttpFrontEnd {
  /**
   * The limits of the transport.
   *
   * @param maxConnections open connections served at once; one more is answered 503
   * @param headerTimeout time from a request's first byte (or the connection) to its blank line
   * @param requestTimeout time from a request's first byte to its last; also the write deadline
   * @param idleTimeout time a keep-alive connection may wait for its next request
   * @param maxBufferedBytes request body bytes held at once, over all connections and the queue
   */
  record Limits(
      int maxConnections,
      Duration headerTimeout,
      Duration requestTimeout,
      Duration idleTimeout,
      long maxBufferedBytes) {
    static final int DEFAULT_MAX_CONNECTIONS = 256;
    static final int DEFAULT_HEADER_SECONDS = 10;
    static final int DEFAULT_REQUEST_SECONDS = 120;
    static final int DEFAULT_IDLE_SECONDS = 30;

    Limits {
      if (maxConnections < 1 || maxBufferedBytes < 1) {
        throw new UsageError("--max-connections must be >= 1");
      }
      for (Duration d : List.of(headerTimeout, requestTimeout, idleTimeout)) {
        if (d.isNegative() || d.isZero()) {
          throw new UsageError("timeouts must be positive, got " + d);
        }
      }
    }

    /**
     * The defaults of {@code ssrl serve}; bodies may take a quarter of the heap, at most 256 MiB,
     * but always one body of the largest size.
     */
    static Limits defaults(int maxBodyBytes) {
      return new Limits(
          DEFAULT_MAX_CONNECTIONS,
          Duration.ofSeconds(DEFAULT_HEADER_SECONDS),
          Duration.ofSeconds(DEFAULT_REQUEST_SECONDS),
          Duration.ofSeconds(DEFAULT_IDLE_SECONDS),
          bodyBudget(maxBodyBytes));
    }

    static long bodyBudget(int maxBodyBytes) {
      return Math.max(maxBodyBytes, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
    }
  }

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

  private static final int MAX_HEAD_BYTES = 32 * 1024;
  private static final int MAX_FIELDS = 200;
  private static final int MAX_LINE = 4096;

  /** A body this small after an early answer is read and dropped to keep the connection. */
  private static final int DRAIN_LIMIT = 64 * 1024;

  private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

  private enum State {
    HEAD,
    BODY,
    DISCARD,
    BUSY,
    WRITE,
    LINGER
  }

  private final Limits limits;
  private final int maxBodyBytes;
  private final Application app;
  private final Executor workers;
  private final boolean nodelay;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread loop;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Set<Conn> conns = new HashSet<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private final byte[] readArray = new byte[64 * 1024];
  // Loop-thread state.
  private int active;
  private int lingering;
  private long buffered;
  // A copy of buffered for tests on other threads (written by the selector thread only).
  private volatile long bufferedSeen;
  private boolean stopping;
  private long stopDeadline;
  private long nextScan;
  private long acceptPausedUntil;
  private long dateSecond = -1;
  private String date;

  HttpFrontEnd(
      String host,
      int port,
      Limits limits,
      int maxBodyBytes,
      boolean nodelay,
      Application app,
      Executor workers)
      throws IOException {
    this.limits = limits;
    this.maxBodyBytes = maxBodyBytes;
    this.app = app;
    this.workers = workers;
    this.nodelay = nodelay;
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(host, port), 128);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.loop = new Thread(this::run, "ssrl-http");
    loop.setDaemon(true);
  }

  /** Starts serving; returns the bound port. */
  int start() {
    loop.start();
    return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
  }

  /**
   * Stops accepting and closes idle connections at once; requests already arriving or being scored
   * get up to {@code graceSeconds} to be answered (with {@code Connection: close}), then every
   * connection is closed. Returns when the transport thread has ended.
   */
  void stop(int graceSeconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    if (!loop.isAlive()) {
      closeQuietly();
      return;
    }
    post(
        () -> {
          stopping = true;
          stopDeadline = deadline;
        });
    try {
      finished.await(graceSeconds + 5L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void post(Runnable r) {
    tasks.add(r);
    selector.wakeup();
  }

  // ---------------------------------------------------------------------------------------------
  // The loop

  private void run() {
    try {
      while (true) {
        long now = System.nanoTime();
        if (stopping && stopStep(now)) {
          break;
        }
        selector.select(250);
        for (Runnable r; (r = tasks.poll()) != null; ) {
          try {
            r.run();
          } catch (RuntimeException e) {
            // A bug in answering one request must not end the transport for everyone.
            System.err.println("ssrl: HTTP transport: " + e);
          }
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
            continue;
          }
          Conn c = (Conn) key.attachment();
          try {
            if (key.isWritable()) {
              writeSome(c);
            }
            if (key.isValid() && key.isReadable()) {
              readSome(c);
            }
          } catch (IOException | RuntimeException e) {
            // A reset or a broken pipe ends that connection only.
            close(c);
          }
        }
        selector.selectedKeys().clear();
        now = System.nanoTime();
        if (now - nextScan >= 0) {
          nextScan = now + SCAN_NANOS;
          expire(now);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("ssrl: HTTP transport failed: " + e);
    } finally {
      closeQuietly();
      finished.countDown();
    }
  }

  /** One step of stopping; true when the loop may end. */
  private boolean stopStep(long now) {
    if (server.isOpen()) {
      try {
        server.close();
      } catch (IOException ignored) {
        // Closing the listening socket cannot fail in a way that matters here.
      }
    }
    for (Conn c : new ArrayList<>(conns)) {
      if ((c.state == State.HEAD && !c.sawBytes) || c.state == State.LINGER) {
        close(c);
      }
    }
    return conns.isEmpty() || now - stopDeadline >= 0;
  }

  private void closeQuietly() {
    for (Conn c : new ArrayList<>(conns)) {
      close(c);
    }
    try {
      server.close();
      selector.close();
    } catch (IOException ignored) {
      // Shutting down.
    }
  }

  private void accept() {
    while (true) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        // Out of file descriptors, most likely: the listening socket stays ready, so pause
        // accepting for a moment instead of spinning; connections already open go on.
        pauseAccepting(System.nanoTime());
        return;
      }
      if (ch == null) {
        return;
      }
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
        Conn c = new Conn(ch);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        conns.add(c);
        long now = System.nanoTime();
        if (active >= limits.maxConnections()) {
          // Answered before its request is read: the client learns at once instead of waiting
          // in the backlog, and the slot count stays bounded.
          c.keepAlive = false;
          c.linger = true;
          respond(
              c,
              app.error(
                  503,
                  "server busy: "
                      + limits.maxConnections()
                      + " connections are open (--max-connections); try again",
                  Map.of("Retry-After", "1")),
              now);
          continue;
        }
        active++;
        c.counted = true;
        c.beginRequest(now, false);
      } catch (IOException e) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // Never registered.
        }
      }
    }
  }

  private void pauseAccepting(long now) {
    SelectionKey k = server.keyFor(selector);
    if (k != null && k.isValid()) {
      k.interestOps(0);
      acceptPausedUntil = now + SCAN_NANOS * 2;
    }
  }

  /** Deadlines: each connection has one for what it is waiting for. */
  private void expire(long now) {
    if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0 && server.isOpen()) {
      acceptPausedUntil = 0;
      server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
    }
    for (Conn c : new ArrayList<>(conns)) {
      if (now - c.deadline < 0) {
        continue;
      }
      switch (c.state) {
        case HEAD -> {
          if (!c.sawBytes) {
            close(c);
          } else {
            timeout(
                c,
                now,
                "request head not complete within "
                    + limits.headerTimeout().toSeconds()
                    + " s (--header-timeout-seconds)");
          }
        }
        case BODY ->
            timeout(
                c,
                now,
                "request not complete within "
                    + limits.requestTimeout().toSeconds()
                    + " s (--read-timeout-seconds): "
                    + c.received()
                    + " body bytes arrived");
        case DISCARD, WRITE, LINGER -> close(c);
        case BUSY -> {
          // A worker owns the request; the scoring itself is bounded by the body and item limits.
        }
      }
    }
  }

  private void timeout(Conn c, long now, String message) {
    c.keepAlive = false;
    c.linger = true;
    release(c);
    respond(c, app.error(408, message, Map.of()), now);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  private void readSome(Conn c) throws IOException {
    int n;
    if (c.state == State.BODY && !c.chunked && c.inLen == 0) {
      // The common case: straight into the body array, no copy.
      n = c.ch.read(ByteBuffer.wrap(c.body, c.bodyLen, (int) c.remaining));
      if (n > 0) {
        c.bodyLen += n;
        c.remaining -= n;
      }
    } else {
      readBuffer.clear();
      n = c.ch.read(readBuffer);
      if (n > 0) {
        readBuffer.flip();
        readBuffer.get(readArray, 0, n);
        if (c.state == State.LINGER) {
          return;
        }
        c.append(readArray, n);
      }
    }
    if (n < 0) {
      close(c);
      return;
    }
    if (n == 0) {
      return;
    }
    long now = System.nanoTime();
    if (c.state == State.HEAD && !c.sawBytes) {
      c.sawBytes = true;
      c.requestStart = now;
      c.deadline = now + limits.headerTimeout().toNanos();
    }
    advance(c, now);
  }

  /** Consumes what has arrived as far as the current state allows. */
  private void advance(Conn c, long now) {
    while (c.key.isValid()) {
      boolean more =
          switch (c.state) {
            case HEAD -> head(c, now);
            case BODY -> c.chunked ? chunks(c, now) : fixedBody(c, now);
            case DISCARD -> discard(c, now);
            default -> false;
          };
      if (!more) {
        return;
      }
    }
  }

  private boolean discard(Conn c, long now) {
    int k = (int) Math.min(c.remaining, c.inLen);
    c.consume(k);
    c.remaining -= k;
    if (c.remaining > 0) {
      return false;
    }
    c.beginRequest(now, true);
    return c.inLen > 0;
  }

  private boolean fixedBody(Conn c, long now) {
    int k = (int) Math.min(c.remaining, c.inLen);
    System.arraycopy(c.in, 0, c.body, c.bodyLen, k);
    c.bodyLen += k;
    c.remaining -= k;
    c.consume(k);
    if (c.remaining > 0) {
      return false;
    }
    dispatch(c, now);
    return false;
  }

  /** Chunked transfer coding: size line, data, CRLF, ..., a zero size, trailer fields, CRLF. */
  private boolean chunks(Conn c, long now) {
    while (true) {
      switch (c.chunkPart) {
        case 0 -> {
          int eol = c.lineEnd(MAX_LINE);
          if (eol == -2) {
            return fail(c, now, 400, "chunk size line longer than " + MAX_LINE + " bytes");
          }
          if (eol < 0) {
            return false;
          }
          String line = c.line(eol);
          int semi = line.indexOf(';');
          String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
          if (hex.isEmpty()
              || hex.length() > 15
              || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128)) {
            return fail(c, now, 400, "bad chunk size '" + shorten(line) + "'");
          }
          long size = Long.parseLong(hex, 16);
          if (size == 0) {
            c.chunkPart = 3;
            continue;
          }
          if (c.bodyLen + size > maxBodyBytes) {
            return fail(c, now, 413, "request body larger than " + maxBodyBytes + " bytes");
          }
          if (!c.ensureBody(c.bodyLen + (int) size)) {
            return busyBuffers(c, now);
          }
          c.remaining = size;
          c.chunkPart = 1;
        }
        case 1 -> {
          int k = (int) Math.min(c.remaining, c.inLen);
          System.arraycopy(c.in, 0, c.body, c.bodyLen, k);
          c.bodyLen += k;
          c.remaining -= k;
          c.consume(k);
          if (c.remaining > 0) {
            return false;
          }
          c.chunkPart = 2;
        }
        case 2 -> {
          if (c.inLen == 0 || (c.in[0] == '\r' && c.inLen < 2)) {
            return false;
          }
          int n = c.in[0] == '\n' ? 1 : c.in[0] == '\r' && c.in[1] == '\n' ? 2 : 0;
          if (n == 0) {
            return fail(c, now, 400, "chunk data not followed by CRLF");
          }
          c.consume(n);
          c.chunkPart = 0;
        }
        default -> {
          // Trailer fields are read and dropped; the blank line ends the body.
          int eol = c.lineEnd(MAX_LINE);
          if (eol == -2 || c.trailers > MAX_FIELDS) {
            return fail(c, now, 431, "chunked trailer too large");
          }
          if (eol < 0) {
            return false;
          }
          boolean blank = c.line(eol).isEmpty();
          if (!blank) {
            c.trailers++;
            continue;
          }
          dispatch(c, now);
          return false;
        }
      }
    }
  }

  /** Parses a request head once its blank line has arrived. */
  private boolean head(Conn c, long now) {
    // Blank lines before a request line are allowed (RFC 9112 2.2), e.g. a CRLF after a body.
    int skip = 0;
    while (skip < c.inLen && (c.in[skip] == '\r' || c.in[skip] == '\n')) {
      skip++;
    }
    if (skip > 0) {
      c.consume(skip);
      c.scanFrom = 0;
    }
    if (c.inLen == 0) {
      return false;
    }
    int end = c.headEnd();
    if (end < 0) {
      if (c.inLen > MAX_HEAD_BYTES) {
        return fail(c, now, 431, "request head larger than " + MAX_HEAD_BYTES + " bytes");
      }
      return false;
    }
    if (end > MAX_HEAD_BYTES) {
      return fail(c, now, 431, "request head larger than " + MAX_HEAD_BYTES + " bytes");
    }
    String text = new String(c.in, 0, end, StandardCharsets.ISO_8859_1);
    c.consume(end);
    c.scanFrom = 0;
    String[] lines = text.split("\n", -1);
    String requestLine = stripCr(lines[0]);
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
      return fail(c, now, 400, "malformed request line '" + shorten(requestLine) + "'");
    }
    String version = parts[2];
    boolean http10 = version.equals("HTTP/1.0");
    if (!http10 && !version.equals("HTTP/1.1")) {
      return version.startsWith("HTTP/")
          ? fail(
              c, now, 505, "HTTP version " + shorten(version) + " is not supported; use HTTP/1.1")
          : fail(c, now, 400, "malformed request line '" + shorten(requestLine) + "'");
    }
    String method = parts[0];
    String path;
    try {
      path = parts[1].equals("*") ? "*" : new URI(parts[1]).getPath();
    } catch (URISyntaxException e) {
      path = null;
    }
    if (path == null) {
      return fail(c, now, 400, "bad request target '" + shorten(parts[1]) + "'");
    }
    String contentLength = null;
    String transferEncoding = null;
    String contentType = null;
    StringBuilder connection = new StringBuilder();
    boolean expectContinue = false;
    int fields = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = stripCr(lines[i]);
      if (line.isEmpty()) {
        continue;
      }
      if (++fields > MAX_FIELDS) {
        return fail(c, now, 431, "more than " + MAX_FIELDS + " header fields");
      }
      int colon = line.indexOf(':');
      if (colon <= 0
          || line.charAt(0) == ' '
          || line.charAt(0) == '\t'
          || !isToken(line.substring(0, colon))) {
        return fail(c, now, 400, "malformed header field '" + shorten(line) + "'");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> {
          if (contentLength != null && !contentLength.equals(value)) {
            return fail(c, now, 400, "conflicting Content-Length fields");
          }
          contentLength = value;
        }
        case "transfer-encoding" ->
            transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
        case "content-type" -> {
          if (contentType != null && !contentType.equals(value)) {
            return fail(c, now, 400, "conflicting Content-Type fields");
          }
          contentType = value;
        }
        case "connection" -> connection.append(',').append(value.toLowerCase(Locale.ROOT));
        case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
        default -> {
          // Other fields do not change how the request is read or answered.
        }
      }
    }
    c.http10 = http10;
    c.headOnly = method.equals("HEAD");
    boolean close = hasToken(connection, "close");
    c.keepAlive = http10 ? hasToken(connection, "keep-alive") && !close : !close;
    long length = 0;
    boolean chunked = false;
    if (transferEncoding != null) {
      if (contentLength != null) {
        return fail(c, now, 400, "both Content-Length and Transfer-Encoding; send one");
      }
      if (!transferEncoding.equalsIgnoreCase("chunked")) {
        return fail(
            c,
            now,
            501,
            "Transfer-Encoding '"
                + shorten(transferEncoding)
                + "' is not supported; send the body with Content-Length or chunked");
      }
      chunked = true;
    } else if (contentLength != null) {
      if (contentLength.isEmpty()
          || contentLength.length() > 18
          || !contentLength.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        return fail(c, now, 400, "bad Content-Length: " + shorten(contentLength));
      }
      length = Long.parseLong(contentLength);
    }
    Route route;
    try {
      route = app.route(method, path, contentType);
    } catch (RuntimeException e) {
      route = Route.answer(app.error(500, "routing failed: " + e, Map.of()));
    }
    if (route.answer() != null) {
      return early(c, now, route.answer(), length, chunked, expectContinue);
    }
    if (length > maxBodyBytes) {
      return early(
          c,
          now,
          app.error(413, "request body larger than " + maxBodyBytes + " bytes", Map.of()),
          length,
          chunked,
          expectContinue);
    }
    c.handler = route.handler();
    c.chunked = chunked;
    c.chunkPart = 0;
    c.trailers = 0;
    c.bodyLen = 0;
    c.remaining = length;
    if (!c.ensureBody(chunked ? 0 : (int) length)) {
      return busyBuffers(c, now);
    }
    if (expectContinue && (chunked || length > 0)) {
      // A client waiting for 100 sends its body only after it; it is 25 bytes, one write.
      try {
        if (c.ch.write(ByteBuffer.wrap(CONTINUE)) != CONTINUE.length) {
          close(c);
          return false;
        }
      } catch (IOException e) {
        close(c);
        return false;
      }
    }
    c.state = State.BODY;
    c.deadline = c.requestStart + limits.requestTimeout().toNanos();
    if (!chunked && length == 0) {
      dispatch(c, now);
      return false;
    }
    return true;
  }

  /**
   * An answer given before the body is read. A small declared body is then read and dropped so the
   * connection stays usable; anything else closes the connection after the answer.
   */
  private boolean early(
      Conn c, long now, Response r, long length, boolean chunked, boolean expectContinue) {
    boolean drain = !chunked && length <= DRAIN_LIMIT && !(expectContinue && length > 0);
    if (!drain) {
      c.keepAlive = false;
    }
    // Whenever the connection closes after this answer, unread body bytes may still come.
    c.linger = !c.keepAlive;
    c.remaining = drain ? length : 0;
    c.discardAfter = drain && length > 0;
    respond(c, r, now);
    return false;
  }

  /** A request that cannot be framed: answer and close. */
  private boolean fail(Conn c, long now, int status, String message) {
    c.keepAlive = false;
    c.linger = true;
    release(c);
    respond(c, app.error(status, message, Map.of()), now);
    return false;
  }

  private boolean busyBuffers(Conn c, long now) {
    c.keepAlive = false;
    c.linger = true;
    release(c);
    respond(
        c,
        app.error(
            503,
            "server busy: request bodies in progress hold "
                + buffered
                + " of "
                + limits.maxBufferedBytes()
                + " bytes; try again",
            Map.of("Retry-After", "1")),
        now);
    return false;
  }

  private void dispatch(Conn c, long now) {
    c.state = State.BUSY;
    c.deadline = Long.MAX_VALUE;
    c.key.interestOps(0);
    BodyHandler h = c.handler;
    byte[] body = c.body;
    int len = c.bodyLen;
    try {
      workers.execute(
          () -> {
            Response r;
            try {
              r = h.handle(body, len);
            } catch (RuntimeException | Error e) {
              r = app.error(500, "scoring failed: " + e, Map.of());
            }
            Response answer = r;
            post(() -> finish(c, answer));
          });
    } catch (RejectedExecutionException e) {
      release(c);
      respond(
          c,
          app.error(
              503,
              "server busy: all scoring threads and queue slots are taken",
              Map.of("Retry-After", "1")),
          now);
    }
  }

  /** Body bytes reserved over all connections, as last set by the selector thread (for tests). */
  long bufferedBytes() {
    return bufferedSeen;
  }

  private void finish(Conn c, Response r) {
    release(c);
    if (!c.key.isValid()) {
      return;
    }
    respond(c, r, System.nanoTime());
  }

  private void release(Conn c) {
    buffered -= c.reserved;
    bufferedSeen = buffered;
    c.reserved = 0;
    c.body = null;
    c.handler = null;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private void respond(Conn c, Response r, long now) {
    boolean keep = c.keepAlive && !stopping;
    c.keepAlive = keep;
    StringBuilder h = new StringBuilder(160);
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    h.append("Date: ").append(date()).append("\r\n");
    h.append("Content-Type: application/json; charset=utf-8\r\n");
    h.append("Content-Length: ").append(r.body().length).append("\r\n");
    for (Map.Entry<String, String> e : r.headers().entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    if (!keep) {
      h.append("Connection: close\r\n");
    } else if (c.http10) {
      h.append("Connection: keep-alive\r\n");
    }
    h.append("\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    int bodyLen = c.headOnly ? 0 : r.body().length;
    byte[] all = Arrays.copyOf(head, head.length + bodyLen);
    System.arraycopy(r.body(), 0, all, head.length, bodyLen);
    c.out = ByteBuffer.wrap(all);
    c.state = State.WRITE;
    c.deadline = now + (c.counted ? limits.requestTimeout().toNanos() : LINGER_NANOS);
    try {
      writeSome(c);
    } catch (IOException e) {
      close(c);
    }
  }

  private void writeSome(Conn c) throws IOException {
    c.ch.write(c.out);
    if (c.out.hasRemaining()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
      return;
    }
    c.out = null;
    long now = System.nanoTime();
    if (!c.keepAlive) {
      if (c.linger) {
        linger(c, now);
      } else {
        close(c);
      }
      return;
    }
    c.key.interestOps(SelectionKey.OP_READ);
    if (c.discardAfter) {
      c.discardAfter = false;
      c.state = State.DISCARD;
      c.deadline = c.requestStart + limits.requestTimeout().toNanos();
    } else {
      c.beginRequest(now, true);
    }
    advance(c, now);
  }

  /**
   * After a final answer to a request whose bytes may still be arriving: send FIN, read and drop
   * until the client closes or two seconds pass. Closing at once with unread bytes would send a
   * reset, and the client could lose the answer.
   */
  private void linger(Conn c, long now) {
    uncount(c);
    if (lingering >= limits.maxConnections()) {
      close(c);
      return;
    }
    try {
      c.ch.shutdownOutput();
    } catch (IOException e) {
      close(c);
      return;
    }
    lingering++;
    c.state = State.LINGER;
    c.in = new byte[0];
    c.inLen = 0;
    c.deadline = now + LINGER_NANOS;
    c.key.interestOps(SelectionKey.OP_READ);
  }

  private void uncount(Conn c) {
    if (c.counted) {
      c.counted = false;
      active--;
    }
  }

  private void close(Conn c) {
    if (!conns.remove(c)) {
      return;
    }
    uncount(c);
    if (c.state == State.LINGER) {
      lingering--;
    }
    if (c.state != State.BUSY) {
      release(c);
    }
    c.key.cancel();
    try {
      c.ch.close();
    } catch (IOException ignored) {
      // Already gone.
    }
  }

  private String date() {
    long s = System.currentTimeMillis() / 1000;
    if (s != dateSecond) {
      dateSecond = s;
      date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
    return date;
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static boolean hasToken(CharSequence list, String token) {
    for (String t : list.toString().split(",")) {
      if (t.trim().equals(token)) {
        return true;
      }
    }
    return false;
  }

  /** RFC 9110 token characters (method and field names). */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** One client connection and the request it is on. */
  private final class Conn {
    final SocketChannel ch;
    SelectionKey key;
    State state = State.HEAD;
    long deadline;
    boolean counted;
    boolean linger;
    // Bytes received and not yet consumed (a head, chunk framing, a pipelined request).
    byte[] in = new byte[1024];
    int inLen;
    int scanFrom;
    // The current request.
    boolean sawBytes;
    long requestStart;
    boolean keepAlive;
    boolean http10;
    boolean headOnly;
    boolean discardAfter;
    BodyHandler handler;
    boolean chunked;
    int chunkPart;
    int trailers;
    byte[] body;
    int bodyLen;
    long reserved;
    long remaining;
    ByteBuffer out;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    /** Waits for the next request: the header deadline if bytes are here, else the idle one. */
    void beginRequest(long now, boolean keptAlive) {
      state = State.HEAD;
      scanFrom = 0;
      handler = null;
      headOnly = false;
      sawBytes = inLen > 0;
      requestStart = now;
      deadline =
          now
              + (keptAlive && !sawBytes
                  ? limits.idleTimeout().toNanos()
                  : limits.headerTimeout().toNanos());
    }

    long received() {
      return bodyLen;
    }

    void append(byte[] b, int n) {
      if (inLen + n > in.length) {
        in = Arrays.copyOf(in, Math.max(in.length * 2, inLen + n));
      }
      System.arraycopy(b, 0, in, inLen, n);
      inLen += n;
    }

    void consume(int n) {
      System.arraycopy(in, n, in, 0, inLen - n);
      inLen -= n;
      if (in.length > 64 * 1024 && inLen < 1024) {
        in = Arrays.copyOf(in, 1024);
      }
    }

    /** Index after the blank line ending the head, or -1 while it has not arrived. */
    int headEnd() {
      for (int i = Math.max(scanFrom, 1); i < inLen; i++) {
        if (in[i] == '\n'
            && (in[i - 1] == '\n' || (in[i - 1] == '\r' && i >= 2 && in[i - 2] == '\n'))) {
          return i + 1;
        }
      }
      scanFrom = Math.max(0, inLen - 2);
      return -1;
    }

    /** Index of the first LF, -1 while none has arrived, -2 if none within {@code max} bytes. */
    int lineEnd(int max) {
      for (int i = 0; i < inLen; i++) {
        if (in[i] == '\n') {
          return i;
        }
        if (i >= max) {
          return -2;
        }
      }
      return inLen > max ? -2 : -1;
    }

    /** The line ending at {@code eol} (without CR LF), consumed. */
    String line(int eol) {
      int end = eol > 0 && in[eol - 1] == '\r' ? eol - 1 : eol;
      String s = new String(in, 0, end, StandardCharsets.ISO_8859_1);
      consume(eol + 1);
      return s;
    }

    /** Makes room for {@code size} body bytes within the buffer budget; false if over it. */
    boolean ensureBody(int size) {
      int have = body == null ? 0 : body.length;
      if (body != null && size <= have) {
        return true;
      }
      int want = chunked ? Math.min(maxBodyBytes, Math.max(size, Math.max(8192, have * 2))) : size;
      if (buffered - reserved + want > limits.maxBufferedBytes()) {
        return false;
      }
      buffered += want - reserved;
      bufferedSeen = buffered;
      reserved = want;
      body = body == null ? new byte[want] : Arrays.copyOf(body, want);
      return true;
    }
  }
}
