package dev.maestro.store.jdbc;

import dev.maestro.engine.InvalidInputException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** What differs between the two databases: migrations, the agent upsert, what text can hold, how a commit is made to last. */
enum Dialect {
  H2("H2", "h2") {
    @Override
    String upsertAgent() {
      return "MERGE INTO agents (" + AGENT_COLUMNS + ") KEY (workspace_id, id) VALUES (" + AGENT_VALUES + ")";
    }

    @Override
    String text(String value) {
      return value;
    }

    // H2 keeps committed changes in memory and writes them to its file within WRITE_DELAY (500 ms)
    // from a background thread, which also compacts the file. CHECKPOINT writes them now (to the
    // OS, without fsync), so a commit acknowledged after it survives the process being killed.
    // WRITE_DELAY=0 would do the same on every commit but stops that thread, and the file then
    // grows without bound under load. See H2ProcessesTest.
    @Override
    void writeThrough(Jdbi jdbi) {
      jdbi.useHandle(h -> h.execute("CHECKPOINT"));
    }

    // H2 lives in this process: a commit not yet written to its file dies with the process, and a
    // completed call whose outcome was already streamed to clients would then run again. So
    // deferred appends are written through like any other.
    @Override
    boolean defersDurability() {
      return false;
    }

    @Override
    void deferDurability(Handle transaction) {
      throw new IllegalStateException("H2 does not defer durability");
    }

    // DATEDIFF is whole-number arithmetic; EXTRACT(EPOCH ...) is NUMERIC in H2, three times slower
    // over the thousands of rows a dashboard aggregates.
    @Override
    String millisBetween(String from, String to) {
      return "DATEDIFF('MILLISECOND', " + from + ", " + to + ")";
    }
  },

  POSTGRESQL("PostgreSQL", "postgresql") {
    @Override
    String millisBetween(String from, String to) {
      return "(EXTRACT(EPOCH FROM (" + to + " - " + from + ")) * 1000)";
    }

    @Override
    String upsertAgent() {
      return "INSERT INTO agents (" + AGENT_COLUMNS + ") VALUES (" + AGENT_VALUES + ")"
          + " ON CONFLICT (workspace_id, id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
          + " model = EXCLUDED.model, status = EXCLUDED.status, spec = EXCLUDED.spec,"
          + " created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at";
    }

    // PostgreSQL text cannot hold U+0000, which a tool's output may well contain (a binary file).
    // Only projection columns go through here; the event payload is JSON, where it is escaped, so
    // the log itself stays exact.
    @Override
    String text(String value) {
      return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }

    @Override
    void writeThrough(Jdbi jdbi) {
      // A PostgreSQL commit is durable when it returns (synchronous_commit, the default).
    }

    // The commit returns before its WAL is flushed; the WAL writer flushes it within
    // 3 x wal_writer_delay (200 ms by default), and any later synchronous commit flushes it first.
    // Only a crash of PostgreSQL itself can lose it; Maestro's process dying cannot.
    @Override
    boolean defersDurability() {
      return true;
    }

    @Override
    void deferDurability(Handle transaction) {
      transaction.execute("SET LOCAL synchronous_commit = off");
    }
  };

  private static final String AGENT_COLUMNS = "workspace_id, id, name, kind, model, status, spec, created_at, updated_at";
  private static final String AGENT_VALUES = ":workspace_id, :id, :name, :kind, :model, :status, :spec, :created_at, :updated_at";

  final String product;
  private final String folder;

  Dialect(String product, String folder) {
    this.product = product;
    this.folder = folder;
  }

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new InvalidInputException("database URL '" + DataSources.redact(jdbcUrl)
        + "' is not supported; use jdbc:postgresql://host:5432/database or jdbc:h2:file:/path/to/maestro");
  }

  /** Flyway locations: the shared schema, then this database's own migrations. */
  List<String> migrations() {
    return List.of("classpath:db/migration/common", "classpath:db/migration/" + folder);
  }

  abstract String upsertAgent();

  /** A value for a text column of a projection, made storable. */
  abstract String text(String value);

  /** Makes what was committed survive the process being killed. */
  abstract void writeThrough(Jdbi jdbi);

  /** Whether Durability.DEFERRED appends may skip waiting for the disk here. */
  abstract boolean defersDurability();

  /** Lets the transaction commit without waiting for the disk (Durability.DEFERRED). */
  abstract void deferDurability(Handle transaction);

  /** SQL for the milliseconds from one timestamp to another (null when either is), a number. */
  abstract String millisBetween(String from, String to);
}
