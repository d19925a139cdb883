package dev.maestro.benchmarks;

import dev.maestro.engine.agent.AgentStore;
import dev.maestro.engine.agent.InMemoryAgentStore;
import dev.maestro.engine.auth.InMemoryTokenStore;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.RunStore;
import dev.maestro.store.jdbc.JdbcStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A run store under test, opened fresh for one benchmark and removed afterwards: in memory, an H2
 * file in a temporary directory, or a throwaway schema in the PostgreSQL named by
 * {@code MAESTRO_TEST_POSTGRES_URL}.
 */
final class BenchStore implements AutoCloseable {
  static final String POSTGRES_URL_VARIABLE = "MAESTRO_TEST_POSTGRES_URL";
  static final String MEMORY = "memory";
  static final String H2 = "h2";
  static final String POSTGRES = "postgres";

  static final String WORKSPACE = "bench";

  final String name;
  final String where;
  final RunStore runs;
  final AgentStore agents;
  /** API tokens, in the same database: what a served API authenticates each request against. */
  final TokenStore tokens;
  /** The database's stores (for policies, audit, tokens...), or null for the in-memory store. */
  final JdbcStores jdbc;
  private final Cleanup cleanup;

  @FunctionalInterface
  private interface Cleanup {
    void run() throws Exception;
  }

  private BenchStore(String name, String where, RunStore runs, AgentStore agents, TokenStore tokens, JdbcStores jdbc, Cleanup cleanup) {
    this.name = name;
    this.where = where;
    this.runs = runs;
    this.agents = agents;
    this.tokens = tokens;
    this.jdbc = jdbc;
    this.cleanup = cleanup;
  }

  /**
   * The stores to measure: those named in {@code --stores a,b}, or all available (PostgreSQL only
   * when its variable is set). The first is the baseline.
   */
  static List<String> kinds(String requested) {
    if (requested != null && !requested.isBlank()) {
      var kinds = new ArrayList<String>();
      for (String k : requested.split(",")) {
        String kind = k.strip().toLowerCase();
        if (!List.of(MEMORY, H2, POSTGRES).contains(kind)) {
          throw new IllegalArgumentException("unknown store '" + k + "'; use memory, h2 or postgres");
        }
        if (kind.equals(POSTGRES) && postgresUrl() == null) {
          throw new IllegalArgumentException("--stores names postgres but " + POSTGRES_URL_VARIABLE + " is not set;"
              + " set it to e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        }
        kinds.add(kind);
      }
      return kinds;
    }
    return postgresUrl() == null ? List.of(MEMORY, H2) : List.of(MEMORY, H2, POSTGRES);
  }

  static String postgresUrl() {
    String url = System.getenv(POSTGRES_URL_VARIABLE);
    return url == null || url.isBlank() ? null : url;
  }

  static BenchStore open(String kind) {
    return switch (kind) {
      case MEMORY -> new BenchStore("in-memory", "InMemoryRunStore", new InMemoryRunStore(), new InMemoryAgentStore(), new InMemoryTokenStore(),
          null, () -> {});
      case H2 -> h2();
      case POSTGRES -> postgres(postgresUrl());
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static BenchStore h2() {
    Path dir;
    try {
      dir = Files.createTempDirectory("maestro-bench-h2-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JdbcStores stores = JdbcStores.openH2(dir);
    return new BenchStore("H2 file", stores.describe(), stores.runs(WORKSPACE), stores.agents(WORKSPACE), stores.tokens(), stores, () -> {
      stores.close();
      deleteTree(dir);
    });
  }

  private static BenchStore postgres(String serverUrl) {
    String schema = "maestro_bench_" + UUID.randomUUID().toString().replace("-", "");
    execute(serverUrl, "CREATE SCHEMA " + schema);
    JdbcStores stores;
    try {
      stores = JdbcStores.open(serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema, null, null);
    } catch (RuntimeException e) {
      execute(serverUrl, "DROP SCHEMA " + schema + " CASCADE");
      throw e;
    }
    return new BenchStore("PostgreSQL", stores.describe(), stores.runs(WORKSPACE), stores.agents(WORKSPACE), stores.tokens(), stores, () -> {
      try {
        stores.close();
      } finally {
        execute(serverUrl, "DROP SCHEMA " + schema + " CASCADE");
      }
    });
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Closes the store and removes its data: the temporary directory or the schema. */
  @Override
  public void close() {
    try {
      cleanup.run();
    } catch (Exception e) {
      System.err.println("warning: could not clean up " + name + " (" + where + "): " + e);
    }
  }
}
