package dev.maestro.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    Platform platform = Platform.start(main.config(), host, port);
    List<String> resumed = platform.resumeUnfinished(main.err);
    var url = platform.server.url();
    main.out.printf("Maestro is serving on %s%n", url);
    main.out.printf("  data: %s (%s)%n", platform.config.dataDir(), platform.app.stores.describe());
    main.out.printf("  agents: %d (%d example agents installed now); resumed runs: %d%n", platform.app.agents.list().size(),
        platform.examplesInstalled, resumed.size());
    main.out.printf("  API: %s/api/apa/agents · OpenAPI: %s/api/openapi.json · health: %s/health%n", url, url, url);
    Platform.AdminLogin admin = platform.admin;
    main.out.printf("  admin token: %s %s (readable by you only); the maestro command uses it, other programs send it as"
        + " 'Authorization: Bearer <token>'%n", admin.created() ? "created and saved in" : "in", admin.file());
    main.out.printf("  sign in: %s (works once, for 15 minutes)%n", platform.server.oneTimeLoginUrl(admin.secret()));
    main.out.println("Stop with Ctrl-C; unfinished runs resume on the next start.");
    main.out.flush();
    var stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        main.out.println("Stopping...");
        main.out.flush();
        List<String> left = platform.stop(SHUTDOWN_GRACE);
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
}
