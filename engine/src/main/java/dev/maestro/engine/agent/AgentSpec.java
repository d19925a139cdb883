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
 */
public record AgentSpec(
    String id,
    String name,
    String description,
    AgentKind kind,
    String model,
    String instructions,
    List<String> tools,
    Limits limits) {

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
    if (model == null || model.isBlank()) {
      throw new InvalidInputException(
          "agent '" + id + "' has no 'model'; give one such as 'openai:gpt-4o-mini' or 'replay:transcript.jsonl'");
    }
    ModelRef.parse(model); // validates the reference's shape
    instructions = instructions == null ? "" : instructions;
    tools = tools == null ? List.of() : List.copyOf(tools);
    for (String tool : tools) {
      if (tool == null || tool.isBlank()) {
        throw new InvalidInputException("agent '" + id + "' lists an empty tool name in 'tools'");
      }
    }
    limits = limits == null ? Limits.DEFAULT : limits;
  }

  /** A copy that uses another model reference. */
  public AgentSpec withModel(String newModel) {
    return new AgentSpec(id, name, description, kind, Objects.requireNonNull(newModel), instructions, tools, limits);
  }
}
