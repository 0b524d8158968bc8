package dev.ssrl.cli.serve;

import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.PartialCreditOption;
import dev.ssrl.cli.common.RewardMode;
import dev.ssrl.cli.common.Scoring;
import dev.ssrl.cli.common.UsageError;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssrl serve}: the HTTP reward server until SIGTERM / Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves rewards over HTTP (loopback by default):",
      "  POST /get_reward  OpenRLHF remote reward: {\"query\": [...], \"prompts\": [...],"
          + " \"labels\": [...]} -> {\"rewards\": [...], \"scores\": [...], \"extra_logs\":"
          + " {...}}",
      "  POST /v1/score    {\"items\": [{\"response\", \"answer\", \"task\"?, \"group\"?,"
          + " \"grid\"?}], \"mode\"?, \"partial_credit\"?} ->"
          + " {\"results\": [{\"overall\", \"format\", \"accuracy\", \"details\","
          + " \"advantage\"}]}",
      "  GET  /health",
      "Too large bodies or too many items: 413; bad JSON or fields: 400; saturated: 503.",
      "Bodies: UTF-8 JSON, Content-Type application/json or none (else 415).",
      "Slow clients: 408 after --header-timeout-seconds or --read-timeout-seconds.",
      "Over --max-connections open connections: 503 at once.",
      "HTTP/1.1 on Jetty 12; malformed framing (RFC 9112): 400 and close.",
      "SIGTERM stops accepting and lets running requests finish (--grace-seconds).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl serve --port 8000",
      "  openrlhf.cli.train_ppo_ray ... --remote_rm_url http://127.0.0.1:8000/get_reward"
    })
public final class ServeCommand implements Callable<Integer> {
  private final CliContext context;

  public ServeCommand(CliContext context) {
    this.context = context;
  }

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all interfaces).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8000",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--reward-mode",
      defaultValue = "reference",
      paramLabel = "reference|tolerant",
      description =
          "Reward of a request that names no mode: reference (exactly Spatial-SSRL's) or"
              + " tolerant (task-aware parsing, partial credit; items must name their task)"
              + " (default: ${DEFAULT-VALUE}).")
  String rewardMode;

  @Option(
      names = "--partial-credit",
      paramLabel = "TASK=MODE[,TASK=MODE...]",
      description =
          "Partial credit of permutation tasks in tolerant mode: exact, fraction, kendall or"
              + " adjacency (default: fraction); a request's \"partial_credit\" adds to it."
              + " adjacency reads an item's \"grid\" (CxR) (docs/verifiers.md).")
  String partialCredit;

  @Option(names = "--threads", description = "Scoring threads (default: processors).")
  Integer threads;

  @Option(
      names = "--queue",
      defaultValue = "64",
      description = "Requests that may wait for a scoring thread before 503 (default: 64).")
  int queue;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "16777216",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--max-items",
      defaultValue = "4096",
      description = "Most responses in one request (default: ${DEFAULT-VALUE}).")
  int maxItems;

  @Option(
      names = "--max-connections",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_CONNECTIONS,
      description =
          "Open connections served at once; one more gets 503 with Retry-After (default:"
              + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--header-timeout-seconds",
      defaultValue = "" + HttpLimits.DEFAULT_HEADER_SECONDS,
      description =
          "Time a request's head may take from its first byte; then 408 (default:"
              + " ${DEFAULT-VALUE}).")
  int headerTimeoutSeconds;

  @Option(
      names = "--read-timeout-seconds",
      defaultValue = "" + HttpLimits.DEFAULT_REQUEST_SECONDS,
      description =
          "Time a whole request (head and body) may take to arrive; then 408 (default:"
              + " ${DEFAULT-VALUE}).")
  int readTimeoutSeconds;

  @Option(
      names = "--idle-timeout-seconds",
      defaultValue = "" + HttpLimits.DEFAULT_IDLE_SECONDS,
      description =
          "Time a keep-alive connection may wait for its next request (default: ${DEFAULT-VALUE}).")
  int idleTimeoutSeconds;

  @Option(
      names = "--grace-seconds",
      defaultValue = "10",
      description = "How long shutdown waits for running requests (default: ${DEFAULT-VALUE}).")
  int graceSeconds;

  @Override
  public Integer call() throws Exception {
    HttpTransport.prepareInBackground();
    if (port < 0 || port > 65535) {
      throw new UsageError("--port must be in 0..65535 (0 picks a free one), got " + port);
    }
    if (graceSeconds < 0) {
      throw new UsageError("--grace-seconds must be >= 0, got " + graceSeconds);
    }
    positive("--max-connections", maxConnections);
    positive("--header-timeout-seconds", headerTimeoutSeconds);
    positive("--read-timeout-seconds", readTimeoutSeconds);
    positive("--idle-timeout-seconds", idleTimeoutSeconds);
    RewardMode mode = RewardMode.fromFlag(rewardMode);
    Scoring scoring =
        PartialCreditOption.apply(context.scoring().get(), "--partial-credit", partialCredit);
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    HttpLimits limits =
        new HttpLimits(
            maxConnections,
            Duration.ofSeconds(headerTimeoutSeconds),
            Duration.ofSeconds(readTimeoutSeconds),
            Duration.ofSeconds(idleTimeoutSeconds),
            HttpLimits.bodyBudget(maxBodyBytes));
    RewardServer server =
        new RewardServer(scoring, host, port, t, queue, maxBodyBytes, maxItems, limits)
            .defaultMode(mode);
    java.util.concurrent.atomic.AtomicReference<String> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // A server that can no longer accept connections ends the process with status 1, so that a
    // supervisor restarts it: never a live process with a dead socket.
    server.onFailure(
        reason -> {
          failed.compareAndSet(null, reason);
          stopped.countDown();
        });
    int bound = server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  context.err().println("ssrl: shutting down");
                  server.stop(graceSeconds);
                  stopped.countDown();
                },
                "ssrl-serve-shutdown"));
    context
        .err()
        .println(
            "ssrl: serving rewards on http://"
                + host
                + ":"
                + bound
                + " (POST /get_reward, POST /v1/score, GET /health; reward mode "
                + mode.id()
                + ")");
    stopped.await();
    String reason = failed.get();
    if (reason != null) {
      context.err().println("ssrl: error: " + reason + "; exiting");
      return 1;
    }
    return 0;
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new UsageError(option + " must be >= 1, got " + value);
    }
  }
}
