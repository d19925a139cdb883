package dev.maestro.cli;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.run.RunListener;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The {@code maestro} command. */
@Command(
    name = "maestro",
    mixinStandardHelpOptions = true,
    version = "maestro 0.1.0",
    description = "Run AI agents with durable, inspectable runs.",
    subcommands = {ServeCommand.class, RunCommand.class, AgentsCommand.class, RunsCommand.class, ApprovalsCommand.class,
        KnowledgeCommand.class, GovernanceCommands.Tokens.class, GovernanceCommands.Audit.class, CommandLine.HelpCommand.class},
    footer = {"", "Environment: MAESTRO_DATA_DIR, MAESTRO_DB_URL (PostgreSQL), OPENAI_API_KEY, MAESTRO_OPENAI_BASE_URL,",
        "ANTHROPIC_API_KEY, MAESTRO_OLLAMA_BASE_URL, MAESTRO_HTTP_ALLOWED_HOSTS, MAESTRO_WORKDIR, MAESTRO_EMBEDDINGS,", "MAESTRO_SERVER, MAESTRO_TOKEN. See README.md."})
public final class Main {
  /** Exit codes beyond 0 (completed) and 2 (bad usage or input). */
  static final int RUN_FAILED = 1;
  static final int USAGE = 2;
  static final int RUN_CANCELLED = 3;
  static final int RUN_WAITING = 4;
  static final int INTERNAL = 70;

  @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Where Maestro keeps its data (default: $MAESTRO_DATA_DIR or ~/.maestro).")
  Path dataDir;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Configuration file (default: $MAESTRO_CONFIG or <data-dir>/config.yaml).")
  Path configFile;

  @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Act on a running Maestro server (e.g. http://127.0.0.1:8080) instead of the local database (default: $MAESTRO_SERVER).")
  String server;

  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;

  Main(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(args, System.getenv(), out, err));
  }

  /** Runs the command line and returns its exit code; used by main and by tests. */
  static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    var main = new Main(env, out, err);
    var cli = new CommandLine(main);
    try {
      addPackCommands(cli, args, env);
    } catch (MaestroException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof MaestroException m) {
        err.println("error: " + m.getMessage());
        err.flush();
        return m instanceof InvalidInputException || m instanceof NotFoundException || m instanceof ConflictException ? USAGE : RUN_FAILED;
      }
      err.println("internal error: " + e);
      e.printStackTrace(err);
      err.println("This is a bug in Maestro; please report it with the lines above.");
      err.flush();
      return INTERNAL;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Each pack's commands become subcommands ({@code maestro spark ...}), told the data directory and configuration the options name. */
  private static void addPackCommands(CommandLine cli, String[] args, Map<String, String> env) {
    List<Pack> packs = Packs.discover();
    if (packs.isEmpty()) {
      return;
    }
    MaestroConfig config = MaestroConfig.load(optionValue(args, "--data-dir"), optionValue(args, "--config"), env);
    for (Pack pack : packs) {
      for (Object command : pack.commands(config.packContext(pack.id(), Clock.systemUTC()))) {
        cli.addSubcommand(command);
      }
    }
  }

  /** The value of an inherited path option, read before picocli parses the line (pack commands are built first). */
  static Path optionValue(String[] args, String name) {
    for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
      if (args[i].equals(name) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith(name + "=")) {
        return Path.of(args[i].substring(name.length() + 1));
      }
    }
    return null;
  }

  MaestroConfig config() {
    return MaestroConfig.load(dataDir, configFile, env);
  }

  /**
   * The API token for a server: MAESTRO_TOKEN, else the admin token 'maestro serve' saved in the data
   * directory (readable by its owner only), else none.
   */
  String token() {
    String token = env.get("MAESTRO_TOKEN");
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    return AdminToken.read(config().dataDir());
  }

  Application open(RunListener listener) {
    return new Application(config(), listener);
  }

  /** Where the agent and run commands act: a server given with --server or MAESTRO_SERVER, else this process. */
  Backend backend(RunListener listener) {
    String url = server != null ? server : env.get("MAESTRO_SERVER");
    if (url != null && !url.isBlank()) {
      return new RemoteBackend(url.strip(), token(), listener);
    }
    return new LocalBackend(open(listener));
  }
}
