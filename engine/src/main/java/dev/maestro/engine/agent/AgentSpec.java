package dev.maestro.engine.agent;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.model.ModelRef;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an agent is: its identity, the model it thinks with, its instructions, the tools it may
 * call and the limits of each run. Immutable; validated on construction so a bad spec is refused
 * before anything is stored.
 *
 * @param id stable identifier, lower-case letters, digits, '-' and '_' (at most 64)
 * @param name display name; the id when absent
 * @param model model reference {@code provider:model}, e.g. {@code openai:gpt-4o-mini} or {@code
 *     replay:transcript.jsonl}
 * @param tools names of the tools the agent may call; empty means none
 * @param workflow for {@code kind: workflow}, the id of the {@link dev.maestro.engine.workflow.Workflow}
 *     it runs; its model is then optional and only used when the workflow asks one
 * @param memory how the agent's runs use memory where it differs from the platform's settings; null
 *     when it does not
 */
public record AgentSpec(
    String id,
    String name,
    String description,
    AgentKind kind,
    String model,
    String instructions,
    List<String> tools,
    Limits limits,
    String workflow,
    AgentMemory memory) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public AgentSpec {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("agent 'id' is missing; give a short id such as 'incident-analyst'");
    }
    if (!ID.matcher(id).matches()) {
      throw new InvalidInputException(
          "agent id '" + id + "' is not valid; use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit");
    }
    name = name == null || name.isBlank() ? id : name;
    description = description == null ? "" : description;
    kind = kind == null ? AgentKind.REACT : kind;
    workflow = workflow == null || workflow.isBlank() ? null : workflow;
    if (kind == AgentKind.WORKFLOW && workflow == null) {
      throw new InvalidInputException("agent '" + id + "' is of kind 'workflow' but names no 'workflow'; give the id of the workflow it runs");
    }
    if (kind == AgentKind.REACT && workflow != null) {
      throw new InvalidInputException("agent '" + id + "' names workflow '" + workflow + "' but is of kind 'react'; set 'kind: workflow'");
    }
    model = model == null || model.isBlank() ? null : model;
    if (model == null && kind == AgentKind.REACT) {
      throw new InvalidInputException(
          "agent '" + id + "' has no 'model'; give one such as 'openai:gpt-4o-mini' or 'replay:transcript.jsonl'");
    }
    if (model != null) {
      ModelRef.parse(model); // validates the reference's shape
    }
    instructions = instructions == null ? "" : instructions;
    tools = tools == null ? List.of() : List.copyOf(tools);
    for (String tool : tools) {
      if (tool == null || tool.isBlank()) {
        throw new InvalidInputException("agent '" + id + "' lists an empty tool name in 'tools'");
      }
    }
    limits = limits == null ? Limits.DEFAULT : limits;
  }

  /** A ReAct agent (no workflow) that uses memory as the platform's settings say. */
  public AgentSpec(
      String id, String name, String description, AgentKind kind, String model, String instructions, List<String> tools, Limits limits) {
    this(id, name, description, kind, model, instructions, tools, limits, null, null);
  }

  /** An agent that uses memory as the platform's settings say. */
  public AgentSpec(
      String id, String name, String description, AgentKind kind, String model, String instructions, List<String> tools, Limits limits,
      String workflow) {
    this(id, name, description, kind, model, instructions, tools, limits, workflow, null);
  }

  /** A copy that uses another model reference. */
  public AgentSpec withModel(String newModel) {
    return new AgentSpec(id, name, description, kind, Objects.requireNonNull(newModel), instructions, tools, limits, workflow, memory);
  }
}
