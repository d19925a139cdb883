package dev.maestro.engine.run;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.memory.Memories;
import dev.maestro.engine.memory.MemorySettings;
import dev.maestro.engine.memory.RunOutcomes;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.LimitExceededException;
import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.model.Usage;
import dev.maestro.engine.safety.RateLimiter;
import dev.maestro.engine.safety.SafetyEngine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.temporal.ChronoUnit;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.workflow.Workflow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Starts, resumes and cancels runs. Each run executes on its own virtual thread; everything it does
 * is appended to its log in the {@link RunStore} before it matters, so a run interrupted by a crash
 * continues from its log with {@link #resume}.
 */
public final class RunEngine implements AutoCloseable {

  final RunStore store;
  final ToolRegistry tools;
  final ModelResolver models;
  final Map<String, Workflow> workflows;
  final Clock clock;
  final String worker;
  /** The safety engine for the policies in force now; asked once per tool call. */
  final Supplier<SafetyEngine> safety;
  final RateLimiter rateLimiter = new RateLimiter();
  private final Pricing pricing;
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Supplier<String> ids;
  private final List<RunListener> listeners;
  private final ConcurrentMap<String, Execution> active = new ConcurrentHashMap<>();
  /** Runs whose approval was resolved while their execution was still winding down: launch them again. */
  private final Set<String> wakeups = ConcurrentHashMap.newKeySet();
  /** The agents' memory and how runs use it, or null when runs remember nothing. */
  final MemoryRecall memory;
  /** Writes episodic memories of finished runs, or null. */
  private final RunOutcomes outcomes;
  volatile boolean stopping;

  private RunEngine(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.tools = Objects.requireNonNull(b.tools, "tools");
    this.models = Objects.requireNonNull(b.models, "models");
    this.workflows = Map.copyOf(b.workflows);
    this.clock = b.clock;
    this.ids = b.ids;
    this.memory = b.memory;
    var listeners = new ArrayList<>(b.listeners);
    // Even when the platform remembers no runs, an agent may ask for its own to be remembered.
    this.outcomes = memory != null ? new RunOutcomes(memory.memories(), store, memory.settings()) : null;
    if (outcomes != null) {
      listeners.add(outcomes);
    }
    this.listeners = List.copyOf(listeners);
    this.worker = b.worker;
    this.safety = b.safety;
    this.pricing = b.pricing;
  }

  /** An agent memory service and how runs use it. */
  record MemoryRecall(Memories memories, MemorySettings settings) {}

  /** How runs use memory where their agent does not say otherwise; null when runs have no memory. */
  public MemorySettings memorySettings() {
    return memory == null ? null : memory.settings();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a run of the agent on the input and starts executing it.
   *
   * @throws InvalidInputException if the input is empty or the model reference malformed
   */
  public RunHandle start(AgentSpec agent, String input, RunOptions options) {
    if (stopping) {
      throw new ConflictException("the engine is stopping; start the run again once it has restarted");
    }
    if (input == null || input.isBlank()) {
      throw new InvalidInputException("the run's input is empty; say what the agent should do");
    }
    String model = options.model() == null || options.model().isBlank() ? agent.model() : options.model();
    if (model != null) {
      ModelRef.parse(model);
    }
    if (agent.kind() == AgentKind.WORKFLOW && !workflows.containsKey(agent.workflow())) {
      throw new InvalidInputException("agent '" + agent.id() + "' runs workflow '" + agent.workflow() + "', which is not installed; installed: "
          + new TreeSet<>(workflows.keySet()));
    }
    List<SafetyEngine.AgentQuota> quotas = safety.get().quotas(agent.id());
    checkConcurrency(agent.id(), quotas);
    String overQuota = overQuota(agent.id(), quotas);
    if (overQuota != null) {
      throw new LimitExceededException(overQuota);
    }
    Path workdir = (options.workdir() == null ? Path.of("") : options.workdir()).toAbsolutePath().normalize();
    String runId = ids.get();
    var created = new RunEvent.RunCreated(agent.id(), agent, input, model, workdir.toString());
    List<RecordedEvent> log = store.append(runId, 0, clock.instant(), List.of(created, new RunEvent.RunStarted(false, worker)));
    notify(log);
    return launch(runId, log);
  }

  /**
   * Continues an unfinished run from its log: after a crash, a restart, or in another process.
   *
   * @throws NotFoundException if there is no such run
   * @throws ConflictException if it has already finished
   */
  public RunHandle resume(String runId) {
    Run run = store.find(runId).orElseThrow(() -> notFound(runId));
    if (run.status().terminal()) {
      throw new ConflictException("run " + runId + " is already " + run.status().wire() + "; only unfinished runs can be resumed");
    }
    Execution running = active.get(runId);
    return running != null ? running.handle : launch(runId, null);
  }

  /**
   * Cancels a run. One executing here stops at its next step boundary (an in-flight model or tool
   * call is abandoned); one not executing here is marked cancelled in its log at once.
   *
   * @throws NotFoundException if there is no such run
   * @throws ConflictException if it has already finished
   */
  public void cancel(String runId, String reason) {
    String why = reason == null || reason.isBlank() ? "cancelled by request" : reason;
    Execution running = active.get(runId);
    if (running != null) {
      running.cancel(why);
      return;
    }
    for (int attempt = 0; ; attempt++) {
      Run run = store.find(runId).orElseThrow(() -> notFound(runId));
      if (run.status().terminal()) {
        throw new ConflictException("run " + runId + " is already " + run.status().wire() + "; it cannot be cancelled");
      }
      var events = new ArrayList<RunEvent>();
      if (run.status() == RunStatus.WAITING_APPROVAL) {
        for (ApprovalRequest a : store.approvals(new ApprovalQuery(ApprovalStatus.PENDING, null, runId, null, null, null, null, 1000, 0))) {
          events.add(new RunEvent.ApprovalRejected(a.id(), "system", "the run was cancelled: " + why, false));
        }
      }
      events.add(new RunEvent.RunCancelled(why));
      try {
        notify(store.append(runId, run.lastSeq(), clock.instant(), events));
        return;
      } catch (ConflictException e) {
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  private RunHandle launch(String runId, List<RecordedEvent> initialLog) {
    var future = new CompletableFuture<Run>();
    var execution = new Execution(this, runId, new RunHandle(runId, future), initialLog);
    if (active.putIfAbsent(runId, execution) != null) {
      return active.get(runId).handle;
    }
    executor.execute(() -> {
      Run result = null;
      Throwable failure = null;
      try {
        result = execution.run();
      } catch (Throwable t) {
        failure = t;
      } finally {
        // Before completing: whoever sees the run finished must not find it still active here.
        active.remove(runId, execution);
      }
      if (wakeups.remove(runId) && !stopping) {
        launch(runId, null); // approved or rejected while this execution was suspending; it returns at once if still waiting
      }
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    });
    return execution.handle;
  }

  private void checkConcurrency(String agentId, List<SafetyEngine.AgentQuota> quotas) {
    for (SafetyEngine.AgentQuota q : quotas) {
      if (q.concurrentRuns() == null) {
        continue;
      }
      int unfinished = 0;
      for (RunStatus status : List.of(RunStatus.PENDING, RunStatus.RUNNING, RunStatus.WAITING_APPROVAL)) {
        unfinished += store.list(new RunQuery(agentId, status, null, null, q.concurrentRuns(), 0)).size();
      }
      if (unfinished >= q.concurrentRuns()) {
        throw new LimitExceededException("quota of policy " + q.policy() + ": agent " + agentId + " may have " + q.concurrentRuns()
            + " unfinished runs at once and has " + unfinished + "; wait for one to finish, or cancel one");
      }
    }
  }

  /**
   * Why the agent may not use more tokens or money today under its quotas, or null if it may.
   * Counts the runs created since midnight UTC.
   */
  String overQuota(String agentId) {
    return overQuota(agentId, safety.get().quotas(agentId));
  }

  private String overQuota(String agentId, List<SafetyEngine.AgentQuota> quotas) {
    if (quotas.stream().allMatch(q -> q.tokensPerDay() == null && q.costPerDay() == null)) {
      return null;
    }
    Instant midnight = clock.instant().truncatedTo(ChronoUnit.DAYS);
    List<UsageTotal> usage = store.usage(agentId, midnight);
    long tokens = usage.stream().mapToLong(u -> u.inputTokens() + u.outputTokens()).sum();
    BigDecimal cost = BigDecimal.ZERO;
    var unpriced = new ArrayList<String>();
    for (UsageTotal u : usage) {
      if (u.model() == null || u.inputTokens() + u.outputTokens() == 0) {
        continue;
      }
      var c = pricing.cost(u.model(), new Usage(u.inputTokens(), u.outputTokens(), u.cachedTokens()));
      if (c.isPresent()) {
        cost = cost.add(c.get());
      } else {
        unpriced.add(u.model());
      }
    }
    for (SafetyEngine.AgentQuota q : quotas) {
      if (q.tokensPerDay() != null && tokens >= q.tokensPerDay()) {
        return "quota of policy " + q.policy() + ": agent " + agentId + " may use " + q.tokensPerDay() + " tokens a day and has used "
            + tokens + " today (UTC); it can run again tomorrow, or raise the quota";
      }
      if (q.costPerDay() != null && cost.compareTo(q.costPerDay()) >= 0) {
        return "quota of policy " + q.policy() + ": agent " + agentId + " may spend $" + q.costPerDay().toPlainString()
            + " a day and has spent $" + cost.setScale(4, RoundingMode.HALF_UP).toPlainString() + " today (UTC)"
            + (unpriced.isEmpty() ? "" : ", not counting models without a known price " + unpriced)
            + "; it can run again tomorrow, or raise the quota";
      }
    }
    return null;
  }

  /**
   * Approves a waiting tool call as {@code approver}. When enough different people have approved
   * it, the run resumes and the call executes.
   *
   * @return the request as it stands now
   * @throws NotFoundException if there is no such request
   * @throws ConflictException if it is no longer pending (approved, rejected, expired, its run
   *     finished), its deadline has passed (it is then expired), or this approver already approved it
   */
  public ApprovalRequest approve(String requestId, String approver, String comment) {
    return resolve(requestId, approver, comment, true);
  }

  /**
   * Rejects a waiting tool call: the run resumes and the model is told, with the comment, that the
   * call was rejected.
   *
   * @throws NotFoundException if there is no such request
   * @throws ConflictException if it is no longer pending or its deadline has passed
   */
  public ApprovalRequest reject(String requestId, String by, String comment) {
    return resolve(requestId, by, comment, false);
  }

  private ApprovalRequest resolve(String requestId, String who, String comment, boolean approve) {
    if (who == null || who.isBlank()) {
      throw new InvalidInputException("say who " + (approve ? "approves" : "rejects") + " the request");
    }
    for (int attempt = 0; ; attempt++) {
      ApprovalRequest request = store.approval(requestId).orElseThrow(() -> new NotFoundException(
          "no approval request '" + requestId + "'; list pending ones with 'maestro approvals list'"));
      if (request.status() != ApprovalStatus.PENDING) {
        throw new ConflictException("approval request " + requestId + " is already " + request.status().wire()
            + (request.resolvedBy() == null ? "" : " (by " + request.resolvedBy() + " at " + request.resolvedAt() + ")"));
      }
      Run run = store.find(request.runId()).orElseThrow(() -> notFound(request.runId()));
      if (run.status().terminal()) {
        throw new ConflictException("run " + run.id() + " of approval request " + requestId + " is already " + run.status().wire());
      }
      Instant now = clock.instant();
      if (!now.isBefore(request.deadline())) {
        expire(request);
        throw new ConflictException("approval request " + requestId + " expired at " + request.deadline()
            + "; it counts as rejected and the run has been told");
      }
      RunEvent event;
      boolean resolved;
      if (approve) {
        if (request.approvedBy().contains(who)) {
          throw new ConflictException(who + " has already approved request " + requestId + "; it needs " + request.approversRequired()
              + " different people");
        }
        var approvedBy = new ArrayList<>(request.approvedBy());
        approvedBy.add(who);
        resolved = approvedBy.size() >= request.approversRequired();
        event = new RunEvent.ApprovalGranted(requestId, who, blankToNull(comment), approvedBy, resolved);
      } else {
        resolved = true;
        event = new RunEvent.ApprovalRejected(requestId, who, blankToNull(comment), false);
      }
      try {
        notify(store.append(run.id(), run.lastSeq(), now, List.of(event)));
      } catch (ConflictException e) {
        if (attempt >= 5) {
          throw e;
        }
        continue; // the log moved on (the run was still recording its request, or another approver came first)
      }
      if (resolved) {
        wake(run.id());
      }
      return store.approval(requestId).orElseThrow();
    }
  }

  /**
   * Expires pending approval requests whose deadline has passed, as rejections, and resumes their
   * runs. Call it now and then (the server does, every few seconds).
   *
   * @return how many requests expired
   */
  public int expireApprovals() {
    Instant now = clock.instant();
    int expired = 0;
    for (ApprovalRequest request : store.approvals(new ApprovalQuery(ApprovalStatus.PENDING, null, null, null, null, null, now, 100, 0))) {
      try {
        expire(request);
        expired++;
      } catch (ConflictException e) {
        // resolved or cancelled meanwhile
      }
    }
    return expired;
  }

  private void expire(ApprovalRequest request) {
    for (int attempt = 0; ; attempt++) {
      Run run = store.find(request.runId()).orElseThrow(() -> notFound(request.runId()));
      ApprovalRequest now = store.approval(request.id()).orElseThrow();
      if (now.status() != ApprovalStatus.PENDING || run.status().terminal()) {
        return;
      }
      try {
        notify(store.append(run.id(), run.lastSeq(), clock.instant(), List.of(new RunEvent.ApprovalRejected(request.id(), "system",
            "nobody approved it before its deadline " + request.deadline(), true))));
        wake(run.id());
        return;
      } catch (ConflictException e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  /** Resumes a run whose approval was resolved, now or as soon as the execution still holding it ends. */
  private void wake(String runId) {
    if (stopping) {
      return; // resumed on the next start
    }
    wakeups.add(runId);
    if (!active.containsKey(runId) && wakeups.remove(runId)) {
      launch(runId, null);
    }
  }

  /** A new approval request id: {@code apr_} and 24 hex digits, sortable by time. */
  String approvalId() {
    return String.format("apr_%012x%012x", clock.millis(), ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  void notify(List<RecordedEvent> events) {
    for (RunListener l : listeners) {
      try {
        l.onEvents(events);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(RunEngine.class).warn("run listener failed", e);
      }
    }
  }

  private static NotFoundException notFound(String runId) {
    return new NotFoundException("no run '" + runId + "'; list runs with 'maestro runs list'");
  }

  /** Stops accepting work and waits for executions to reach their end. */
  @Override
  public void close() {
    executor.close();
    if (outcomes != null) {
      outcomes.close();
    }
  }

  /**
   * Stops executing runs without finishing them, for a graceful shutdown: calls in flight are
   * abandoned, nothing more is appended to their logs, and they stay unfinished, to be resumed
   * (with {@link #resume}) on the next start. An abandoned tool call is then repeated only if it is
   * idempotent.
   *
   * @return the ids of the runs that were executing
   */
  public List<String> stop(Duration grace) {
    stopping = true;
    List<String> left = List.copyOf(active.keySet());
    active.values().forEach(Execution::abandonCall);
    executor.shutdownNow();
    try {
      executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return left;
  }

  /** Runs executing in this process now. */
  public int executing() {
    return active.size();
  }

  /** Settings of an engine; store, tools and models are required. */
  public static final class Builder {
    private RunStore store;
    private ToolRegistry tools = new ToolRegistry();
    private ModelResolver models;
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = Builder::timeOrderedId;
    private final List<RunListener> listeners = new ArrayList<>();
    private final Map<String, Workflow> workflows = new HashMap<>();
    private String worker = "pid-" + ProcessHandle.current().pid();
    private Supplier<SafetyEngine> safety = SafetyEngine::defaults;
    private Pricing pricing = Pricing.NONE;
    private MemoryRecall memory;

    private Builder() {}

    /**
     * Gives runs a memory: before its first model call a run's context gets the agent's memories
     * most relevant to its input (recorded as a {@code memory_recalled} event), and, if the
     * settings say so, each finished run is remembered as an episodic memory of its agent.
     */
    public Builder memory(Memories memories, MemorySettings settings) {
      this.memory = new MemoryRecall(Objects.requireNonNull(memories), Objects.requireNonNull(settings));
      return this;
    }

    public Builder store(RunStore store) {
      this.store = Objects.requireNonNull(store);
      return this;
    }

    public Builder tools(ToolRegistry tools) {
      this.tools = Objects.requireNonNull(tools);
      return this;
    }

    public Builder models(ModelResolver models) {
      this.models = Objects.requireNonNull(models);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Where run ids come from; each call must return a new, unique id. */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids);
      return this;
    }

    /**
     * Adds workflows that {@code kind: workflow} agents may run.
     *
     * @throws ConflictException if a workflow with the same id was already added
     */
    public Builder workflows(Collection<? extends Workflow> more) {
      for (Workflow w : more) {
        if (workflows.putIfAbsent(w.id(), w) != null) {
          throw new ConflictException("two workflows have the id '" + w.id() + "'");
        }
      }
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener));
      return this;
    }

    /**
     * Where the safety engine comes from: asked once per tool call, so it can follow policies as
     * they change. By default the built-in rules and no policies.
     */
    public Builder safety(Supplier<SafetyEngine> safety) {
      this.safety = Objects.requireNonNull(safety);
      return this;
    }

    /** What model calls cost, for cost quotas; by default no prices are known. */
    public Builder pricing(Pricing pricing) {
      this.pricing = Objects.requireNonNull(pricing);
      return this;
    }

    /** The name this process gives itself in run_started events. */
    public Builder worker(String worker) {
      this.worker = Objects.requireNonNull(worker);
      return this;
    }

    /**
     * {@code run_} + 12 hex digits of epoch milliseconds + 16 random hex digits: sortable by
     * creation time (kind to database indexes) and cheap to make from many threads at once
     * ({@code UUID.randomUUID} serialises on one lock).
     */
    static String timeOrderedId() {
      return String.format("run_%012x%016x", System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
    }

    public RunEngine build() {
      return new RunEngine(this);
    }
  }
}
