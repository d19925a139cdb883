package dev.maestro.cli;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.server.EventHub;
import dev.maestro.server.MaestroServer;
import dev.maestro.server.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the Maestro API (and live event streams) until stopped with Ctrl-C or SIGTERM.",
        "Installs the example and pack agents, and resumes runs a previous server left unfinished."})
final class ServeCommand implements Callable<Integer> {
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  @ParentCommand
  Main main;

  @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    MaestroConfig config = main.config();
    var hub = new EventHub();
    var app = new Application(config, hub);
    var http = new HttpRequestTool(config.tools().http());
    MaestroServer server;
    try {
      int installed = installExamples(app, config.home());
      var services = new Services(app.agents, app.runs, app.engine, app.tools, new ProviderModels(config.providers()), hub,
          () -> {
            app.runs.list(new RunQuery(null, null, null, 1, 0));
            return app.stores.describe();
          },
          providers(config), config.workdir(), http);
      server = MaestroServer.start(services, host, port);
      List<String> unfinished = app.runs.unfinished();
      for (String runId : unfinished) {
        try {
          app.engine.resume(runId);
        } catch (MaestroException e) {
          main.err.println("could not resume run " + runId + ": " + e.getMessage());
        }
      }
      main.out.printf("Maestro is serving on %s%n", server.url());
      main.out.printf("  data: %s (%s)%n", config.dataDir(), app.stores.describe());
      main.out.printf("  agents: %d (%d example agents installed now); resumed runs: %d%n", app.agents.list().size(), installed, unfinished.size());
      main.out.printf("  API: %s/api/apa/agents · OpenAPI: %s/api/openapi.json · health: %s/health%n", server.url(), server.url(), server.url());
      main.out.println("Stop with Ctrl-C; unfinished runs resume on the next start.");
      main.out.flush();
    } catch (RuntimeException e) {
      http.close();
      app.close();
      throw e;
    }
    var stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        main.out.println("Stopping...");
        main.out.flush();
        server.close();
        List<String> left = app.engine.stop(SHUTDOWN_GRACE);
        http.close();
        app.close();
        main.out.printf(left.isEmpty() ? "Stopped.%n" : "Stopped; %d unfinished run(s) resume on the next start.%n", left.size());
      } catch (RuntimeException e) {
        main.err.println("error while stopping: " + e);
      } finally {
        main.out.flush();
        main.err.flush();
        stopped.countDown();
      }
    }, "maestro-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return 0;
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
