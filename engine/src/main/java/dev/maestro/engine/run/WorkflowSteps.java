package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ResolvedModel;
import dev.maestro.engine.model.Usage;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunEvent.ToolCallRequested;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.workflow.WorkflowContext;
import dev.maestro.engine.workflow.WorkflowException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of a workflow run, recorded in its log. A resumed run executes its workflow from the
 * start again; the n-th call, note or model question of this execution is matched with the n-th
 * one in the log and, when it is there, answered from the log instead of done again.
 */
final class WorkflowSteps implements WorkflowContext {

  /** Unwinds a workflow when its run is cancelled or times out; workflows must not catch it. */
  static final class Halt extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Execution.Stop stop;

    Halt(Execution.Stop stop) {
      super("the run stopped", null, false, false);
      this.stop = stop;
    }
  }

  private final Execution execution;
  private final RunState state;
  private final Map<String, Tool> tools;
  private final ToolContext context;
  private final Instant deadline;
  private final int notesInLog;
  private int calls;
  private int notes;
  private int questions;
  private ResolvedModel model;

  WorkflowSteps(Execution execution, RunState state, Map<String, Tool> tools, ToolContext context, Instant deadline) {
    this.execution = execution;
    this.state = state;
    this.tools = tools;
    this.context = context;
    this.deadline = deadline;
    this.notesInLog = state.thoughts;
  }

  /** The id of the workflow's n-th tool call: the same in every execution of the run. */
  static String callId(int n) {
    return "step_" + n;
  }

  @Override
  public String call(String tool, JsonNode arguments) {
    int n = ++calls;
    String callId = callId(n);
    RunState.Call call = state.calls.get(callId);
    try {
      if (call == null) {
        execution.checkCancelled();
        var request = new ToolCallRequested(n, callId, tool, arguments, false);
        execution.emit(request);
        execution.execute(request, tools, context, deadline);
        execution.flush();
        call = state.calls.get(callId);
      } else if (!call.request.tool().equals(tool) || !call.request.arguments().equals(arguments)) {
        throw new WorkflowException("the workflow is not deterministic: its step " + n + " now calls " + tool + " " + arguments
            + " where the run's log has " + call.request.tool() + " " + call.request.arguments()
            + "; a workflow must take the same steps given the same input and results");
      }
    } catch (Execution.Stop stop) {
      throw new Halt(stop);
    }
    if (call.failed) {
      throw new ToolException(call.outcome);
    }
    return call.outcome;
  }

  @Override
  public void note(String text) {
    if (++notes <= notesInLog || text == null || text.isBlank()) {
      return; // recorded by an earlier execution of this run
    }
    execution.emit(new Thought(calls + 1, text.strip()));
  }

  @Override
  public Optional<String> ask(String prompt) {
    int n = ++questions;
    if (n <= state.steps.size()) {
      return Optional.ofNullable(state.steps.get(n - 1).model().text());
    }
    String ref = state.created.model();
    if (ref == null) {
      return Optional.empty();
    }
    try {
      execution.checkCancelled();
      if (model == null) {
        try {
          model = execution.resolveModel(ModelRef.parse(ref));
        } catch (MaestroException e) {
          throw Execution.fail("model_unavailable", e.getMessage());
        }
      }
      List<ChatMessage> messages = new ArrayList<>();
      String instructions = state.created.agent().instructions();
      if (!instructions.isBlank()) {
        messages.add(SystemMessage.from(instructions));
      }
      messages.add(UserMessage.from(prompt));
      long t0 = System.nanoTime();
      ChatResponse response = execution.callModel(model, ChatRequest.builder().messages(messages).build(), deadline);
      long latencyMs = (System.nanoTime() - t0) / 1_000_000;
      String text = response == null || response.aiMessage() == null ? null : response.aiMessage().text();
      Usage usage = model.usage().apply(response);
      String finish = response == null || response.finishReason() == null ? null : response.finishReason().name().toLowerCase();
      execution.emit(new ModelCalled(n, ref, text, List.of(), usage.inputTokens(), usage.outputTokens(), usage.cachedTokens(), latencyMs, finish));
      execution.flush();
      return Optional.ofNullable(text);
    } catch (Execution.Stop stop) {
      throw new Halt(stop);
    }
  }

  @Override
  public ToolContext toolContext() {
    return context;
  }
}
