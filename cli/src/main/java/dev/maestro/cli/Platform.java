package dev.maestro.cli;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.server.MaestroServer;
import dev.maestro.server.Services;
import dev.maestro.server.Workspaces;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** The whole platform in one process: the application (database, engine, packs) served over HTTP. */
final class Platform {
  final MaestroConfig config;
  final Application app;
  final MaestroServer server;
  final int examplesInstalled;
  /** The admin token of the default workspace, saved in the data directory for the command line. */
  final AdminLogin admin;
  /** Expires approval requests whose deadline passed: nobody else would notice while their runs hold no thread. */
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("approval-expiry").factory());

  private Platform(MaestroConfig config, Application app, MaestroServer server, int examplesInstalled) {
    this.config = config;
    this.app = app;
    this.server = server;
    this.examplesInstalled = examplesInstalled;
    this.admin = adminLogin();
    sweeper.scheduleWithFixedDelay(this::expireApprovals, 1, EXPIRY_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  static final Duration EXPIRY_SWEEP = Duration.ofSeconds(5);

  private void expireApprovals() {
    try {
      app.openWorkspaces().forEach(w -> w.engine.expireApprovals());
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Platform.class).warn("could not expire overdue approval requests; trying again in {}", EXPIRY_SWEEP, e);
    }
  }

  /** Opens the database, installs the example agents, and serves the API on the host and port (0: any free port). */
  static Platform start(MaestroConfig config, String host, int port) {
    var app = new Application(config, null);
    try {
      int installed = installExamples(app, config.home());
      var server = MaestroServer.start(new PlatformWorkspaces(app, config), host, port);
      return new Platform(config, app, server, installed);
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  /**
   * The admin token the command line and the first browser sign in with: the one saved in the data
   * directory while it still works, else a new one (on first start, or after it was revoked).
   *
   * @return the token's secret, and whether it was created now
   */
  private AdminLogin adminLogin() {
    String saved = AdminToken.read(config.dataDir());
    if (saved != null && app.tokens.authenticate(saved).filter(p -> p.workspaceId().equals(Application.WORKSPACE)
        && p.role() == Role.ADMIN).isPresent()) {
      return new AdminLogin(saved, false, config.dataDir().resolve(AdminToken.FILE));
    }
    IssuedToken issued = app.tokens.create(Application.WORKSPACE, "admin", Role.ADMIN, "maestro serve");
    Path file = AdminToken.write(config.dataDir(), issued.secret());
    return new AdminLogin(issued.secret(), true, file);
  }

  record AdminLogin(String secret, boolean created, Path file) {}

  /** The platform's workspaces as the server sees them: each one's services, built once. */
  private static final class PlatformWorkspaces implements Workspaces {
    private final Application app;
    private final MaestroConfig config;
    private final Map<String, Services> services = new ConcurrentHashMap<>();

    PlatformWorkspaces(Application app, MaestroConfig config) {
      this.app = app;
      this.config = config;
    }

    @Override
    public Services open(String workspaceId) {
      return services.computeIfAbsent(workspaceId, id -> {
        Workspace w = app.workspace(id);
        return new Services(id, w.agents, w.runs, w.engine, w.tools, app.models, w.events,
            () -> {
              w.runs.list(new RunQuery(null, null, null, 1, 0));
              return app.stores.describe();
            },
            providers(config), config.workdir(), app.http, w.httpTools, w.safety, w.policies, w.audit, w.outbox, w.memories,
            w.knowledge, w.learning, app.pricing);
      });
    }

    @Override
    public TokenStore tokens() {
      return app.tokens;
    }
  }

  /** Resumes the runs a previous process left unfinished, in every workspace; returns their ids. */
  List<String> resumeUnfinished(PrintWriter err) {
    var resumed = new ArrayList<String>();
    for (var ws : app.stores.workspaces().list()) {
      Workspace w = app.workspace(ws.id());
      for (String runId : w.runs.unfinished()) {
        try {
          w.engine.resume(runId);
          resumed.add(runId);
        } catch (MaestroException e) {
          err.println("could not resume run " + runId + ": " + e.getMessage());
        }
      }
    }
    return resumed;
  }

  /** Stops serving, then stops the engine without finishing its runs; returns the runs left unfinished. */
  List<String> stop(Duration grace) {
    sweeper.shutdownNow();
    server.close();
    var left = new ArrayList<String>();
    app.openWorkspaces().forEach(w -> left.addAll(w.engine.stop(grace)));
    app.close();
    return left;
  }

  /** Installs the agents of {@code <home>/examples/<name>/agent.yaml}, where the launcher says Maestro lives. */
  static int installExamples(Application app, Path home) {
    if (home == null) {
      return 0;
    }
    Path examples = home.resolve("examples");
    if (!Files.isDirectory(examples)) {
      return 0;
    }
    int installed = 0;
    List<Path> files = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(examples)) {
      dirs.sorted().map(d -> d.resolve("agent.yaml")).filter(Files::isRegularFile).forEach(files::add);
    } catch (IOException e) {
      throw new MaestroException("cannot list the examples in " + examples + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      if (app.agents.install(AgentSpecs.load(file))) {
        installed++;
      }
    }
    return installed;
  }

  private static List<String> providers(MaestroConfig config) {
    var names = new ArrayList<String>();
    var p = config.providers();
    if (p.openai().apiKey() != null || p.openai().baseUrl() != null) {
      names.add("openai");
    }
    if (p.anthropic().apiKey() != null) {
      names.add("anthropic");
    }
    if (p.ollama().baseUrl() != null) {
      names.add("ollama");
    }
    return names;
  }
}
