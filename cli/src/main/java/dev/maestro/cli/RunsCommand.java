package dev.maestro.cli;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStatus;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List, inspect and resume runs.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Resume.class})
final class RunsCommand {
  @ParentCommand
  Main main;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @ParentCommand
    RunsCommand parent;

    @Option(names = "--agent", paramLabel = "ID")
    String agent;

    @Option(names = "--status", paramLabel = "STATUS", description = "pending, running, waiting_approval, completed, failed or cancelled.")
    String status;

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      try (Backend backend = main.backend(null)) {
        var runs = backend.runs(new RunQuery(agent, status == null ? null : RunStatus.parse(status), null, limit, 0));
        if (json) {
          main.out.println(Json.writePretty(runs));
        } else if (runs.isEmpty()) {
          main.out.println("No runs yet. Start one with: maestro run AGENT_ID_OR_FILE \"input\"");
        } else {
          new Printer(main.out).table(
              java.util.List.of("ID", "AGENT", "STATUS", "STEPS", "TOKENS", "CREATED"),
              runs.stream().map(r -> java.util.List.of(r.id(), r.agentId(), r.status().wire(), String.valueOf(r.steps()),
                  String.valueOf(r.totalTokens()), TIME.format(r.createdAt()))).toList());
        }
        return 0;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run's trace: thoughts, tool calls, observations, answer.")
  static final class Show implements Callable<Integer> {
    @ParentCommand
    RunsCommand parent;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--json", description = "The run and its full event log as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      try (Backend backend = main.backend(null)) {
        Run run = backend.run(runId);
        if (json) {
          main.out.println(RunCommand.runDocument(backend, run));
        } else {
          new Printer(main.out).trace(run, backend.traces(runId));
        }
        return 0;
      }
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Continue an unfinished run from its log (after a crash or an interrupted 'maestro run').")
  static final class Resume implements Callable<Integer> {
    @ParentCommand
    RunsCommand parent;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true")
    boolean follow;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      Printer printer = new Printer(main.out);
      try (Backend backend = main.backend(follow && !json ? printer : null)) {
        backend.resume(runId);
        return RunCommand.report(main, backend, printer, backend.follow(runId), json);
      }
    }
  }
}
