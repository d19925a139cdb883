package dev.maestro.cli;

import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.internal.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "agents", mixinStandardHelpOptions = true, description = "Create, list, pause, enable and delete agents.",
    subcommands = {AgentsCommand.Create.class, AgentsCommand.ListAgents.class, AgentsCommand.Show.class,
        AgentsCommand.Pause.class, AgentsCommand.Enable.class, AgentsCommand.Delete.class})
final class AgentsCommand {
  @ParentCommand
  Main main;

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an agent from a YAML or JSON file (or update it if its id exists).")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    AgentsCommand parent;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      try (Backend backend = parent.main.backend(null)) {
        Agent agent = backend.saveAgent(AgentSpecs.load(file));
        parent.main.out.printf("agent %s saved (%s) · model %s · tools %s%n", agent.id(), agent.status().wire(), Printer.model(agent.spec()), agent.spec().tools());
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List agents.")
  static final class ListAgents implements Callable<Integer> {
    @ParentCommand
    AgentsCommand parent;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      try (Backend backend = main.backend(null)) {
        List<Agent> agents = backend.agents().stream().filter(a -> a.status() != dev.maestro.engine.agent.AgentStatus.DELETED).toList();
        if (json) {
          main.out.println(Json.writePretty(agents));
        } else if (agents.isEmpty()) {
          main.out.println("No agents yet. Create one with: maestro agents create -f agent.yaml (see examples/)");
        } else {
          new Printer(main.out).table(List.of("ID", "STATUS", "MODEL", "TOOLS", "NAME"),
              agents.stream().map(a -> List.of(a.id(), a.status().wire(), Printer.model(a.spec()), String.join(",", a.spec().tools()), a.spec().name())).toList());
        }
        return 0;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an agent's spec as JSON.")
  static final class Show implements Callable<Integer> {
    @ParentCommand
    AgentsCommand parent;

    @Parameters(paramLabel = "AGENT_ID")
    String id;

    @Override
    public Integer call() {
      try (Backend backend = parent.main.backend(null)) {
        parent.main.out.println(Json.writePretty(backend.agent(id)));
        return 0;
      }
    }
  }

  /** Shared shape of pause, enable and delete. */
  abstract static class Transition implements Callable<Integer> {
    @ParentCommand
    AgentsCommand parent;

    @Parameters(paramLabel = "AGENT_ID")
    String id;

    abstract String action();

    @Override
    public Integer call() {
      try (Backend backend = parent.main.backend(null)) {
        Agent agent = backend.transition(id, action());
        parent.main.out.printf("agent %s is %s%n", agent.id(), agent.status().wire());
        return 0;
      }
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause an agent: it starts no runs until enabled.")
  static final class Pause extends Transition {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an agent.")
  static final class Enable extends Transition {
    @Override
    String action() {
      return "enable";
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an agent (its runs are kept).")
  static final class Delete extends Transition {
    @Override
    String action() {
      return "delete";
    }
  }
}
