package dev.ssrl.cli.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.ComplianceViolation;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP/1.1 connection of the reward server: Jetty's {@link HttpParser} reads the requests
 * (request line, fields, Host, Content-Length and Transfer-Encoding, chunks and trailers, all RFC
 * 9110/9112 checks), Jetty's endpoint does the socket I/O on its selector thread, and this class
 * holds only what the reward server decides: one request at a time, in order, the answer, and
 * whether the connection goes on.
 *
 * <p>Why not Jetty's own {@code HttpConnection} and handler API (issue 26's first Jetty build): its
 * request machinery (channel state, request and response objects, handler chain, callbacks) cost
 * 1.5–2 times the old front end's CPU per answer under the 200-client load, and the issue asks for
 * load figures at least as good as before; docs/BENCHMARKS.md has the measurements.
 *
 * <p>Every step runs in {@link #run}, one thread at a time: the selector thread when bytes arrive,
 * the thread that finished a write, a deadline timer. A thread that finds the loop taken leaves a
 * note ({@code again}) and the running loop goes round once more, so a long pipeline of requests
 * answered at once is a loop, never a recursion (the old front end's stack overflow).
 */
final class Http1Connection extends AbstractConnection.NonBlocking
    implements HttpParser.RequestHandler {
  private static final int BUFFER_BYTES = 16 * 1024;
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final HttpTransport transport;
  private final HttpParser parser;
  private final ByteBuffer in = BufferUtil.allocate(BUFFER_BYTES);
  private final Written written = new Written();
  private volatile long bytesIn;
  final HttpTransport.Tracked tracked;

  // The loop: who runs it, and what it waits for.
  private boolean looping;
  private boolean again;
  private boolean closed;
  private boolean writing;
  private boolean writeDone;
  private boolean interim;
  private boolean closeAfterWrite;
  private boolean lingerAfterWrite;
  private boolean scoring;
  private boolean lingering;
  private HttpTransport.Response delivered;
  private volatile boolean timedOut;

  // The request being read, from its first byte to its answer.
  private boolean headDone;
  private boolean messageDone;
  private HttpException bad;
  private boolean bodyFault;
  private boolean parseAgain;
  private boolean answered;
  private boolean awaiting;
  private boolean eof;
  private final RequestHead req = new RequestHead();
  private boolean handling;
  private HttpTransport.BodyHandler handler;
  private HttpTransport.Response discardThen;
  private BodyBuffer body;
  private HttpTransport.Response early;
  private ScheduledFuture<?> timer;

  Http1Connection(HttpTransport transport, EndPoint endPoint, HttpCompliance compliance, int head) {
    super(endPoint, transport.executor());
    this.transport = transport;
    this.parser = new HttpParser(this, head, compliance);
    // No header field cache: looking every field up in it (a case-insensitive trie walked byte by
    // byte, built anew for each connection) cost more than parsing the few fields a trainer sends.
    parser.setHeaderCacheSize(0);
    this.tracked = new HttpTransport.Tracked(this, System.nanoTime());
    this.body = new BodyBuffer(transport);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    awaitBytes();
  }

  @Override
  public long getBytesIn() {
    return bytesIn;
  }

  @Override
  public void onFillable() {
    synchronized (this) {
      awaiting = false;
    }
    run();
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    synchronized (this) {
      awaiting = false;
    }
    if (handling && cause instanceof TimeoutException) {
      // A body that stalled for the idle timeout: 408, as when the request deadline passes.
      timeout();
      return;
    }
    // An idle timeout between requests or a broken socket: nothing to answer.
    shut();
  }

  /** An idle timeout means nothing while a request is being scored (scoring may take longer). */
  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    synchronized (this) {
      return !scoring;
    }
  }

  @Override
  public void onClose(Throwable cause) {
    synchronized (this) {
      closed = true;
    }
    release();
    cancelTimer();
    requestOver();
    super.onClose(cause);
  }

  /** A scoring answer, from a worker or the selector thread. */
  void deliver(HttpTransport.Response r) {
    synchronized (this) {
      delivered = r;
    }
    run();
  }

  /** The body deadline passed. */
  private void timeout() {
    timedOut = true;
    run();
  }

  // ---------------------------------------------------------------------------------------------
  // The loop

  private void run() {
    synchronized (this) {
      if (looping) {
        again = true;
        return;
      }
      looping = true;
    }
    try {
      while (true) {
        boolean progress;
        try {
          progress = step();
        } catch (Throwable e) {
          // One connection's failure (a bug, an Error) ends this connection, never the selector.
          transport.failed("connection " + getEndPoint().getRemoteSocketAddress(), e);
          shut();
          progress = false;
        }
        if (!progress) {
          synchronized (this) {
            if (!again) {
              looping = false;
              return;
            }
            again = false;
          }
        }
      }
    } catch (Throwable e) {
      synchronized (this) {
        looping = false;
      }
      shut();
    }
  }

  /** One step; false when there is nothing to do until something outside happens. */
  private boolean step() throws IOException {
    HttpTransport.Response answer;
    boolean done;
    boolean waitingForBytes;
    synchronized (this) {
      if (closed) {
        return false;
      }
      answer = delivered;
      delivered = null;
      done = writeDone;
      writeDone = false;
      if (answer != null) {
        scoring = false;
      }
      waitingForBytes = awaiting;
    }
    if (answer != null) {
      release();
      respond(answer, false);
      return true;
    }
    if (done) {
      afterWrite();
      return true;
    }
    if (writing || scoring) {
      return false;
    }
    if (handling && timedOut) {
      timedOut = false;
      release();
      respond(readTimeout(), true);
      return true;
    }
    if (lingering) {
      if (waitingForBytes) {
        return false;
      }
      BufferUtil.clear(in);
      int n = getEndPoint().fill(in);
      if (n < 0) {
        shut();
      } else if (n == 0) {
        awaitBytes();
      }
      return n > 0;
    }
    if (in.hasRemaining() || parseAgain) {
      // Once more after a head even with no bytes left: a body of length 0 completes without any.
      parseAgain = false;
      parse();
      return true;
    }
    if (eof || waitingForBytes) {
      // Registered for the next bytes already: the selector runs the loop when they come.
      return false;
    }
    if (answered) {
      // Just answered and nothing of a next request is buffered: the client is still reading the
      // answer, so a read now would find nothing (a failed read per answer; issue 26's strace).
      answered = false;
      awaitBytes();
      return false;
    }
    BufferUtil.clear(in);
    int n = getEndPoint().fill(in);
    if (n > 0) {
      bytesIn += n;
      return true;
    }
    if (n == 0) {
      if (handling) {
        startTimer();
      }
      awaitBytes();
      return false;
    }
    // The client closed its side: a request cut short ends here, and so does an idle connection.
    eof = true;
    parser.atEOF();
    parser.parseNext(in);
    shut();
    return false;
  }

  private void parse() {
    parser.parseNext(in);
    if (bad != null) {
      HttpException x = bad;
      bad = null;
      badMessage(x.getCode(), x.getReason());
      return;
    }
    if (bodyFault) {
      bodyFault = false;
      badMessage(
          400,
          parser.getContentLength() < 0
              ? "malformed chunked body (a bad chunk size or chunk end, or a trailer line that is"
                  + " not a field)"
              : "incomplete body");
      return;
    }
    if (headDone) {
      headDone = false;
      parseAgain = true;
      head();
      if (writing || closed) {
        return;
      }
    }
    if (early != null) {
      HttpTransport.Response r = early;
      early = null;
      release();
      respond(r, true, r.status() == 413);
      return;
    }
    if (messageDone) {
      messageDone = false;
      cancelTimer();
      if (discardThen != null) {
        HttpTransport.Response r = discardThen;
        discardThen = null;
        respond(r, false);
      } else if (handler != null) {
        dispatch();
      }
    }
  }

  /** The head is complete: decide what the request gets. */
  private void head() {
    if (!tracked.state.compareAndSet(
        HttpTransport.Tracked.WAITING, HttpTransport.Tracked.HANDLING)) {
      // Its head completed just as the deadline cut it: the 408 is already on its way.
      shut();
      return;
    }
    synchronized (this) {
      handling = true;
    }
    transport.requestBegan();
    boolean http10 = req.http10();
    HttpTransport.Application app = transport.app();
    if (req.version != HttpVersion.HTTP_1_1 && !http10) {
      // HTTP/2 (its prior-knowledge preface "PRI * HTTP/2.0" included) or another version that
      // Jetty's parser reads but this HTTP/1.1 server does not speak (RFC 9110 15.6.6).
      respond(
          app.error(
              505, "HTTP version " + req.version + " is not supported; use HTTP/1.1", Map.of()),
          true);
      return;
    }
    if (req.otherExpectation != null) {
      // RFC 9110 10.1.1: an expectation other than 100-continue cannot be met.
      respond(
          app.error(
              417,
              "Expect '" + req.otherExpectation + "' cannot be met; only 100-continue is known",
              Map.of()),
          true);
      return;
    }
    if (req.transferEncoding != null && http10) {
      // RFC 9112 6.1: faulty framing in HTTP/1.0; the body cannot be found, so close.
      respond(
          app.error(400, "Transfer-Encoding in an HTTP/1.0 request; send Content-Length", Map.of()),
          true);
      return;
    }
    if (req.otherCoding()) {
      // The parser has checked that chunked comes last (else 400); any other coding is ours to
      // refuse (RFC 9112 6.1: 501 for a transfer coding the server does not understand).
      respond(
          app.error(
              501,
              "Transfer-Encoding '"
                  + req.transferEncoding
                  + "' is not supported; send the body with Content-Length or chunked",
              Map.of()),
          true);
      return;
    }
    String path = req.plainPath();
    if (path == null) {
      HttpURI uri;
      String violation;
      try {
        uri = HttpURI.build(req.method.equals("CONNECT") ? "/" : req.target);
        violation =
            UriCompliance.checkUriCompliance(
                UriCompliance.DEFAULT, uri, ComplianceViolation.Listener.NOOP);
        if (violation == null) {
          uri.getDecodedPath();
        }
      } catch (IllegalArgumentException e) {
        // Bad percent-encoding (%zz, %2 at the end, %00): HttpURI throws on decoding.
        uri = null;
        violation = "bad request target: " + e.getMessage();
      }
      if (violation != null) {
        respond(app.error(400, HttpTransport.message(400, violation), Map.of()), true);
        return;
      }
      path = uri.getPath();
    }
    HttpTransport.Route route = app.route(req.method, path, req.contentType);
    long declared = parser.getContentLength();
    boolean hasBody = declared > 0 || parser.isChunking();
    if (route.answer() != null && !hasBody) {
      respond(route.answer(), false);
      return;
    }
    if (declared > transport.maxBodyBytes()) {
      respond(tooLarge(), true, true);
      return;
    }
    // RFC 9110 10.1.1: a client that sent Expect: 100-continue waits for an answer before its
    // body. Never an HTTP/1.0 one, which sends its body without waiting.
    boolean waitsForContinue = req.expectContinue && !http10 && !in.hasRemaining();
    if (route.answer() != null && waitsForContinue) {
      // The final answer instead of the 100, and the connection ends, since the body may or may
      // not follow.
      respond(route.answer(), true);
      return;
    }
    if (route.answer() != null) {
      // Its answer is known, but the body is read (and dropped) first so that the connection can
      // go on with the next request.
      discardThen = route.answer();
    } else {
      handler = route.handler();
    }
    if (waitsForContinue) {
      interim = true;
      write(ByteBuffer.wrap(CONTINUE));
    }
  }

  private void dispatch() {
    byte[] bytes = body.bytes();
    int n = body.length();
    HttpTransport.BodyHandler h = handler;
    synchronized (this) {
      scoring = true;
    }
    if (!transport.score(this, h, bytes, n)) {
      synchronized (this) {
        scoring = false;
      }
      release();
      respond(
          transport
              .app()
              .error(
                  503,
                  "server busy: all scoring threads and queue slots are taken",
                  Map.of("Retry-After", "1")),
          false);
    }
  }

  private HttpTransport.Response tooLarge() {
    return transport
        .app()
        .error(413, "request body larger than " + transport.maxBodyBytes() + " bytes", Map.of());
  }

  /** A request the parser refused ({@code reason} may be null: the status says it all). */
  private void badMessage(int status, String reason) {
    release();
    respond(transport.app().error(status, HttpTransport.message(status, reason), Map.of()), true);
  }

  // ---------------------------------------------------------------------------------------------
  // Answers

  private void respond(HttpTransport.Response r, boolean closeAfter) {
    respond(r, closeAfter, false);
  }

  /** Writes the answer; {@code closeAfter} ends the connection after it. */
  private void respond(HttpTransport.Response r, boolean closeAfter, boolean linger) {
    cancelTimer();
    boolean end = closeAfter || !req.persistent() || transport.stopping();
    boolean http10 = req.http10();
    ByteBuffer headBytes =
        ByteBuffer.wrap(
            RawAnswer.head(
                r,
                transport.dateLine(),
                end
                    ? RawAnswer.ConnectionField.CLOSE
                    : http10
                        ? RawAnswer.ConnectionField.KEEP_ALIVE
                        : RawAnswer.ConnectionField.NONE));
    closeAfterWrite = end;
    lingerAfterWrite = end && linger;
    interim = false;
    if ("HEAD".equals(req.method) || r.body().length == 0) {
      write(headBytes);
    } else {
      write(headBytes, ByteBuffer.wrap(r.body()));
    }
  }

  private void write(ByteBuffer... buffers) {
    writing = true;
    getEndPoint().write(written, buffers);
  }

  /** After a write: the interim answer goes on reading; a final one ends the request. */
  private void afterWrite() {
    writing = false;
    if (interim) {
      interim = false;
      return;
    }
    endRequest();
    if (closeAfterWrite) {
      // The answer is out: send FIN now.
      getEndPoint().shutdownOutput();
      if (lingerAfterWrite) {
        // After a 413, which ends the connection before its body was read: read and drop what the
        // client still sends until it closes or LINGER_MILLIS pass. Closing with its bytes unread
        // makes the kernel reset the connection, and a reset discards the answer the client has
        // not read yet (RFC 9112 9.6). A 408 closes at once: its client is the slow one, and
        // holding its connection would hand the connection cap to a slow attack.
        lingering = true;
        transport.schedule(this::shut, TimeUnit.MILLISECONDS.toNanos(HttpTransport.LINGER_MILLIS));
      } else {
        shut();
      }
      return;
    }
    parser.reset();
    answered = true;
  }

  /** The request is over (answered, or its connection closed): ready for the next head. */
  private void endRequest() {
    requestOver();
    handler = null;
    discardThen = null;
    early = null;
    req.clear();
    headDone = false;
    messageDone = false;
    bodyFault = false;
    parseAgain = false;
    timedOut = false;
    body = new BodyBuffer(transport);
  }

  /** Counts the request as over, once, whichever thread gets here first. */
  private void requestOver() {
    boolean was;
    synchronized (this) {
      was = handling;
      handling = false;
    }
    if (was) {
      transport.requestEnded();
      tracked.idle();
    }
  }

  private void awaitBytes() {
    synchronized (this) {
      if (awaiting) {
        return;
      }
      awaiting = true;
    }
    fillInterested();
  }

  private void shut() {
    synchronized (this) {
      closed = true;
    }
    getEndPoint().close();
  }

  private final class Written implements Callback {
    @Override
    public void succeeded() {
      synchronized (Http1Connection.this) {
        writeDone = true;
      }
      run();
    }

    @Override
    public void failed(Throwable x) {
      shut();
    }

    /** The loop never blocks, so Jetty may complete a write on the thread that finished it. */
    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The body: its deadline and its share of the buffer budget

  private void startTimer() {
    if (timer == null) {
      long left =
          parser.getBeginNanoTime()
              + transport.limits().requestTimeout().toNanos()
              - System.nanoTime();
      timer = transport.schedule(this::timeout, Math.max(0, left));
    }
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = timer;
    timer = null;
    if (t != null) {
      t.cancel(false);
    }
  }

  private HttpTransport.Response readTimeout() {
    return transport
        .app()
        .error(
            408,
            "request not complete within "
                + transport.limits().requestTimeout().toSeconds()
                + " s (--read-timeout-seconds): "
                + body.length()
                + " body bytes arrived",
            Map.of());
  }

  private void release() {
    body.release();
  }

  // ---------------------------------------------------------------------------------------------
  // HttpParser's callbacks (on the loop's thread, inside parseNext)

  @Override
  public void startRequest(String method, String uri, HttpVersion version) {
    req.start(method, uri, version);
  }

  @Override
  public void parsedHeader(HttpField field) {
    req.field(field);
  }

  @Override
  public boolean headerComplete() {
    headDone = true;
    return true;
  }

  @Override
  public boolean content(ByteBuffer chunk) {
    int n = chunk.remaining();
    if (n == 0 || early != null) {
      chunk.position(chunk.limit());
      return early != null;
    }
    if ((long) body.length() + n > transport.maxBodyBytes()) {
      chunk.position(chunk.limit());
      early = tooLarge();
      return true;
    }
    if (discardThen != null) {
      body.skip(n);
      chunk.position(chunk.limit());
      return false;
    }
    if (!body.append(chunk, parser.getContentLength())) {
      chunk.position(chunk.limit());
      early =
          transport
              .app()
              .error(
                  503,
                  "server busy: request bodies in progress hold "
                      + transport.bufferedBytes()
                      + " of "
                      + transport.limits().maxBufferedBytes()
                      + " bytes; try again",
                  Map.of("Retry-After", "1"));
      return true;
    }
    return false;
  }

  @Override
  public boolean contentComplete() {
    return false;
  }

  @Override
  public boolean messageComplete() {
    messageDone = true;
    return true;
  }

  /**
   * The client closed before its request was complete (nothing to answer), or, when the socket is
   * still open, the parser found the body malformed: once a head is complete, Jetty's parser
   * reports every fault of a chunked body (chunk size, chunk end, trailer line) this way.
   */
  @Override
  public void earlyEOF() {
    if (!eof) {
      bodyFault = true;
    }
  }

  @Override
  public void badMessage(HttpException failure) {
    bad = failure;
  }
}
