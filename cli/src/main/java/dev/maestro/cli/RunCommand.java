package dev.maestro.cli;

import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run an agent on an input until it answers, printing its thoughts, tool calls and observations as they happen.",
        "Exit code: 0 completed, 1 failed, 3 cancelled, 2 bad input."})
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Parameters(index = "0", paramLabel = "AGENT_ID_OR_FILE", description = "A stored agent's id, or an agent file (.yaml, .yml, .json) to create or update and run.")
  String agent;

  @Parameters(index = "1", paramLabel = "INPUT", description = "What the agent should do.")
  String input;

  @Option(names = "--model", paramLabel = "REF", description = "Use this model instead of the agent's (provider:model, e.g. openai:gpt-4o-mini or replay:FILE).")
  String model;

  @Option(names = "--workdir", paramLabel = "DIR", description = "Directory the file tools are confined to (default: the current directory).")
  Path workdir;

  @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Print each step as it happens (default); --no-follow prints only the outcome.")
  boolean follow;

  @Option(names = "--json", description = "Print the run and its events as JSON at the end, instead of the live trace.")
  boolean json;

  @Override
  public Integer call() {
    Printer printer = new Printer(main.out);
    try (Backend backend = main.backend(follow && !json ? printer : null)) {
      String agentId = isFile(agent) ? backend.saveAgent(AgentSpecs.load(Path.of(agent))).id() : agent;
      String runId = backend.start(agentId, input, model, workdir);
      Thread hint = new Thread(() -> main.err.println("\ninterrupted; continue the run with: maestro runs resume " + runId));
      Runtime.getRuntime().addShutdownHook(hint);
      Run run = backend.follow(runId);
      Runtime.getRuntime().removeShutdownHook(hint);
      return report(main, backend, printer, run, json);
    }
  }

  static boolean isFile(String ref) {
    String lower = ref.toLowerCase();
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json") || Files.isRegularFile(Path.of(ref));
  }

  /** The run and its whole event log, as the JSON that {@code --json} prints. */
  static String runDocument(Backend backend, Run run) {
    var doc = new LinkedHashMap<String, Object>();
    doc.put("run", run);
    doc.put("events", backend.events(run.id()));
    return Json.writePretty(doc);
  }

  /** Prints how the run ended and gives its exit code. */
  static int report(Main main, Backend backend, Printer printer, Run run, boolean json) {
    if (json) {
      main.out.println(runDocument(backend, run));
      main.out.flush();
    } else {
      printer.summary(run);
    }
    return switch (run.status()) {
      case COMPLETED -> 0;
      case CANCELLED -> Main.RUN_CANCELLED;
      case WAITING_APPROVAL -> Main.RUN_WAITING;
      default -> Main.RUN_FAILED;
    };
  }
}
