package dev.maestro.engine.run;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.memory.MemoryPrompt;
import dev.maestro.engine.memory.Recall;
import dev.maestro.engine.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds the messages for the next model call from the run's state: the same on first run and on resume. */
final class Conversation {
  private Conversation() {}

  /** The system prompt and the user's input: the same for every model call of an execution. */
  static List<ChatMessage> prefix(RunState state, List<ToolSpec> tools, boolean nativeTools) {
    String system = systemPrompt(state.created.agent(), tools, nativeTools);
    if (state.memories != null) {
      system = system + "\n\n" + state.memories;
    }
    return List.of(SystemMessage.from(system), UserMessage.from(state.created.input()));
  }

  /**
   * The agent's memories most relevant to the run's input, within the token budget, as the event
   * that records them; null when the run has recalled already (or started its steps), when memory
   * is off, or when nothing relevant is remembered.
   */
  static RunEvent.MemoryRecalled recall(RunEngine.MemoryRecall memory, RunState state) {
    if (memory == null || state.memories != null || !state.steps.isEmpty()) {
      return null;
    }
    var settings = memory.settings().of(state.created.agent());
    if (settings.recallLimit() == 0) {
      return null;
    }
    var found = memory.memories().recall(new Recall(state.created.agentId(), state.created.input(), Set.of(), settings.recallLimit()));
    var fitting = MemoryPrompt.fitting(found, settings.tokenBudget());
    if (fitting.isEmpty()) {
      return null;
    }
    return new RunEvent.MemoryRecalled(1, fitting.stream().map(r -> r.memory().id()).toList(), MemoryPrompt.render(fitting));
  }

  static List<ChatMessage> messages(RunState state, List<ChatMessage> prefix) {
    var messages = new ArrayList<ChatMessage>(prefix);
    for (RunState.Step step : state.steps) {
      if (step.messages == null) {
        List<ChatMessage> built = stepMessages(step);
        if (!step.finished()) {
          messages.addAll(built);
          continue;
        }
        step.messages = List.copyOf(built);
      }
      messages.addAll(step.messages);
    }
    return messages;
  }

  private static List<ChatMessage> stepMessages(RunState.Step step) {
    var messages = new ArrayList<ChatMessage>();
    var nativeCalls = step.calls().stream().filter(c -> c.request.nativeCall()).toList();
    if (!nativeCalls.isEmpty()) {
      var requests = nativeCalls.stream()
          .map(c -> ToolExecutionRequest.builder()
              .id(c.request.callId())
              .name(c.request.tool())
              .arguments(Json.write(c.request.arguments()))
              .build())
          .toList();
      String text = step.model().text();
      messages.add(text == null || text.isBlank() ? AiMessage.from(requests) : AiMessage.from(text, requests));
      for (RunState.Call c : nativeCalls) {
        messages.add(ToolExecutionResultMessage.from(c.request.callId(), c.request.tool(), observation(c)));
      }
    } else {
      messages.add(AiMessage.from(nonBlank(step.model().text())));
      for (RunState.Call c : step.calls()) {
        messages.add(UserMessage.from("Observation: " + observation(c)));
      }
    }
    return messages;
  }

  private static String observation(RunState.Call c) {
    if (c.outcome == null) {
      return "(no result)";
    }
    return c.failed ? "Error: " + c.outcome : c.outcome;
  }

  private static String nonBlank(String text) {
    return text == null || text.isBlank() ? "(no text)" : text;
  }

  static String systemPrompt(AgentSpec agent, List<ToolSpec> tools, boolean nativeTools) {
    var sb = new StringBuilder();
    sb.append(agent.instructions().isBlank() ? "You are " + agent.name() + ", a helpful agent." : agent.instructions().strip());
    if (!nativeTools && !tools.isEmpty()) {
      sb.append("\n\n").append(TextProtocol.instructions(tools));
    }
    return sb.toString();
  }
}
