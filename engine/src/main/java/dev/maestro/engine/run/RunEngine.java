package dev.maestro.engine.run;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.workflow.Workflow;
import java.nio.file.Path;
import java.time.Clock;
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
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Supplier<String> ids;
  private final List<RunListener> listeners;
  private final ConcurrentMap<String, Execution> active = new ConcurrentHashMap<>();
  volatile boolean stopping;

  private RunEngine(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.tools = Objects.requireNonNull(b.tools, "tools");
    this.models = Objects.requireNonNull(b.models, "models");
    this.workflows = Map.copyOf(b.workflows);
    this.clock = b.clock;
    this.ids = b.ids;
    this.listeners = List.copyOf(b.listeners);
    this.worker = b.worker;
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
      try {
        notify(store.append(runId, run.lastSeq(), clock.instant(), List.of(new RunEvent.RunCancelled(why))));
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
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    });
    return execution.handle;
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

    private Builder() {}

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
