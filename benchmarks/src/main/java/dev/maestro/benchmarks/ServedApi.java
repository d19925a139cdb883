package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.audit.InMemoryAuditLog;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.learning.InMemoryFeedbackStore;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.mail.InMemoryOutbox;
import dev.maestro.engine.memory.InMemoryMemoryStore;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.safety.InMemoryPolicyStore;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.tool.InMemoryHttpToolStore;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.engine.tool.builtin.HttpToolConfig;
import dev.maestro.knowledge.HashingEmbedder;
import dev.maestro.knowledge.IndexedMemories;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import dev.maestro.server.EventHub;
import dev.maestro.server.MaestroServer;
import dev.maestro.server.Services;
import dev.maestro.server.Workspaces;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Maestro server as {@code maestro serve} wires it (engine, agents, tools, event hub, Javalin
 * on virtual threads, on loopback), over one {@link BenchStore}, with two replay agents: {@code
 * instant} answers at once (for starting runs), {@code paced} first waits at a gate (so
 * subscribers can connect) and then takes steps at a steady pace (for the event streams). A
 * listener placed before the hub notes when each event of the watched run was handed to it.
 */
final class ServedApi implements AutoCloseable {
  static final String INSTANT = "instant";
  static final String PACED = "paced";

  final BenchStore store;
  final EventHub hub = new EventHub();
  final Published published = new Published();
  final Gate gate = new Gate();
  final RunEngine engine;
  final MaestroServer server;
  private final ToolRegistry tools;
  private final HttpRequestTool http;
  private final IndexedMemories memories;
  private final LuceneKnowledgeBase knowledge;
  private final Path knowledgeDir;
  final Agents agents;

  ServedApi(BenchStore store, int pacedSteps, int paceMs) {
    this.store = store;
    var instant = ReplayChatModel.of(List.of(Turn.text("Final Answer: done")));
    var paced = ReplayChatModel.of(pacedTranscript(pacedSteps, paceMs));
    tools = new ToolRegistry(List.of(new EngineOverhead.NoopTool(), gate));
    ModelResolver models = ref -> ref.name().equals(PACED) ? paced.resolved(ref) : instant.resolved(ref);
    engine = RunEngine.builder().store(store.runs).tools(tools).models(models)
        .listener(published) // before the hub: notes the time an event is handed over for delivery
        .listener(hub)
        .listener(published::handedOver) // after the hub: how long the fan-out to subscribers held the run's thread
        .build();
    agents = new Agents(store.agents, Clock.systemUTC());
    agents.install(new AgentSpec(INSTANT, null, null, AgentKind.REACT, "replay:" + INSTANT, "", List.of(), null));
    agents.install(new AgentSpec(PACED, null, null, AgentKind.REACT, "replay:" + PACED, "",
        List.of(EngineOverhead.NoopTool.NAME, Gate.NAME), new Limits(pacedSteps + 2, null, null)));
    HttpToolConfig httpConfig = HttpToolConfig.allowing("127.0.0.1");
    http = new HttpRequestTool(httpConfig);
    // Memory and knowledge are not exercised by this benchmark: in memory, over the built-in embedding model.
    memories = new IndexedMemories(new InMemoryMemoryStore(), new HashingEmbedder(), RankingWeights.DEFAULT, Clock.systemUTC(), null);
    knowledgeDir = Path.of(System.getProperty("java.io.tmpdir")).resolve("maestro-served-api-" + ProcessHandle.current().pid());
    knowledge = new LuceneKnowledgeBase(knowledgeDir, new HashingEmbedder());
    var services = new Services(Workspaces.DEFAULT, agents, store.runs, engine, tools, models, hub, () -> store.where, List.of(),
        Path.of(System.getProperty("java.io.tmpdir")), http, new InMemoryHttpToolStore(), SafetyEngine::defaults,
        new InMemoryPolicyStore(), new InMemoryAuditLog(Workspaces.DEFAULT), new InMemoryOutbox(), memories, knowledge,
        new Learning(new InMemoryFeedbackStore(), memories, store.runs, Clock.systemUTC()));
    TokenStore tokens = store.tokens; // every request is authenticated against the benchmark's database, as in production
    ChildProcess.apiToken = tokens.create(Workspaces.DEFAULT, "load", Role.ADMIN, "benchmark").secret();
    server = MaestroServer.start(new Workspaces() {
      @Override
      public Services open(String workspaceId) {
        return services;
      }

      @Override
      public TokenStore tokens() {
        return tokens;
      }
    }, "127.0.0.1", 0);
  }

  /** The paced agent's turns: wait at the gate; then steps calling the no-op tool, each after pace ms; then the answer. */
  private static List<Turn> pacedTranscript(int steps, int paceMs) {
    JsonNode none = JsonNodeFactory.instance.objectNode();
    var turns = new ArrayList<Turn>();
    turns.add(Turn.call(Gate.NAME, none));
    for (int i = 0; i < steps; i++) {
      turns.add(new Turn(null, List.of(new ReplayChatModel.Call(null, EngineOverhead.NoopTool.NAME, none)), 10, 5, 0, paceMs));
    }
    turns.add(new Turn("Final Answer: done", List.of(), 10, 5, 0, paceMs));
    return turns;
  }

  int port() {
    return server.port();
  }

  /** Runs the instant agent once and returns the finished run. */
  Run finishedRun() {
    Run run = engine.start(agents.runnable(INSTANT).spec(), "a run to read back", RunOptions.DEFAULT).await();
    if (run.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException("the instant run ended " + run.status().wire() + ": " + run.error());
    }
    return run;
  }

  /** Starts the paced run and returns its id once it waits at the gate (all events so far published). */
  String startGatedRun() throws InterruptedException {
    gate.close();
    published.watchNextPacedRun(); // before starting it: its first events are heard before start() returns
    String runId = engine.start(agents.runnable(PACED).spec(), "take paced steps", RunOptions.DEFAULT).runId();
    if (!runId.equals(published.watched())) {
      throw new IllegalStateException("the listener watches run " + published.watched() + ", not the paced run " + runId);
    }
    if (!gate.entered.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the paced run " + runId + " never reached the gate");
    }
    published.readySeq = published.lastSeq;
    return runId;
  }

  @Override
  public void close() {
    gate.open();
    server.close();
    engine.close();
    tools.close();
    http.close();
    knowledge.close();
    memories.close();
    try (var files = java.nio.file.Files.walk(knowledgeDir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      // a temporary directory: left behind at worst
    }
  }

  /** A tool that blocks until opened: holds the paced run until every subscriber is connected. */
  static final class Gate implements Tool {
    static final String NAME = "gate";
    private final ToolSpec spec = new ToolSpec(NAME, "Waits until the benchmark opens it.", JsonNodeFactory.instance.objectNode().put("type", "object"),
        RiskLevel.LOW, true, Duration.ofMinutes(10));
    private volatile CountDownLatch opened = new CountDownLatch(1);
    private volatile CountDownLatch entered = new CountDownLatch(1);

    @Override
    public ToolSpec spec() {
      return spec;
    }

    @Override
    public String call(JsonNode arguments, ToolContext context) {
      entered.countDown();
      try {
        opened.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "open";
    }

    void close() {
      opened = new CountDownLatch(1);
      entered = new CountDownLatch(1);
    }

    void open() {
      opened.countDown();
    }
  }

  /**
   * When each event of the watched run was handed to the hub ({@code System.nanoTime()}, which on
   * Linux reads CLOCK_MONOTONIC, the same clock in every process), and how long before that the
   * engine stamped it ({@code at}, taken just before the store's append); and when runs completed.
   */
  static final class Published implements RunListener {
    static final int MAX_SEQ = 8192;
    private volatile String watched;
    final long[] nanos = new long[MAX_SEQ + 1];
    final long[] sinceAtNanos = new long[MAX_SEQ + 1];
    volatile int lastSeq;
    /** The last event appended before the paced run waited at the gate. */
    volatile int readySeq;
    private final long[] completions = new long[1 << 21];
    private final AtomicInteger completed = new AtomicInteger();

    String watched() {
      return watched;
    }

    /** Per batch of the watched run: how long the hub took to queue it for every subscriber, on the run's thread. */
    final long[] fanOutNanos = new long[MAX_SEQ + 1];
    volatile int batches;

    void handedOver(List<RecordedEvent> events) {
      RecordedEvent first = events.getFirst();
      if (first.runId().equals(watched) && first.seq() <= MAX_SEQ && batches < fanOutNanos.length) {
        fanOutNanos[batches++] = System.nanoTime() - nanos[(int) first.seq()];
      }
    }

    private volatile boolean pending;

    /** Watches the next run of the paced agent, from its first event. */
    void watchNextPacedRun() {
      batches = 0;
      Arrays.fill(nanos, 0);
      Arrays.fill(sinceAtNanos, 0);
      Arrays.fill(fanOutNanos, 0);
      lastSeq = 0;
      readySeq = 0;
      watched = null;
      pending = true;
    }

    @Override
    public void onEvents(List<RecordedEvent> events) {
      long now = System.nanoTime();
      RecordedEvent first = events.getFirst();
      if (pending && first.event() instanceof RunEvent.RunCreated c && c.agentId().equals(PACED)) {
        watched = first.runId();
        pending = false;
      }
      if (first.runId().equals(watched)) {
        Instant wall = Instant.now();
        for (RecordedEvent e : events) {
          if (e.seq() <= MAX_SEQ) {
            nanos[(int) e.seq()] = now;
            sinceAtNanos[(int) e.seq()] = Duration.between(e.at(), wall).toNanos();
            lastSeq = (int) e.seq();
          }
        }
      }
      for (RecordedEvent e : events) {
        if (e.event() instanceof RunEvent.RunCompleted) {
          int i = completed.getAndIncrement();
          if (i < completions.length) {
            completions[i] = now;
          }
        }
      }
    }

    /** Runs completed (any run) between the two instants of {@code System.nanoTime()}. */
    int completedBetween(long from, long to) {
      int n = Math.min(completed.get(), completions.length);
      int count = 0;
      for (int i = 0; i < n; i++) {
        if (completions[i] >= from && completions[i] < to) {
          count++;
        }
      }
      return count;
    }

    int completedTotal() {
      return completed.get();
    }
  }
}
