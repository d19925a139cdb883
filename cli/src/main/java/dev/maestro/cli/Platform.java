package dev.maestro.cli;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.server.EventHub;
import dev.maestro.server.MaestroServer;
import dev.maestro.server.Services;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  /** Expires approval requests whose deadline passed: nobody else would notice while their runs hold no thread. */
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("approval-expiry").factory());

  private Platform(MaestroConfig config, Application app, MaestroServer server, int examplesInstalled) {
    this.config = config;
    this.app = app;
    this.server = server;
    this.examplesInstalled = examplesInstalled;
    sweeper.scheduleWithFixedDelay(this::expireApprovals, 1, EXPIRY_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  static final Duration EXPIRY_SWEEP = Duration.ofSeconds(5);

  private void expireApprovals() {
    try {
      app.engine.expireApprovals();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Platform.class).warn("could not expire overdue approval requests; trying again in {}", EXPIRY_SWEEP, e);
    }
  }

  /** Opens the database, installs the example agents, and serves the API on the host and port (0: any free port). */
  static Platform start(MaestroConfig config, String host, int port) {
    var hub = new EventHub();
    var app = new Application(config, hub);
    try {
      int installed = installExamples(app, config.home());
      var services = new Services(app.agents, app.runs, app.engine, app.tools, new ProviderModels(config.providers()), hub,
          () -> {
            app.runs.list(new RunQuery(null, null, null, 1, 0));
            return app.stores.describe();
          },
          providers(config), config.workdir(), app.http, app.httpTools, app.outbox);
      return new Platform(config, app, MaestroServer.start(services, host, port), installed);
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  /** Resumes the runs a previous process left unfinished; returns their ids. */
  List<String> resumeUnfinished(PrintWriter err) {
    List<String> unfinished = app.runs.unfinished();
    for (String runId : unfinished) {
      try {
        app.engine.resume(runId);
      } catch (MaestroException e) {
        err.println("could not resume run " + runId + ": " + e.getMessage());
      }
    }
    return unfinished;
  }

  /** Stops serving, then stops the engine without finishing its runs; returns the runs left unfinished. */
  List<String> stop(Duration grace) {
    sweeper.shutdownNow();
    server.close();
    List<String> left = app.engine.stop(grace);
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
