package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.model.ResolvedModel;
import dev.maestro.engine.model.Usage;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One reasoning step on a given context, with nothing executed and nothing stored: what the model
 * would think and do next. For trying instructions and tools out, and for callers that run their
 * own loop.
 */
public final class Reasoner {
  private final ModelResolver models;

  public Reasoner(ModelResolver models) {
    this.models = models;
  }

  /** A turn of earlier conversation: role {@code user} or {@code assistant}. */
  public record Turn(String role, String content) {}

  /** A tool call the model asked for (not executed). */
  public record Action(String tool, JsonNode arguments) {}

  /**
   * What the model answered.
   *
   * @param action the tool call it asked for, if any
   * @param finalAnswer its final answer, if it gave one
   */
  public record Step(String model, String thought, List<Action> actions, String finalAnswer, String text, long inputTokens,
      long outputTokens, long cachedTokens, long latencyMs) {}

  /**
   * Asks the agent's model for its next step.
   *
   * @throws InvalidInputException if the input is empty or a turn's role unknown
   * @throws MaestroException if the model cannot be reached (its message names what to configure)
   */
  public Step reason(AgentSpec agent, String model, List<Tool> tools, List<Turn> history, String input) {
    if (input == null || input.isBlank()) {
      throw new InvalidInputException("'input' is empty; give the goal or question to reason about");
    }
    String ref = model == null || model.isBlank() ? agent.model() : model;
    if (ref == null) {
      throw new InvalidInputException("agent '" + agent.id() + "' has no model; give 'model', such as 'openai:gpt-4o-mini'");
    }
    ResolvedModel resolved = models.resolve(ModelRef.parse(ref));
    List<ToolSpec> specs = tools.stream().map(Tool::spec).toList();
    var messages = new ArrayList<ChatMessage>();
    messages.add(SystemMessage.from(Conversation.systemPrompt(agent, specs, resolved.nativeTools())));
    for (Turn turn : history == null ? List.<Turn>of() : history) {
      String role = turn.role() == null ? "" : turn.role();
      switch (role) {
        case "user" -> messages.add(UserMessage.from(turn.content()));
        case "assistant" -> messages.add(AiMessage.from(turn.content()));
        default -> throw new InvalidInputException("history turn role '" + role + "' is not known; use 'user' or 'assistant'");
      }
    }
    messages.add(UserMessage.from(input));
    var request = ChatRequest.builder().messages(messages);
    if (resolved.nativeTools() && !specs.isEmpty()) {
      request.toolSpecifications(specs.stream().map(Schemas::toolSpecification).toList());
    } else if (!specs.isEmpty()) {
      request.stopSequences(List.of("\nObservation:"));
    }
    long t0 = System.nanoTime();
    ChatResponse response;
    try {
      response = resolved.chatModel().chat(request.build());
    } catch (MaestroException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MaestroException("the model call failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    long latency = (System.nanoTime() - t0) / 1_000_000;
    AiMessage ai = response.aiMessage();
    Usage usage = resolved.usage().apply(response);
    String thought = null;
    String answer = null;
    var actions = new ArrayList<Action>();
    if (ai.hasToolExecutionRequests()) {
      thought = ai.text();
      for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
        actions.add(new Action(r.name(), Execution.parseArguments(r.arguments())));
      }
    } else {
      switch (TextProtocol.parse(ai.text())) {
        case TextProtocol.Final f -> {
          thought = f.thought();
          answer = f.answer();
        }
        case TextProtocol.Action a -> {
          thought = a.thought();
          ToolSpec spec = specs.stream().filter(s -> s.name().equals(a.tool())).findFirst().orElse(null);
          JsonNode args = TextProtocol.arguments(a.input(), spec);
          actions.add(new Action(a.tool(), args == null ? TextNode.valueOf(a.input()) : args));
        }
      }
    }
    return new Step(ref, thought == null || thought.isBlank() ? null : thought.strip(), actions, answer, ai.text(),
        usage.inputTokens(), usage.outputTokens(), usage.cachedTokens(), latency);
  }
}
