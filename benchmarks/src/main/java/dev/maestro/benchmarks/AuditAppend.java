package dev.maestro.benchmarks;

import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.internal.Json;
import dev.maestro.store.jdbc.JdbcStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Cost of the governance stores on the request path: audit appends per second (hash-chained,
 * serialised per workspace, durable before they return) and token authentications per second (a
 * SHA-256 and one read by the hash's unique index), on H2 and PostgreSQL, from 1 and from 8 threads.
 * Baselines measured in the same run on the same database, with plain JDBC and one connection per
 * thread: one durable single-row INSERT per operation (on H2 followed by CHECKPOINT, as the store
 * makes its writes survive the process being killed), and one SELECT by primary key.
 */
public final class AuditAppend {
  private static final String USAGE = """
      usage: AuditAppend [--seconds N] [--threads N] [--tokens N] [--stores h2,postgres]
        --seconds  measured time of each phase (default 5; each phase first runs up to 2 s to warm up)
        --threads  threads of the concurrent phases (default 8)
        --tokens   live tokens in the workspace, authenticated in turn (default 100)
        --stores   which databases (default h2, and postgres when MAESTRO_TEST_POSTGRES_URL is set)""";
  private static final String WORKSPACE = "bench";

  private AuditAppend() {}

  public static void main(String[] args) throws Exception {
    Report.quietLogging();
    var options = new Options(args, Set.of("seconds", "threads", "tokens", "stores"), USAGE);
    int seconds = options.integer("seconds", 5, 1);
    int threads = options.integer("threads", 8, 2);
    int tokens = options.integer("tokens", 100, 1);
    List<String> kinds = options.text("stores") != null ? BenchStore.kinds(options.text("stores"))
        : BenchStore.postgresUrl() == null ? List.of(BenchStore.H2) : List.of(BenchStore.H2, BenchStore.POSTGRES);
    if (kinds.contains(BenchStore.MEMORY)) {
      throw new IllegalArgumentException("AuditAppend measures databases; use --stores h2,postgres");
    }
    System.out.printf(Locale.ROOT, "AuditAppend: each phase %d s warm-up + %d s measured, 1 and %d threads, %d tokens%n", Math.min(seconds, 2), seconds,
        threads, tokens);
    Report.machine();

    var table = new Report.Table("store", "operation", "threads", "ops", "ops/s", "p50 us", "p99 us", "CPU us/op", "load", "vs baseline");
    for (String kind : kinds) {
      try (Database db = Database.open(kind)) {
        System.out.println("measuring " + db.name + ": " + db.stores.describe());
        measure(db, seconds, threads, tokens, table);
      }
      System.gc();
    }
    System.out.println();
    table.print();
    System.exit(0);
  }

  private static void measure(Database db, int seconds, int threads, int tokenCount, Report.Table table) throws Exception {
    AuditLog audit = db.stores.audit(WORKSPACE);
    var details = Json.tree("{\"method\":\"POST\",\"path\":\"/api/apa/runs\",\"status\":201,\"agent_id\":\"incident-analyst\"}");
    var seq = new AtomicLong();
    Op append = () -> audit.append(new AuditRecord("token:tok_ab12cd34ef56 (alice)", "run.start", "run_" + seq.incrementAndGet(), "ok", null,
        details));
    db.createFloorTable();
    Op floorInsert = db.floorInsert(seq);

    TokenStore tokens = db.stores.tokens();
    var secrets = new ArrayList<String>();
    for (int i = 0; i < tokenCount; i++) {
      IssuedToken t = tokens.create(WORKSPACE, "bench " + i, Role.OPERATOR, "bench");
      secrets.add(t.secret());
    }
    var next = new AtomicLong();
    Op authenticate = () -> {
      if (tokens.authenticate(secrets.get((int) (next.getAndIncrement() % secrets.size()))).isEmpty()) {
        throw new IllegalStateException("a live token did not authenticate");
      }
    };
    List<String> ids = tokens.list(WORKSPACE).stream().map(t -> t.id()).toList();
    Op floorSelect = db.floorSelect(ids, next);

    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      phases(db, pool, seconds, threads, append, floorInsert, authenticate, floorSelect, table);
    }
    long entries = audit.head().orElseThrow().seq();
    long t0 = System.nanoTime();
    Verification v = audit.verify();
    long verifyNanos = System.nanoTime() - t0;
    System.out.printf(Locale.ROOT, "%s: verify() read %,d entries in %.2f s (%,.0f entries/s): %s%n", db.name, v.entriesChecked(), verifyNanos / 1e9,
        v.entriesChecked() / (verifyNanos / 1e9), v.intact() ? "intact" : v.problem());
    if (!v.intact() || v.entriesChecked() != entries) {
      throw new IllegalStateException("the chain written by the benchmark does not verify: " + v);
    }
  }

  private static void phases(Database db, ExecutorService pool, int seconds, int threads, Op append, Op floorInsert, Op authenticate,
      Op floorSelect, Report.Table table) throws Exception {
    for (int n : new int[] {1, threads}) {
      Phase base = run(pool, floorInsert, n, seconds);
      Phase a = run(pool, append, n, seconds);
      table.row(row(db.name, "audit append", n, a, a.opsPerSecond() / base.opsPerSecond()));
      table.row(row(db.name, "  baseline: INSERT + commit", n, base, 1.0));
    }
    for (int n : new int[] {1, threads}) {
      Phase base = run(pool, floorSelect, n, seconds);
      Phase a = run(pool, authenticate, n, seconds);
      table.row(row(db.name, "token authentication", n, a, a.opsPerSecond() / base.opsPerSecond()));
      table.row(row(db.name, "  baseline: SELECT by key", n, base, 1.0));
    }
  }

  private static Object[] row(String store, String op, int threads, Phase p, double ratio) {
    long[] sorted = Report.sorted(p.latencies);
    return new Object[] {store, op, threads, p.ops, Report.fixed(p.opsPerSecond(), 0), Report.fixed(Report.percentile(sorted, 50) / 1e3, 1),
        Report.fixed(Report.percentile(sorted, 99) / 1e3, 1), Report.fixed(p.cpuNanos / 1e3 / p.ops, 1), Report.fixed(p.load, 1),
        Report.fixed(ratio, 3) + "x"};
  }

  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  private record Phase(long ops, long wallNanos, long cpuNanos, double load, long[] latencies) {
    double opsPerSecond() {
      return ops / (wallNanos / 1e9);
    }
  }

  /** Runs the operation from {@code threads} threads for a warm-up of up to 2 s, then measures it. */
  private static Phase run(ExecutorService pool, Op op, int threads, int seconds) throws Exception {
    drive(pool, op, threads, Math.min(seconds, 2) * 1_000_000_000L);
    long cpu0 = Report.processCpuNanos();
    long t0 = System.nanoTime();
    List<long[]> perThread = drive(pool, op, threads, seconds * 1_000_000_000L);
    long wall = System.nanoTime() - t0;
    long cpu = Report.processCpuNanos() - cpu0;
    long ops = perThread.stream().mapToLong(l -> l.length).sum();
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
    return new Phase(ops, wall, cpu, Report.loadAverage(), all);
  }

  // The pool's threads live for the whole benchmark, so each keeps its baseline connection.
  private static List<long[]> drive(ExecutorService pool, Op op, int threads, long nanos) throws Exception {
    var results = new ArrayList<Future<long[]>>();
    long end = System.nanoTime() + nanos;
    for (int t = 0; t < threads; t++) {
      results.add(pool.submit(() -> {
        long[] lat = new long[1024];
        int n = 0;
        for (long now = System.nanoTime(); now < end; ) {
          op.run();
          long after = System.nanoTime();
          if (n == lat.length) {
            lat = Arrays.copyOf(lat, n * 2);
          }
          lat[n++] = after - now;
          now = after;
        }
        return Arrays.copyOf(lat, n);
      }));
    }
    var out = new ArrayList<long[]>();
    for (Future<long[]> f : results) {
      out.add(f.get());
    }
    return out;
  }

  /** A fresh database with the stores open on it, and plain JDBC connections for the baselines. */
  private static final class Database implements AutoCloseable {
    final String name;
    final JdbcStores stores;
    private final String url;
    private final String user;
    private final Runnable cleanup;
    private final List<Connection> connections = new ArrayList<>();
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private final boolean h2;

    private Database(String name, JdbcStores stores, String url, String user, boolean h2, Runnable cleanup) {
      this.name = name;
      this.stores = stores;
      this.url = url;
      this.user = user;
      this.h2 = h2;
      this.cleanup = cleanup;
    }

    static Database open(String kind) {
      if (kind.equals(BenchStore.H2)) {
        Path dir;
        try {
          dir = Files.createTempDirectory("maestro-bench-audit-");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        JdbcStores stores = JdbcStores.openH2(dir);
        // The same URL as JdbcStores.openH2: in this JVM it reaches the database already open.
        return new Database("H2 file", stores, "jdbc:h2:file:" + dir.resolve("maestro") + ";AUTO_SERVER=TRUE", "sa", true, () -> {
          try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(p);
            }
          } catch (IOException e) {
            System.err.println("warning: could not delete " + dir + ": " + e);
          }
        });
      }
      String server = BenchStore.postgresUrl();
      String schema = "maestro_bench_" + UUID.randomUUID().toString().replace("-", "");
      execute(server, "CREATE SCHEMA " + schema);
      String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      return new Database("PostgreSQL", JdbcStores.open(url, null, null), url, null, false, () -> execute(server, "DROP SCHEMA " + schema + " CASCADE"));
    }

    private Connection connection() throws SQLException {
      Connection c = connection.get();
      if (c == null) {
        c = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, "");
        synchronized (connections) {
          connections.add(c);
        }
        connection.set(c);
      }
      return c;
    }

    void createFloorTable() throws SQLException {
      try (Statement s = connection().createStatement()) {
        s.execute("CREATE TABLE bench_floor (id BIGINT NOT NULL PRIMARY KEY, at TIMESTAMP WITH TIME ZONE NOT NULL, actor TEXT NOT NULL,"
            + " action VARCHAR(64) NOT NULL, target TEXT, details TEXT)");
      }
    }

    /** One row inserted and committed by itself (autocommit), made durable as the store makes its own writes. */
    Op floorInsert(AtomicLong ids) {
      ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
      return () -> {
        PreparedStatement insert = statements.get();
        if (insert == null) {
          insert = connection().prepareStatement("INSERT INTO bench_floor (id, at, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)");
          statements.set(insert);
        }
        long id = ids.incrementAndGet() + 1_000_000_000L;
        insert.setLong(1, id);
        insert.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
        insert.setString(3, "token:tok_ab12cd34ef56 (alice)");
        insert.setString(4, "run.start");
        insert.setString(5, "run_" + id);
        insert.setString(6, "{\"agent_id\":\"incident-analyst\",\"method\":\"POST\",\"path\":\"/api/apa/runs\",\"status\":201}");
        insert.executeUpdate();
        if (h2) {
          try (Statement s = connection().createStatement()) {
            s.execute("CHECKPOINT");
          }
        }
      };
    }

    /** One row read by primary key, the token's columns. */
    Op floorSelect(List<String> ids, AtomicLong next) {
      ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
      return () -> {
        PreparedStatement select = statements.get();
        if (select == null) {
          select = connection().prepareStatement("SELECT id, workspace_id, name, role, created_at, created_by, last_used_at, revoked_at"
              + " FROM api_tokens WHERE id = ?");
          statements.set(select);
        }
        select.setString(1, ids.get((int) (next.getAndIncrement() % ids.size())));
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next() || rs.getObject("created_at", OffsetDateTime.class) == null) {
            throw new IllegalStateException("token row missing");
          }
        }
      };
    }

    private static void execute(String url, String sql) {
      try (Connection c = DriverManager.getConnection(url)) {
        c.createStatement().execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot run '" + sql + "' on PostgreSQL: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      synchronized (connections) {
        for (Connection c : connections) {
          try {
            c.close();
          } catch (SQLException e) {
            // closing anyway
          }
        }
      }
      stores.close();
      cleanup.run();
    }
  }
}
