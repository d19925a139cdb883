package dev.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.workflow.Workflow;
import dev.maestro.engine.workflow.WorkflowContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A pack found on the test class path through META-INF/services, as real packs are: a tool, a
 * workflow, an agent running it, and a command that shows the settings it was given.
 */
public final class ShoutPack implements Pack {
  static final Tool SHOUT = new Tool() {
    private final ToolSpec spec = new ToolSpec("shout", "Upper-cases its text.",
        Json.tree("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}"), RiskLevel.LOW, true, null);

    @Override
    public ToolSpec spec() {
      return spec;
    }

    @Override
    public String call(JsonNode arguments, ToolContext context) {
      return arguments.path("text").asText().toUpperCase(Locale.ROOT);
    }
  };

  @Override
  public String id() {
    return "shout";
  }

  @Override
  public String description() {
    return "Shouts, for tests of pack installation.";
  }

  @Override
  public List<Tool> tools(PackContext context) {
    return List.of(SHOUT);
  }

  @Override
  public List<Workflow> workflows() {
    return List.of(new Workflow() {
      @Override
      public String id() {
        return "shouting";
      }

      @Override
      public String description() {
        return "Shouts the input twice.";
      }

      @Override
      public String run(String input, WorkflowContext context) {
        context.note("shouting once");
        String once = context.call("shout", Json.MAPPER.createObjectNode().put("text", input));
        return once + " " + context.call("shout", Json.MAPPER.createObjectNode().put("text", "again"));
      }
    });
  }

  @Override
  public List<AgentSpec> agents() {
    return List.of(new AgentSpec("shouter", "Shouter", "Shouts its input.", AgentKind.WORKFLOW, null, null, List.of("shout"), null, "shouting"));
  }

  @Override
  public List<Object> commands(PackContext context) {
    return List.of(new ShoutCommand(context));
  }

  @Command(name = "shout", description = "Shouts a word and says where the data lives.")
  static final class ShoutCommand implements Callable<Integer> {
    private final PackContext context;
    @Spec CommandSpec spec;
    @Parameters(index = "0") String word;

    ShoutCommand(PackContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      spec.commandLine().getOut().printf("%s (data %s, volume %s)%n", word.toUpperCase(Locale.ROOT), context.dataDir(),
          context.settings().path("volume").asText("unset"));
      return 0;
    }
  }
}
