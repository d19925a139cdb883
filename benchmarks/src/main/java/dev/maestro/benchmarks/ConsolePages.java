package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.learning.InMemoryFeedbackStore;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.memory.InMemoryMemoryStore;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Policies;
import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.BuiltinTools;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.engine.tool.builtin.HttpToolConfig;
import dev.maestro.knowledge.HashingEmbedder;
import dev.maestro.knowledge.IndexedMemories;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import dev.maestro.server.EventHub;
import dev.maestro.server.MaestroServer;
import dev.maestro.server.Services;
import dev.maestro.server.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Time to first byte of each console page over a database holding 10,000 runs and 100,000 events
 * (spread over the last 30 days, with failures, waiting approvals, policies and an audit trail):
 * the server as {@code maestro serve} wires it over an H2 file, and PostgreSQL when {@code
 * MAESTRO_TEST_POSTGRES_URL} is set. Each page is requested one after another on a keep-alive
 * connection; TTFB is from writing the request to reading the first byte of the answer. The
 * baseline, measured the same way in the same run, is the JSON API's list of the newest 50 runs.
 */
public final class ConsolePages {
  private static final String USAGE = """
      usage: ConsolePages [--runs N] [--requests N] [--warmup N] [--stores h2,postgres]
        --runs            runs in the database, 10 events each (7 for the one in fifty waiting for approval; default 10000)
        --requests        measured requests per page (default 200)
        --warmup          requests per page before measuring (default 30)
        --stores          which databases (default h2, and postgres when MAESTRO_TEST_POSTGRES_URL is set)""";
  static final long TARGET_MS = 100;
  static final int AGENTS = 20;
  static final List<String> MODELS = List.of("openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5", "ollama:llama3.1");

  private ConsolePages() {}

  public static void main(String[] args) throws Exception {
    Report.quietLogging();
    var options = new Options(args, Set.of("runs", "requests", "warmup", "stores"), USAGE);
    int runs = options.integer("runs", 10_000, 1);
    int requests = options.integer("requests", 200, 10);
    int warmup = options.integer("warmup", 30, 0);
    List<String> kinds = BenchStore.kinds(options.text("stores") == null ? (BenchStore.postgresUrl() == null ? "h2" : "h2,postgres")
        : options.text("stores"));
    Report.machine();
    for (String kind : kinds) {
      if (kind.equals(BenchStore.MEMORY)) {
        throw new IllegalArgumentException("ConsolePages measures databases: use --stores h2 or postgres");
      }
      try (BenchStore store = BenchStore.open(kind)) {
        measure(store, runs, requests, warmup);
      }
    }
  }

  private static void measure(BenchStore store, int runs, int requests, int warmup) throws Exception {
    System.out.printf(Locale.ROOT, "%n== %s (%s)%n", store.name, store.where);
    long t0 = System.nanoTime();
    Data data = fill(store, runs);
    System.out.printf(Locale.ROOT, "filled: %,d runs, %,d events, %,d approval requests waiting, %,d audit entries in %.1f s%n", runs, data.events,
        data.waiting, data.audit, (System.nanoTime() - t0) / 1e9);
    try (var served = new Served(store)) {
      String host = "127.0.0.1";
      int port = served.server.port();
      List<String> pages = List.of("/maestro", "/maestro/agents", "/maestro/agents/agent-07", "/maestro/agents/new", "/maestro/runs",
          "/maestro/runs?status=failed", "/maestro/runs/" + data.sampleRun, "/maestro/hitl", "/maestro/hitl?tab=history",
          "/maestro/hitl?tab=audit", "/maestro/hitl?tab=audit&action=maestro.", "/maestro/observability",
          "/maestro/observability?window=7d", "/maestro/observability?window=30d", "/maestro/governance",
          "/maestro/governance/policies/hold-writes", "/maestro/integrations", "/maestro/knowledge");
      var table = new Report.Table("page", "TTFB p50 ms", "p95 ms", "max ms", "whole p95 ms", "KiB", "p95 / API");
      long[] base = timed(host, port, served.token, "/api/apa/runs?limit=50", requests, warmup);
      long baseP95 = Report.percentile(Report.sorted(base), 95);
      table.row("API: GET /api/apa/runs?limit=50 (baseline)", Report.ms(Report.percentile(Report.sorted(base), 50)), Report.ms(baseP95),
          Report.ms(max(base)), "", "", "1.00");
      long worst = 0;
      String worstPage = null;
      for (String page : pages) {
        long[] ttfb = new long[requests];
        long[] whole = new long[requests];
        int bytes = run(host, port, served.token, page, requests, warmup, ttfb, whole);
        long p95 = Report.percentile(Report.sorted(ttfb), 95);
        if (p95 > worst) {
          worst = p95;
          worstPage = page;
        }
        table.row(page, Report.ms(Report.percentile(Report.sorted(ttfb), 50)), Report.ms(p95), Report.ms(max(ttfb)),
            Report.ms(Report.percentile(Report.sorted(whole), 95)), bytes / 1024, Report.fixed(p95 / (double) baseP95, 2));
      }
      table.print();
      Report.target("every console page's TTFB p95 <= " + TARGET_MS + " ms on " + store.name, Report.ms(worst) + " ms (" + worstPage + ")",
          worst <= TARGET_MS * 1_000_000);
    }
  }

  private static long max(long[] values) {
    long m = 0;
    for (long v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static long[] timed(String host, int port, String token, String path, int requests, int warmup) throws Exception {
    long[] ttfb = new long[requests];
    run(host, port, token, path, requests, warmup, ttfb, new long[requests]);
    return ttfb;
  }

  /** Requests the path {@code warmup + requests} times on one connection; fills the measured TTFB and whole times; returns the body's size. */
  private static int run(String host, int port, String token, String path, int requests, int warmup, long[] ttfb, long[] whole)
      throws Exception {
    byte[] request = HttpConnection.request("GET", path, host, port, null, token);
    try (var connection = new HttpConnection(host, port)) {
      for (int i = 0; i < warmup + requests; i++) {
        long start = System.nanoTime();
        int status = connection.exchange(request);
        long end = System.nanoTime();
        if (status != 200) {
          throw new IllegalStateException("GET " + path + " answered " + status);
        }
        if (i >= warmup) {
          ttfb[i - warmup] = connection.firstByteNanos() - start;
          whole[i - warmup] = end - start;
        }
      }
      return connection.bodyBytes();
    }
  }

  record Data(long events, int waiting, int audit, String sampleRun) {}

  /**
   * Writes the runs through the store's own appends, as the engine would: each run created and
   * started, one model call with a tool call (safety decision, start, result), then a second model
   * call and its end; one in fifty waits for approval instead, one in ten fails, one in thirty is
   * cancelled. Creation times are spread evenly over the last 30 days.
   */
  private static Data fill(BenchStore store, int runs) throws Exception {
    var agents = new Agents(store.agents, Clock.systemUTC());
    for (int a = 0; a < AGENTS; a++) {
      agents.install(spec(a));
    }
    PolicyStore policies = store.jdbc.policies(BenchStore.WORKSPACE);
    for (String policy : List.of(
        "id: hold-writes\ndescription: SQL writes need a person\nmatch: {tools: [run_sql]}\nset: {risk: high, action: require_approval}\n",
        "id: no-python\nmatch: {agents: [\"agent-1*\"], tools: [execute_python]}\nset: {action: block}\n",
        "id: daily-budget\nmatch: {agents: [\"*\"]}\nset: {quota: {tokens_per_day: 5000000}}\n")) {
      policies.create(Policies.parse(policy, "benchmark").getFirst(), "benchmark");
    }
    Instant now = Instant.now();
    Duration span = Duration.ofDays(30);
    RunStore rs = store.runs;
    var failure = new AtomicReference<Throwable>();
    var permits = new Semaphore(256);
    long[] events = new long[1];
    int[] waiting = new int[1];
    String sample = null;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < runs; i++) {
        Instant created = now.minus(span).plusMillis(span.toMillis() * i / runs);
        String runId = String.format(Locale.ROOT, "run_%012x%016x", created.toEpochMilli(), (long) i);
        int agent = i % AGENTS;
        String model = MODELS.get(i % MODELS.size());
        boolean waits = i % 50 == 7;
        if (i == runs - 5) {
          sample = runId;
        }
        events[0] += waits ? 7 : 10;
        waiting[0] += waits ? 1 : 0;
        int n = i;
        permits.acquire();
        pool.execute(() -> {
          try {
            append(rs, runId, agent, model, created, n, waits);
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          } finally {
            permits.release();
          }
        });
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("filling the store failed", failure.get());
    }
    AuditLog audit = store.jdbc.audit(BenchStore.WORKSPACE);
    int auditEntries = 2000;
    for (int i = 0; i < auditEntries; i++) {
      audit.append(new AuditRecord("token:tok_0123456789ab (bench)", i % 3 == 0 ? "maestro.agents.pause.post" : "runs.post", "/api/apa/runs",
          i % 10 == 0 ? "refused" : "ok", null, Json.MAPPER.createObjectNode().put("status", i % 10 == 0 ? 403 : 201)));
    }
    return new Data(events[0], waiting[0], auditEntries, sample);
  }

  private static void append(RunStore rs, String runId, int agent, String model, Instant created, int n, boolean waits) {
    var args = JsonNodeFactory.instance.objectNode().put("path", "notes/" + n + ".txt");
    rs.append(runId, 0, created, List.of(new RunEvent.RunCreated("agent-" + pad(agent), spec(agent), "question number " + n, model, "/tmp"),
        new RunEvent.RunStarted(false, "bench")));
    Instant step1 = created.plusMillis(800 + n % 1700);
    var first = new ArrayList<RunEvent>(List.of(
        new RunEvent.ModelCalled(1, model, "Thought: read the notes", List.of(), 900 + n % 400, 60 + n % 50, n % 3 == 0 ? 512 : 0,
            700 + n % 1500, "tool_calls"),
        new RunEvent.Thought(1, "read the notes"),
        new RunEvent.ToolCallRequested(1, "c1", "read_file", args, true)));
    if (waits) {
      first.add(new RunEvent.SafetyDecided("c1", "read_file", RiskLevel.HIGH, Action.REQUIRE_APPROVAL, "hold-writes", "policy hold-writes"));
      first.add(new RunEvent.ApprovalRequested("apr_" + runId.substring(4, 28), "c1", "read_file", args, RiskLevel.HIGH, 1,
          step1.plus(Duration.ofDays(40)), "hold-writes", "policy hold-writes sets risk high"));
      rs.append(runId, 2, step1, first);
      return;
    }
    first.add(new RunEvent.SafetyDecided("c1", "read_file", RiskLevel.LOW, Action.ALLOW, "default", "read_file is low risk by default"));
    first.add(new RunEvent.ToolCallStarted("c1", "read_file"));
    first.add(n % 17 == 0 ? new RunEvent.ToolCallFailed("c1", "read_file", "no such file", 3, false)
        : new RunEvent.ToolCallCompleted("c1", "read_file", "the notes say it worked " + n, 2 + n % 40));
    rs.append(runId, 2, step1, first);
    Instant end = step1.plusMillis(600 + n % 2500);
    RunEvent last = n % 10 == 3 ? new RunEvent.RunFailed("max_steps", "the agent took more than 2 steps")
        : n % 30 == 11 ? new RunEvent.RunCancelled("cancelled by request") : new RunEvent.RunCompleted("It worked: answer " + n);
    rs.append(runId, 8, end, List.of(new RunEvent.ModelCalled(2, model, "Final Answer: it worked", List.of(), 1300 + n % 500, 40 + n % 30, 0,
        500 + n % 2000, "stop"), last));
  }

  private static AgentSpec spec(int agent) {
    return new AgentSpec("agent-" + pad(agent), "Agent " + agent, "answers question kind " + agent, AgentKind.REACT,
        MODELS.get(agent % MODELS.size()), "Be brief.", List.of("read_file", "http_request"), new Limits(10, null, null));
  }

  private static String pad(int agent) {
    return String.format(Locale.ROOT, "%02d", agent);
  }

  /** The server over the benchmark's database, as {@code maestro serve} wires it (memory and knowledge in memory: the pages that read them, the agent page and /maestro/knowledge, find them empty). */
  private static final class Served implements AutoCloseable {
    final MaestroServer server;
    final String token;
    private final RunEngine engine;
    private final ToolRegistry tools;
    private final HttpRequestTool http;
    private final IndexedMemories memories;
    private final LuceneKnowledgeBase knowledge;
    private final Path knowledgeDir;

    Served(BenchStore store) throws Exception {
      var hub = new EventHub();
      HttpToolConfig httpConfig = HttpToolConfig.allowing("127.0.0.1");
      tools = new ToolRegistry(BuiltinTools.standard(httpConfig, List.of(), 64 * 1024));
      http = new HttpRequestTool(httpConfig);
      PolicyStore policies = store.jdbc.policies(BenchStore.WORKSPACE);
      var model = ReplayChatModel.of(List.of(ReplayChatModel.Turn.text("Final Answer: done")));
      java.util.function.Supplier<SafetyEngine> safety = () -> new SafetyEngine(SafetySettings.DEFAULT,
          policies.list().stream().map(p -> p.policy()).toList());
      engine = RunEngine.builder().store(store.runs).tools(tools).models(model::resolved).listener(hub).safety(safety).build();
      memories = new IndexedMemories(new InMemoryMemoryStore(), new HashingEmbedder(), RankingWeights.DEFAULT, Clock.systemUTC(), null);
      knowledgeDir = Files.createTempDirectory("maestro-console-bench-");
      knowledge = new LuceneKnowledgeBase(knowledgeDir, new HashingEmbedder());
      var services = new Services(BenchStore.WORKSPACE, new Agents(store.agents, Clock.systemUTC()), store.runs, engine, tools,
          model::resolved, hub, () -> store.where, List.of(), Path.of(System.getProperty("java.io.tmpdir")), http,
          store.jdbc.httpTools(BenchStore.WORKSPACE), safety, policies, store.jdbc.audit(BenchStore.WORKSPACE),
          store.jdbc.outbox(BenchStore.WORKSPACE), memories, knowledge,
          new Learning(new InMemoryFeedbackStore(), memories, store.runs, Clock.systemUTC()));
      TokenStore tokens = store.jdbc.tokens();
      token = tokens.create(BenchStore.WORKSPACE, "bench", Role.ADMIN, "benchmark").secret();
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

    @Override
    public void close() {
      server.close();
      engine.close();
      tools.close();
      http.close();
      knowledge.close();
      memories.close();
      try (var files = Files.walk(knowledgeDir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (java.io.IOException e) {
        // a temporary directory: left behind at worst
      }
    }
  }
}
