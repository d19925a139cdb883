package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The server under load, with the load generator in a second JVM on loopback: requests per second
 * and latency of {@code GET /api/apa/runs/{id}} (a finished run) and of {@code POST /api/apa/runs}
 * (an agent whose replay model answers at once), and the delivery lag of a run's events to 1,000
 * concurrent SSE subscribers while the run takes steps at a steady pace. The baseline, measured in
 * the same run by the same load generator, is a bare Javalin server configured as Maestro's (see
 * {@link BaselineServer}); the ratio to it is what the API itself costs.
 */
public final class ServerLoad {
  private static final String USAGE = """
      usage: ServerLoad [--seconds S] [--warmup S] [--connections N] [--rate R] [--post-connections N]
                        [--subscribers N] [--steps N] [--pace-ms MS] [--stores memory,h2,postgres] [--phases get,post,sse]
        --seconds           measured seconds of each request phase (default 10)
        --warmup            seconds of load before measuring, per phase, closed loop (default 5)
        --connections       keep-alive connections of the GET phases (default 32)
        --rate              requests/s of the open-loop GET phase (default 5000, the target)
        --post-connections  connections starting runs (default 16)
        --subscribers       SSE subscribers on the paced run (default 1000)
        --steps             steps of the paced run, each a model turn and a no-op tool call (default 100)
        --pace-ms           how long each of its model turns takes (default 100)
        --stores            which stores (default memory,h2 and postgres when MAESTRO_TEST_POSTGRES_URL is set)
        --phases            which measurements (default get,post,sse)""";

  // Targets for 2 cores, from the server issue (#3).
  private static final double GET_TARGET_PER_S = 5_000;
  private static final double GET_TARGET_P99_MS = 20;
  private static final double LAG_TARGET_P99_MS = 50;
  private static final String BASELINE = "baseline";

  private ServerLoad() {}

  private record Settings(int seconds, int warmup, int connections, int rate, int postConnections, int subscribers, int steps,
      int paceMs, Set<String> phases) {}

  /** One request phase: who, how, and what the load generator and this process measured. */
  private record Requests(String target, String what, JsonNode r, double serverCpuNs, double load, int runsCompleted) {
    int requests() {
      return r.path("requests").asInt();
    }

    double seconds() {
      // open loop: a server that falls behind stretches the time the due requests take
      long from = r.path("window_start_nanos").asLong();
      return Math.max(r.path("seconds").asDouble(), (r.path("finished_nanos").asLong() - from) / 1e9);
    }

    double perSecond() {
      return requests() / seconds();
    }

    double ms(String field) {
      return r.path(field).asLong() / 1e6;
    }

    String statuses() {
      var sb = new StringBuilder();
      r.path("statuses").fields().forEachRemaining(e -> sb.append(sb.isEmpty() ? "" : " ").append(e.getKey()).append(':').append(e.getValue().asInt()));
      int errors = r.path("errors").asInt();
      return errors == 0 ? sb.toString() : sb + " errors:" + errors;
    }
  }

  /** One SSE phase. */
  private record Lag(String target, int subscribers, int events, double eventsPerSecond, long[] lag, long[] lagFromAt, long missing,
      JsonNode r, double serverCpuNs, double seconds, double load, long[] fanOut) {}

  public static void main(String[] args) throws Exception {
    Report.quietLogging();
    var o = new Options(args, Set.of("seconds", "warmup", "connections", "rate", "post-connections", "subscribers", "steps", "pace-ms",
        "stores", "phases"), USAGE);
    String phases = o.text("phases") == null ? "get,post,sse" : o.text("phases");
    var s = new Settings(o.integer("seconds", 10, 1), o.integer("warmup", 5, 0), o.integer("connections", 32, 1), o.integer("rate", 5000, 1),
        o.integer("post-connections", 16, 1), o.integer("subscribers", 1000, 1), Math.min(o.integer("steps", 100, 1), 998),
        o.integer("pace-ms", 100, 1), Set.of(phases.split(",")));
    List<String> kinds = BenchStore.kinds(o.text("stores"));

    System.out.printf(Locale.ROOT, "ServerLoad: load generator in a second JVM (%s) on loopback; GET: %d connections closed loop, then %,d/s open"
            + " loop; POST: %d connections; SSE: %,d subscribers on a run of %d steps, one every %d ms; %d s measured after %d s warm-up per phase%n",
        String.join(" ", ChildProcess.JVM_OPTIONS), s.connections, s.rate, s.postConnections, s.subscribers, s.steps, s.paceMs, s.seconds, s.warmup);
    Report.machine();
    var cpu = CpuSampler.start();
    var requests = new ArrayList<Requests>();
    var lags = new ArrayList<Lag>();

    // The baseline answers with the bytes of a finished run, as the API does.
    String runJson;
    try (BenchStore memory = BenchStore.open(BenchStore.MEMORY); var api = new ServedApi(memory, 1, 1)) {
      runJson = Json.write(api.finishedRun());
    }
    BaselineServer baseline = new BaselineServer(runJson);
    System.out.println("measuring the baseline: bare Javalin on virtual threads, fixed body of " + runJson.length() + " bytes");
    // Jetty and Javalin are compiled once for both servers; without this the first phase measured pays for it.
    System.out.println("  warming up the JIT (not measured)");
    ChildProcess.run(List.of("--mode", "requests", "--port", Integer.toString(baseline.port()), "--path", "/baseline/run",
        "--connections", Integer.toString(s.connections), "--warmup-s", "0", "--seconds", Integer.toString(Math.max(1, s.warmup))), () -> {});
    if (s.phases.contains("get")) {
      requests.addAll(getPhases(BASELINE, baseline.port(), "/baseline/run", s, cpu, null));
    }
    if (s.phases.contains("post")) {
      requests.add(requests(BASELINE, "POST", baseline.port(), "POST", "/baseline/run", "{\"agent_id\":\"" + ServedApi.INSTANT + "\",\"input\":\"go\"}",
          s.postConnections, 0, s, cpu, null));
    }

    for (String kind : kinds) {
      try (BenchStore store = BenchStore.open(kind); var api = new ServedApi(store, s.steps, s.paceMs)) {
        System.out.println("measuring " + store.name + ": " + store.where);
        if (s.phases.contains("get")) {
          Run run = api.finishedRun();
          requests.addAll(getPhases(store.name, api.port(), "/api/apa/runs/" + run.id(), s, cpu, api));
        }
        if (s.phases.contains("sse")) {
          if (lags.isEmpty()) {
            // The first stream round compiles the streaming code (EventStream, Jetty's chunked writes); measure the second.
            System.out.println("  warming up the event streams (not measured)");
            sse(store.name, api, s, cpu);
          }
          Lag lag = sse(store.name, api, s, cpu);
          lags.add(lag);
          if (lags.size() == 1) {
            // The baseline replays this run's events, same bytes and timing, through a bare queue per subscriber.
            lags.addFirst(baselineSse(baseline, api, s, cpu));
          }
        }
        // Last: the in-memory store keeps every run started here, which would weigh on the heap of the phases after it.
        if (s.phases.contains("post")) {
          requests.add(requests(store.name, "POST", api.port(), "POST", "/api/apa/runs",
              "{\"agent_id\":\"" + ServedApi.INSTANT + "\",\"input\":\"go\"}", s.postConnections, 0, s, cpu, api));
        }
      } catch (RuntimeException e) {
        System.out.println("store '" + kind + "' not measured: " + e);
        e.printStackTrace(System.out);
      }
      System.gc();
    }
    baseline.close();
    cpu.close();
    print(requests, lags, s);
    System.exit(0);
  }

  private static List<Requests> getPhases(String target, int port, String path, Settings s, CpuSampler cpu, ServedApi api) throws Exception {
    return List.of(
        requests(target, "GET closed", port, "GET", path, null, s.connections, 0, s, cpu, api),
        requests(target, "GET " + s.rate + "/s", port, "GET", path, null, s.connections, s.rate, s, cpu, api));
  }

  private static Requests requests(String target, String what, int port, String method, String path, String body, int connections, int rate,
      Settings s, CpuSampler cpu, ServedApi api) throws Exception {
    var args = new ArrayList<>(List.of("--mode", "requests", "--port", Integer.toString(port), "--method", method, "--path", path,
        "--connections", Integer.toString(connections), "--warmup-s", Integer.toString(s.warmup), "--seconds", Integer.toString(s.seconds),
        "--rate", Integer.toString(rate)));
    if (body != null) {
      args.addAll(List.of("--body", body));
    }
    System.out.printf(Locale.ROOT, "  %s %s: %s%n", target, what, rate > 0 ? rate + " requests/s due" : connections + " connections");
    JsonNode r = ChildProcess.run(args, () -> {});
    long from = r.path("window_start_nanos").asLong();
    long to = r.path("window_end_nanos").asLong();
    int completed = api == null ? -1 : api.published.completedBetween(from, to);
    return new Requests(target, what, r, cpu.between(from, Math.max(to, r.path("finished_nanos").asLong())), Report.loadAverage(), completed);
  }

  private static Lag sse(String target, ServedApi api, Settings s, CpuSampler cpu) throws Exception {
    long idle = System.nanoTime() + 60_000_000_000L;
    while (api.engine.executing() > 0 && System.nanoTime() < idle) {
      Thread.sleep(10); // runs started by the POST phase finish first
    }
    String runId = api.startGatedRun();
    int readySeq = api.published.readySeq;
    // Generous: a step appends model_called + tool_call_requested + tool_call_started, then tool_call_completed.
    int maxSeq = Math.min(ServedApi.Published.MAX_SEQ, readySeq + 6 * (s.steps + 1) + 16);
    Path out = Files.createTempFile("maestro-sse-", ".bin");
    long[] opened = new long[1];
    System.out.printf(Locale.ROOT, "  %s SSE: %,d subscribers to run %s (at the gate after %d events)%n", target, s.subscribers, runId, readySeq);
    try {
      JsonNode r = ChildProcess.run(List.of("--mode", "sse", "--port", Integer.toString(api.port()), "--path", "/api/apa/runs/" + runId + "/events",
          "--subscribers", Integer.toString(s.subscribers), "--ready-seq", Integer.toString(readySeq), "--max-seq", Integer.toString(maxSeq),
          "--out", out.toString()), () -> {
            opened[0] = System.nanoTime();
            api.gate.open();
          });
      var published = api.published;
      int last = published.lastSeq;
      // batches appended after the gate opened (the first batches are the log before it)
      int before = 0;
      for (int seq = 1; seq <= readySeq; seq++) {
        before += seq == 1 || published.nanos[seq] != published.nanos[seq - 1] ? 1 : 0;
      }
      long[] fanOut = Report.sorted(Arrays.copyOfRange(published.fanOutNanos, Math.min(before, published.batches), published.batches));
      return lag(target, r, out, readySeq, last, published.nanos, published.sinceAtNanos, opened[0], cpu, fanOut);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The same events as the measured run (its log, encoded once), published with the same timing through a bare queue per subscriber. */
  private static Lag baselineSse(BaselineServer baseline, ServedApi api, Settings s, CpuSampler cpu) throws Exception {
    var published = api.published;
    int last = published.lastSeq;
    String runId = published.watched();
    List<RecordedEvent> log = api.store.runs.events(runId, 0);
    int ready = published.readySeq;
    var history = new ArrayList<BaselineServer.Event>();
    var live = new ArrayList<BaselineServer.Event>();
    for (RecordedEvent e : log) {
      byte[] bytes = ("id: " + e.seq() + "\nevent: " + e.event().type() + "\ndata: " + Json.write(e) + "\n\n").getBytes(StandardCharsets.UTF_8);
      var event = new BaselineServer.Event(e.seq(), bytes, e.seq() == last);
      (e.seq() <= ready ? history : live).add(event);
    }
    baseline.history(history);
    long[] offsets = new long[last + 1];
    long gate = published.nanos[ready + 1];
    for (int seq = ready + 1; seq <= last; seq++) {
      offsets[seq] = published.nanos[seq] - gate;
    }
    long[] sent = new long[last + 1];
    int maxSeq = last;
    Path out = Files.createTempFile("maestro-sse-baseline-", ".bin");
    System.out.printf(Locale.ROOT, "  %s SSE: %,d subscribers, replaying %d events of run %s with their timing%n", BASELINE, s.subscribers,
        live.size(), runId);
    long[] opened = new long[1];
    try {
      Thread[] ticker = new Thread[1];
      JsonNode r = ChildProcess.run(List.of("--mode", "sse", "--port", Integer.toString(baseline.port()), "--path", "/baseline/events",
          "--subscribers", Integer.toString(s.subscribers), "--ready-seq", Integer.toString(ready), "--max-seq", Integer.toString(maxSeq),
          "--out", out.toString()), () -> {
            opened[0] = System.nanoTime();
            ticker[0] = Thread.ofPlatform().name("baseline-ticker").start(() -> {
              long t0 = System.nanoTime();
              for (BaselineServer.Event e : live) {
                int seq = (int) e.seq();
                long wait = t0 + offsets[seq] - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                sent[seq] = System.nanoTime();
                baseline.publish(e);
              }
            });
          });
      if (ticker[0] != null) {
        ticker[0].join();
      }
      return lag(BASELINE, r, out, ready, last, sent, new long[last + 1], opened[0], cpu, null);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static Lag lag(String target, JsonNode r, Path out, int readySeq, int last, long[] publishedNanos, long[] sinceAt, long opened,
      CpuSampler cpu, long[] fanOut) throws Exception {
    long[] lag;
    long[] fromAt;
    long missing = 0;
    int subscribers;
    try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(out), 1 << 16))) {
      subscribers = in.readInt();
      int maxSeq = in.readInt();
      int events = Math.max(0, Math.min(last, maxSeq) - readySeq);
      lag = new long[subscribers * events];
      fromAt = new long[subscribers * events];
      int n = 0;
      for (int i = 0; i < subscribers; i++) {
        for (int seq = 0; seq <= maxSeq; seq++) {
          long readAt = in.readLong();
          if (seq <= readySeq || seq > last) {
            continue;
          }
          if (readAt == 0) {
            missing++;
          } else {
            lag[n] = readAt - publishedNanos[seq];
            fromAt[n] = lag[n] + sinceAt[seq];
            n++;
          }
        }
      }
      lag = Report.sorted(Arrays.copyOf(lag, n));
      fromAt = Report.sorted(Arrays.copyOf(fromAt, n));
    }
    int events = last - readySeq;
    long end = publishedNanos[last];
    double seconds = (end - opened) / 1e9;
    return new Lag(target, subscribers, events, events / seconds, lag, fromAt, missing, r, cpu.between(opened, end), seconds,
        Report.loadAverage(), fanOut);
  }

  private static void print(List<Requests> requests, List<Lag> lags, Settings s) {
    System.out.println();
    if (!requests.isEmpty()) {
      System.out.println("Requests. closed = each connection sends its next request when it has the answer (latency = round trip);"
          + " N/s = open loop, request i due at start + i/N, latency counted from when it was due (a server that falls behind is not"
          + " hidden; the warm-up before it is closed loop). req/s = answers / measured seconds. CPU/req: process CPU time over the measured window divided by requests,"
          + " server (this JVM, all threads) and load generator. client late p99: how late the load generator sent requests whose"
          + " connection was free when they were due (its own scheduling delay, included in the latency). runs done/s: runs that completed in the window, per second."
          + " vs base: req/s as a ratio to the baseline's same phase. load: 1-minute load average after the phase.");
      var t = new Report.Table("target", "phase", "conns", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "client late p99 ms", "server CPU/req us",
          "client CPU/req us", "runs done/s", "statuses", "load", "vs base");
      for (Requests q : requests) {
        Requests base = requests.stream().filter(b -> b.target.equals(BASELINE) && b.what.equals(q.what)).findFirst().orElse(null);
        t.row(q.target, q.what, connections(q, s), q.requests(), Report.fixed(q.perSecond(), 0),
            Report.fixed(q.ms("p50_ns"), 2), Report.fixed(q.ms("p90_ns"), 2), Report.fixed(q.ms("p99_ns"), 2), Report.fixed(q.ms("p999_ns"), 2),
            Report.fixed(q.ms("max_ns"), 1), Report.fixed(q.ms("client_late_p99_ns"), 2),
            Report.fixed(q.serverCpuNs / 1e3 / Math.max(1, q.requests()), 0), Report.fixed(q.r.path("cpu_ns").asDouble() / 1e3 / Math.max(1, q.requests()), 0),
            q.runsCompleted < 0 ? "-" : Report.fixed(q.runsCompleted / q.seconds(), 0), q.statuses(), Report.fixed(q.load, 1),
            base == null ? "-" : Report.fixed(q.perSecond() / base.perSecond(), 3) + "x");
      }
      t.print();
    }
    if (!lags.isEmpty()) {
      System.out.println();
      System.out.println("Event delivery to SSE subscribers. lag = System.nanoTime() when a subscriber (other JVM) has read the whole event"
          + " minus System.nanoTime() when the engine handed it to the hub, right after storing it (CLOCK_MONOTONIC, one clock for both"
          + " processes, checked at the load generator's start). lag from at = the same plus the time between the event's 'at' stamp"
          + " (taken before the store's append) and the hand-over, i.e. including the commit. Only events appended after every"
          + " subscriber had connected and caught up count. deliveries/s = events x subscribers / seconds. fan-out: per appended batch,"
          + " how long the hub took to queue it for every subscriber, on the run's (virtual) thread.");
      var t = new Report.Table("target", "subscribers", "events", "events/s", "deliveries/s", "lag p50 ms", "lag p99 ms", "lag p99.9 ms",
          "lag max ms", "from at p50 ms", "from at p99 ms", "fan-out p50 ms", "fan-out p99 ms", "missed", "server CPU %", "client CPU %", "errors", "load", "p99 vs base");
      Lag base = lags.stream().filter(l -> l.target.equals(BASELINE)).findFirst().orElse(null);
      for (Lag l : lags) {
        long p99 = Report.percentile(l.lag, 99);
        t.row(l.target, l.subscribers, l.events, Report.fixed(l.eventsPerSecond, 1), Report.fixed(l.eventsPerSecond * l.subscribers, 0),
            Report.ms(Report.percentile(l.lag, 50)), Report.ms(p99), Report.ms(Report.percentile(l.lag, 99.9)),
            Report.ms(l.lag.length == 0 ? 0 : l.lag[l.lag.length - 1]),
            l.target.equals(BASELINE) ? "-" : Report.ms(Report.percentile(l.lagFromAt, 50)),
            l.target.equals(BASELINE) ? "-" : Report.ms(Report.percentile(l.lagFromAt, 99)),
            l.fanOut == null ? "-" : Report.ms(Report.percentile(l.fanOut, 50)), l.fanOut == null ? "-" : Report.ms(Report.percentile(l.fanOut, 99)),
            l.missing,
            Report.fixed(100 * l.serverCpuNs / 1e9 / l.seconds, 0), Report.fixed(100 * l.r.path("cpu_stream_ns").asDouble() / 1e9 / l.seconds, 0),
            l.r.path("errors").asInt() + (l.r.path("ended_early").asInt() > 0 ? " (" + l.r.path("ended_early").asInt() + " ended early)" : ""),
            Report.fixed(l.load, 1), base == null || base == l ? "-" : Report.fixed(p99 / (double) Math.max(1, Report.percentile(base.lag, 99)), 2) + "x");
      }
      t.print();
    }
    System.out.println();
    System.out.println("Targets (2-core machine, from the server issue; informational):");
    for (Requests q : requests) {
      if (!q.target.equals(BASELINE) && q.what.equals("GET " + s.rate + "/s")) {
        boolean all = q.requests() >= 0.99 * q.r.path("due").asLong() && q.r.path("errors").asInt() == 0;
        Report.target(q.target + ": >= 5,000 GET/s at p99 < 20 ms (open loop at " + s.rate + "/s)",
            Report.fixed(q.perSecond(), 0) + " GET/s, p99 " + Report.fixed(q.ms("p99_ns"), 2) + " ms",
            s.rate >= GET_TARGET_PER_S && all && q.perSecond() >= 0.99 * GET_TARGET_PER_S && q.ms("p99_ns") < GET_TARGET_P99_MS);
      }
    }
    for (Lag l : lags) {
      if (!l.target.equals(BASELINE)) {
        double p99 = Report.percentile(l.lag, 99) / 1e6;
        Report.target(l.target + ": event delivery lag p99 < 50 ms with 1,000 subscribers",
            Report.fixed(p99, 2) + " ms, " + l.subscribers + " subscribers, " + l.missing + " missed",
            l.subscribers >= 1000 && l.missing == 0 && p99 < LAG_TARGET_P99_MS);
      }
    }
  }

  private static String connections(Requests q, Settings s) {
    return q.what.startsWith("POST") ? Integer.toString(s.postConnections) : Integer.toString(s.connections);
  }

  /** This process's CPU time, read every 20 ms, so a window the load generator reports afterwards can be looked up. */
  private static final class CpuSampler implements AutoCloseable {
    private long[] at = new long[1 << 16];
    private long[] cpu = new long[1 << 16];
    private int size;
    private final Thread thread;
    private volatile boolean running = true;

    private CpuSampler() {
      thread = Thread.ofPlatform().daemon().name("cpu-sampler").start(() -> {
        while (running) {
          sample();
          LockSupport.parkNanos(20_000_000L);
        }
      });
    }

    static CpuSampler start() {
      return new CpuSampler();
    }

    private synchronized void sample() {
      if (size == at.length) {
        at = Arrays.copyOf(at, size * 2);
        cpu = Arrays.copyOf(cpu, size * 2);
      }
      at[size] = System.nanoTime();
      cpu[size] = Report.processCpuNanos();
      size++;
    }

    /** CPU time used between two instants of System.nanoTime(), to the nearest sample (20 ms). */
    synchronized double between(long from, long to) {
      sample();
      return cpuAt(to) - cpuAt(from);
    }

    private long cpuAt(long t) {
      int i = Arrays.binarySearch(at, 0, size, t);
      i = i >= 0 ? i : Math.min(size - 1, -i - 1);
      return cpu[i];
    }

    @Override
    public void close() {
      running = false;
    }
  }
}
