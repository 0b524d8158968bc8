package dev.ssrl.cli;

import dev.ssrl.cli.common.CliContext;
import dev.ssrl.cli.common.Rewards;
import dev.ssrl.cli.common.UsageError;
import dev.ssrl.cli.curate.CurateCommand;
import dev.ssrl.cli.generate.GenerateCommand;
import dev.ssrl.cli.preview.PreviewCommand;
import dev.ssrl.cli.score.ScoreCommand;
import dev.ssrl.cli.serve.ServeCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ssrl} command: {@code generate}, {@code score}, {@code serve}, {@code preview} and
 * {@code curate}.
 *
 * <p>Exit status: 0 on success, 2 for unusable arguments (parse errors, unknown task, bad mix, a
 * resume with other arguments), 1 for any other failure; messages go to standard error.
 */
@Command(
    name = "ssrl",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Verifiable spatial-reasoning training data and rewards (Spatial-SSRL) for RL of"
          + " vision-language models.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ssrl generate --out data/ssrl --tasks shuffle,flip,crop --per-scene 2 ~/images",
      "  ssrl score --in rollouts.jsonl --out scored.jsonl",
      "  ssrl serve --port 8000",
      "  ssrl preview --dataset data/ssrl --out preview.html",
      "  ssrl curate --dataset data/ssrl --scored scored.jsonl --out data/curated",
      "",
      "Exit status: 0 ok, 2 unusable arguments, 1 other failures.",
      "Run 'ssrl help COMMAND' or 'ssrl COMMAND --help' for a command's options."
    },
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  private final CliContext context;

  private Main(CliContext context) {
    this.context = context;
  }

  /**
   * Runs the command line and exits the JVM with its status (0 ok, 1 failure, 2 bad arguments).
   *
   * @param args the command-line arguments, e.g. {@code generate --out DIR}
   */
  public static void main(String[] args) {
    int status = execute(new CliContext(Rewards::scoring, System.in, System.out, System.err), args);
    System.exit(status);
  }

  /** Runs the command line in this JVM and returns its exit status. */
  public static int execute(CliContext context, String... args) {
    CommandLine cl = commandLine(context);
    return cl.execute(args);
  }

  static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new Main(context));
    cl.addSubcommand("generate", new GenerateCommand(context));
    cl.addSubcommand("score", new ScoreCommand(context));
    cl.addSubcommand("serve", new ServeCommand(context));
    cl.addSubcommand("preview", new PreviewCommand(context));
    cl.addSubcommand("curate", new CurateCommand(context));
    cl.setOut(new PrintWriter(context.out(), true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(context.err(), true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof UsageError) {
            context.err().println("ssrl: " + ex.getMessage());
            return 2;
          }
          String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          context.err().println("ssrl: error: " + msg);
          return 1;
        });
    return cl;
  }

  @Override
  public void run() {
    // "ssrl" alone: show what there is to do.
    CommandLine.usage(this, context.out());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ssrl " + CliContext.version()};
    }
  }
}
