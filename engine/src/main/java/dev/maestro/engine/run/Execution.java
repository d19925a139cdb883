package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelUnavailableException;
import dev.maestro.engine.model.ResolvedModel;
import dev.maestro.engine.model.Usage;
import dev.maestro.engine.run.RunEvent.ApprovalRejected;
import dev.maestro.engine.run.RunEvent.ApprovalRequested;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.RunCancelled;
import dev.maestro.engine.run.RunEvent.RunCompleted;
import dev.maestro.engine.run.RunEvent.RunFailed;
import dev.maestro.engine.run.RunEvent.RunStarted;
import dev.maestro.engine.run.RunEvent.SafetyDecided;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.run.RunEvent.ToolCallRequested;
import dev.maestro.engine.run.RunEvent.ToolCallStarted;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Decision;
import dev.maestro.engine.safety.RateLimiter;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.workflow.Workflow;
import dev.maestro.engine.workflow.WorkflowException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of a run: the ReAct loop (model call, tool calls, observations, repeat) from
 * wherever the log says the run is. Events are buffered and appended before anything with an effect
 * happens: a tool call's start is stored before the tool runs, its outcome before the next model
 * call.
 */
final class Execution {
  private static final Logger LOG = LoggerFactory.getLogger(Execution.class);
  /** Observations longer than this are cut: beyond it they crowd the model's context and the log. */
  static final int MAX_OBSERVATION_CHARS = 100_000;
  static final String UNKNOWN_OUTCOME =
      "the outcome of this call is unknown: the run was interrupted while it executed, and the tool is not"
          + " idempotent, so it was not repeated. Check whether it took effect before calling it again.";

  private final RunEngine engine;
  private final String runId;
  final RunHandle handle;
  private final List<RunEvent> pending = new ArrayList<>();
  /** How many of the pending events are outcomes of idempotent calls, which may be stored lazily. */
  private int pendingIdempotentOutcomes;
  private volatile String cancelReason;
  private volatile Future<?> inFlight;
  /** The log as the engine just wrote it when it started the run, or null to read it from the store. */
  private final List<RecordedEvent> initialLog;
  private RunState state;

  /** The engine is stopping: leave the run as its log has it, to be resumed on the next start. */
  static final class Detached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Detached() {
      super("the engine is stopping", null, false, false);
    }
  }

  /** A call waits for people to approve it: the run's log says so, and this execution ends, holding no thread. */
  static final class Suspended extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Suspended() {
      super("waiting for approval", null, false, false);
    }
  }

  /** Why the loop stopped early: cancellation or the run's deadline. */
  static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;
    final RunEvent terminal;

    Stop(RunEvent terminal) {
      super(null, null, false, false);
      this.terminal = terminal;
    }
  }

  Execution(RunEngine engine, String runId, RunHandle handle, List<RecordedEvent> initialLog) {
    this.engine = engine;
    this.runId = runId;
    this.handle = handle;
    this.initialLog = initialLog;
  }

  void cancel(String reason) {
    cancelReason = reason;
    abandonCall();
  }

  /** Abandons the model or tool call in flight, if any (the engine is stopping, or the run cancelled). */
  void abandonCall() {
    Future<?> call = inFlight;
    if (call != null) {
      call.cancel(true);
    }
  }

  Run run() {
    boolean fresh = initialLog != null;
    state = RunState.fold(fresh ? initialLog : engine.store.events(runId, 0));
    if (state.run.status().terminal() || state.awaited(engine.clock.instant()) != null) {
      return state.run; // finished, or still waiting for people: nothing to do until they answer
    }
    try {
      if (!fresh) { // a new run's run_started was appended with its run_created
        emit(new RunStarted(state.everStarted, engine.worker));
        flush();
      }
      try {
        if (state.created.agent().kind() == AgentKind.WORKFLOW) {
          workflow();
        } else {
          loop();
        }
      } catch (Stop stop) {
        emit(stop.terminal); // after whatever the step had already recorded
        flush();
      }
      return state.run;
    } catch (Suspended e) {
      flush();
      return state.run;
    } catch (Detached e) {
      LOG.info("run {} left unfinished: the engine is stopping; it resumes on the next start", runId);
      return state.run;
    } catch (ConflictException e) {
      // Another writer moved the log on (a cancel, or this run resumed elsewhere): it owns the run now.
      LOG.info("run {} stopped executing here: {}", runId, e.getMessage());
      return engine.store.find(runId).orElseThrow();
    } catch (RuntimeException e) {
      if (engine.stopping) {
        LOG.info("run {} left unfinished as the engine stops ({})", runId, e.toString());
        return state.run;
      }
      LOG.error("run {} failed inside the engine", runId, e);
      pending.clear();
      pendingIdempotentOutcomes = 0;
      emit(new RunFailed("internal", "the engine failed: " + e));
      flush();
      return state.run;
    }
  }

  private void loop() throws Stop {
    AgentSpec agent = state.created.agent();
    Limits limits = agent.limits();
    Instant deadline = limits.timeout() == null ? null : engine.clock.instant().plus(limits.timeout());
    ResolvedModel model;
    List<Tool> tools;
    try {
      model = engine.models.resolve(ModelRef.parse(state.created.model()));
    } catch (MaestroException e) {
      throw fail("model_unavailable", e.getMessage());
    }
    try {
      tools = engine.tools.select(agent.tools());
    } catch (MaestroException e) {
      throw fail("invalid_agent", "agent '" + agent.id() + "': " + e.getMessage());
    }
    Map<String, Tool> byName = new LinkedHashMap<>();
    tools.forEach(t -> byName.put(t.spec().name(), t));
    List<ToolSpec> specs = tools.stream().map(Tool::spec).toList();
    List<ToolSpecification> nativeSpecs = model.nativeTools() ? specs.stream().map(Schemas::toolSpecification).toList() : List.of();
    var context = new ToolContext(runId, agent.id(), Path.of(state.created.workdir()));
    recallMemories();
    var prefix = Conversation.prefix(state, specs, model.nativeTools());

    finishInterruptedCalls(byName, context, deadline);
    flush();

    while (true) {
      checkCancelled();
      if (state.steps.size() >= limits.maxSteps()) {
        throw fail("max_steps", "the agent used all " + limits.maxSteps()
            + " steps without a final answer; raise limits.max_steps or narrow the task");
      }
      String overQuota = engine.overQuota(agent.id());
      if (overQuota != null) {
        throw fail("quota", overQuota);
      }
      var request = ChatRequest.builder().messages(Conversation.messages(state, prefix));
      if (!nativeSpecs.isEmpty()) {
        request.toolSpecifications(nativeSpecs);
      } else if (!specs.isEmpty()) {
        request.stopSequences(List.of("\nObservation:"));
      }
      ChatRequest chat = request.build();
      long t0 = System.nanoTime();
      ChatResponse response = callModel(model, chat, deadline);
      long latencyMs = (System.nanoTime() - t0) / 1_000_000;
      if (response == null || response.aiMessage() == null) {
        throw fail("model_error", "the model returned no message");
      }
      if (step(model, response, latencyMs, byName, context, deadline, limits)) {
        return;
      }
      flush();
    }
  }

  /** Records the agent's relevant memories before the first model call; memory that fails never fails the run. */
  private void recallMemories() {
    RunEvent.MemoryRecalled recalled;
    try {
      recalled = Conversation.recall(engine.memory, state);
    } catch (RuntimeException e) {
      LOG.warn("run {}: memories not recalled: {}", runId, e.toString());
      return;
    }
    if (recalled != null) {
      emit(recalled);
      flush();
    }
  }

  /** Runs a workflow agent's workflow, whose steps are recorded (or, on resume, replayed) by {@link WorkflowSteps}. */
  private void workflow() throws Stop {
    AgentSpec agent = state.created.agent();
    Workflow workflow = engine.workflows.get(agent.workflow());
    if (workflow == null) {
      throw fail("invalid_agent", "agent '" + agent.id() + "' runs workflow '" + agent.workflow() + "', which is not installed; installed: "
          + engine.workflows.keySet());
    }
    Map<String, Tool> byName = new LinkedHashMap<>();
    try {
      engine.tools.select(agent.tools()).forEach(t -> byName.put(t.spec().name(), t));
    } catch (MaestroException e) {
      throw fail("invalid_agent", "agent '" + agent.id() + "': " + e.getMessage());
    }
    Limits limits = agent.limits();
    Instant deadline = limits.timeout() == null ? null : engine.clock.instant().plus(limits.timeout());
    var context = new ToolContext(runId, agent.id(), Path.of(state.created.workdir()));
    finishInterruptedCalls(byName, context, deadline);
    flush();
    String answer;
    try {
      answer = workflow.run(state.created.input(), new WorkflowSteps(this, state, byName, context, deadline));
    } catch (WorkflowSteps.Halt halt) {
      throw halt.stop;
    } catch (WorkflowException e) {
      throw fail("workflow_failed", e.getMessage());
    } catch (ToolException e) {
      throw fail("tool_failed", "workflow '" + workflow.id() + "' stopped at a failed tool call: " + e.getMessage());
    }
    checkCancelled(); // in case the workflow swallowed a Halt
    emit(new RunCompleted(answer == null || answer.isBlank() ? "(the workflow returned no output)" : answer));
    flush();
  }

  ResolvedModel resolveModel(ModelRef ref) {
    return engine.models.resolve(ref);
  }

  /** Records one model turn and executes its tool calls; true when the run has its final answer. */
  private boolean step(ResolvedModel model, ChatResponse response, long latencyMs, Map<String, Tool> byName,
      ToolContext context, Instant deadline, Limits limits) throws Stop {
    int step = state.steps.size() + 1;
    AiMessage ai = response.aiMessage();
    Usage usage = model.usage().apply(response);
    var calls = new ArrayList<ToolCallRequested>();
    var nativeCalls = new ArrayList<ToolCall>();
    String thought;
    String answer = null;
    if (ai.hasToolExecutionRequests()) {
      thought = ai.text();
      int i = 0;
      for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
        String id = r.id() == null || r.id().isBlank() ? "call_" + step + "_" + (++i) : r.id();
        JsonNode args = parseArguments(r.arguments());
        nativeCalls.add(new ToolCall(id, r.name(), args));
        calls.add(new ToolCallRequested(step, id, r.name(), args, true));
      }
    } else {
      switch (TextProtocol.parse(ai.text())) {
        case TextProtocol.Final f -> {
          thought = f.thought();
          answer = f.answer();
        }
        case TextProtocol.Action a -> {
          thought = a.thought();
          Tool tool = byName.get(a.tool());
          JsonNode args = TextProtocol.arguments(a.input(), tool == null ? null : tool.spec());
          calls.add(new ToolCallRequested(step, "call_" + step + "_1", a.tool(), args == null ? TextNode.valueOf(a.input()) : args, false));
        }
      }
    }
    String finish = response.finishReason() == null ? null : response.finishReason().name().toLowerCase();
    emit(new ModelCalled(step, state.created.model(), ai.text(), nativeCalls, usage.inputTokens(), usage.outputTokens(),
        usage.cachedTokens(), latencyMs, finish));
    if (thought != null && !thought.isBlank()) {
      emit(new Thought(step, thought.strip()));
    }
    long used = state.run.totalTokens() + usage.total();
    if (limits.tokenBudget() != null && used > limits.tokenBudget()) {
      emit(new RunFailed("token_budget", "the run used " + used + " tokens, over its budget of " + limits.tokenBudget()
          + "; raise limits.token_budget"));
      flush();
      return true;
    }
    if (calls.isEmpty()) {
      if (answer == null || answer.isBlank()) {
        emit(new RunFailed("model_error", "the model answered with neither text nor a tool call"));
      } else {
        emit(new RunCompleted(answer));
      }
      flush();
      return true;
    }
    calls.forEach(this::emit);
    for (ToolCallRequested call : calls) {
      execute(call, byName, context, deadline);
    }
    return false;
  }

  private void finishInterruptedCalls(Map<String, Tool> byName, ToolContext context, Instant deadline) throws Stop {
    for (RunState.Call call : state.unfinishedCalls()) {
      ToolCallRequested r = call.request;
      Tool tool = byName.get(r.tool());
      if (call.started && (tool == null || !tool.idempotent(r.arguments()))) {
        emit(new ToolCallFailed(r.callId(), r.tool(), UNKNOWN_OUTCOME, 0, true));
      } else {
        execute(r, byName, context, deadline);
      }
    }
  }

  void execute(ToolCallRequested call, Map<String, Tool> byName, ToolContext context, Instant deadline) throws Stop {
    Tool tool = byName.get(call.tool());
    if (tool == null) {
      emit(new ToolCallFailed(call.callId(), call.tool(), "there is no tool '" + call.tool() + "'; use one of " + byName.keySet(), 0, false));
      return;
    }
    if (!call.arguments().isObject()) {
      emit(new ToolCallFailed(call.callId(), call.tool(), "the arguments were not a JSON object: " + call.arguments().asText()
          + "; give the arguments as one JSON object matching the tool's parameters", 0, false));
      return;
    }
    checkCancelled();
    if (!cleared(call, tool, context)) {
      return;
    }
    emit(new ToolCallStarted(call.callId(), call.tool()));
    flush();
    long t0 = System.nanoTime();
    Future<String> future = engine.executor.submit(() -> tool.call(call.arguments(), context));
    Duration timeout = tool.spec().timeout();
    Instant toolDeadline = engine.clock.instant().plus(timeout);
    RunEvent outcome;
    try {
      String output = await(future, earliest(toolDeadline, deadline));
      outcome = new ToolCallCompleted(call.callId(), call.tool(), cap(output == null ? "" : output), millisSince(t0));
    } catch (TimeoutException e) {
      future.cancel(true);
      if (deadline != null && !engine.clock.instant().isBefore(deadline)) {
        emit(new ToolCallFailed(call.callId(), call.tool(), "the run's timeout was reached while the tool ran", millisSince(t0), true));
        throw timeout();
      }
      outcome = new ToolCallFailed(call.callId(), call.tool(), "the tool did not finish within " + seconds(timeout) + "; its outcome is unknown",
          millisSince(t0), true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof ToolException ? cause.getMessage() : "the tool failed: " + cause;
      outcome = new ToolCallFailed(call.callId(), call.tool(), message, millisSince(t0), false);
    } catch (Stop stop) {
      future.cancel(true);
      emit(new ToolCallFailed(call.callId(), call.tool(), "the run was cancelled while the tool ran", millisSince(t0), true));
      throw stop;
    }
    emit(outcome);
    if (tool.idempotent(call.arguments())) {
      pendingIdempotentOutcomes++;
    }
  }

  /**
   * Whether the call may execute now: the safety engine allows it, or the people it needed have
   * approved it. A blocked or rejected call gets its failure recorded here; a call that must wait
   * records its approval request and suspends the run.
   */
  private boolean cleared(ToolCallRequested call, Tool tool, ToolContext context) {
    ApprovalRequest approval = state.approvals.get(call.callId());
    Instant now = engine.clock.instant();
    if (approval == null) {
      Decision decision = engine.safety.get().decide(context.agentId(), tool, call.arguments(), context.workdir());
      RateLimiter.Refusal limited = decision.action() == Action.BLOCK ? null
          : engine.rateLimiter.tryAcquire(context.agentId(), call.tool(), decision.rateLimits(), now);
      if (limited != null) {
        emit(new SafetyDecided(call.callId(), call.tool(), decision.risk(), Action.BLOCK, limited.policy(), limited.reason()));
        emit(new ToolCallFailed(call.callId(), call.tool(), "refused by a " + limited.reason() + ". It was not executed.", 0, false));
        return false;
      }
      emit(new SafetyDecided(call.callId(), call.tool(), decision.risk(), decision.action(), decision.policy(), decision.reason()));
      switch (decision.action()) {
        case ALLOW, LOG -> {
          return true;
        }
        case BLOCK -> {
          emit(new ToolCallFailed(call.callId(), call.tool(), "this call is blocked (" + decision.policy() + "): " + decision.reason()
              + ". It was not executed; do not try it again — find another way or say in your answer why you cannot.", 0, false));
          return false;
        }
        case REQUIRE_APPROVAL -> {
          emit(new ApprovalRequested(engine.approvalId(), call.callId(), call.tool(), call.arguments(), decision.risk(),
              decision.approvers(), now.plus(decision.approvalWindow()), decision.policy(), decision.reason()));
          flush();
          throw new Suspended();
        }
      }
    }
    switch (approval.status()) {
      case APPROVED -> {
        return true;
      }
      case PENDING -> {
        if (now.isBefore(approval.deadline())) {
          throw new Suspended();
        }
        emit(new ApprovalRejected(approval.id(), "system", "nobody approved it before its deadline " + approval.deadline(), true));
        emit(new ToolCallFailed(call.callId(), call.tool(), expired(approval), 0, false));
        return false;
      }
      case EXPIRED -> {
        emit(new ToolCallFailed(call.callId(), call.tool(), expired(approval), 0, false));
        return false;
      }
      case REJECTED -> {
        emit(new ToolCallFailed(call.callId(), call.tool(), "a person (" + approval.resolvedBy() + ") rejected this call"
            + (approval.comment() == null || approval.comment().isBlank() ? "" : ": " + approval.comment())
            + ". It was not executed; do not repeat it unchanged — take another way or say in your answer why you cannot.", 0, false));
        return false;
      }
    }
    throw new IllegalStateException("approval status " + approval.status());
  }

  private static String expired(ApprovalRequest approval) {
    return "nobody approved this call before its deadline (" + approval.deadline() + "), so it counts as rejected and was not executed;"
        + " do not repeat it unchanged — take another way or say in your answer why you cannot.";
  }

  ChatResponse callModel(ResolvedModel model, ChatRequest request, Instant deadline) throws Stop {
    Future<ChatResponse> future = engine.executor.submit((Callable<ChatResponse>) () -> model.chatModel().chat(request));
    try {
      return await(future, deadline);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ModelUnavailableException u) {
        throw fail("model_unavailable", u.getMessage());
      }
      throw fail("model_error", "the model call failed: " + describe(cause));
    } catch (Stop stop) {
      future.cancel(true);
      throw stop;
    }
  }

  /**
   * Waits for a model or tool call until the deadline. {@link #cancel} cancels the call in flight,
   * so the wait ends at once without polling.
   */
  private <T> T await(Future<T> future, Instant deadline) throws TimeoutException, ExecutionException, Stop {
    inFlight = future;
    try {
      checkCancelled(); // a cancel that came before the call was in flight
      if (deadline == null) {
        return future.get();
      }
      long left = Duration.between(engine.clock.instant(), deadline).toNanos();
      if (left <= 0) {
        throw new TimeoutException();
      }
      return future.get(left, TimeUnit.NANOSECONDS);
    } catch (CancellationException e) {
      if (engine.stopping) {
        throw new Detached();
      }
      checkCancelled();
      throw new ExecutionException(e);
    } catch (InterruptedException e) {
      if (engine.stopping) {
        throw new Detached();
      }
      Thread.currentThread().interrupt();
      throw new Stop(new RunCancelled("the process executing the run was interrupted"));
    } finally {
      inFlight = null;
    }
  }

  void checkCancelled() throws Stop {
    if (engine.stopping) {
      throw new Detached();
    }
    String reason = cancelReason;
    if (reason != null) {
      throw new Stop(new RunCancelled(reason));
    }
  }

  private Stop timeout() {
    return fail("timeout", "the run took longer than its timeout of " + seconds(state.created.agent().limits().timeout())
        + "; raise limits.timeout or narrow the task");
  }

  static Stop fail(String code, String reason) {
    return new Stop(new RunFailed(code, reason));
  }

  void emit(RunEvent event) {
    pending.add(event);
  }

  /**
   * Appends what is buffered, in one transaction, and folds it into the state. When all of it is the
   * outcome of idempotent calls it need not wait for the disk: lost in a crash, those calls are
   * simply made again on resume, and the next append that starts anything makes it durable first.
   */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Durability durability = pendingIdempotentOutcomes == pending.size() ? Durability.DEFERRED : Durability.IMMEDIATE;
    List<RecordedEvent> recorded = engine.store.append(runId, state.lastSeq(), engine.clock.instant(), List.copyOf(pending), durability);
    pending.clear();
    pendingIdempotentOutcomes = 0;
    recorded.forEach(state::apply);
    engine.notify(recorded);
  }

  /** A native tool call's arguments as JSON; text that is not JSON is kept as a string for the error to show. */
  static JsonNode parseArguments(String json) {
    if (json == null || json.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return TextNode.valueOf(json);
    }
  }

  private static String cap(String output) {
    if (output.length() <= MAX_OBSERVATION_CHARS) {
      return output;
    }
    return output.substring(0, MAX_OBSERVATION_CHARS) + "\n[cut: the result was " + output.length() + " characters; showing the first "
        + MAX_OBSERVATION_CHARS + "]";
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  private static Instant earliest(Instant a, Instant b) {
    return b == null || a.isBefore(b) ? a : b;
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
