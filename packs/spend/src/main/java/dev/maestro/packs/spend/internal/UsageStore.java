package dev.maestro.packs.spend.internal;

import dev.maestro.engine.MaestroException;
import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.PriceCatalog;
import dev.maestro.packs.spend.Prices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The normalised usage in an embedded, in-memory DuckDB table, priced as it is appended. Each row
 * keeps its file and line so that evidence can point back to it. Not thread-safe: one importer.
 */
public final class UsageStore implements AutoCloseable {

  static final String DDL = """
      CREATE TABLE usage (
        file_id INTEGER, line BIGINT, ts TIMESTAMP, provider VARCHAR, model VARCHAR, catalog_id INTEGER,
        requests BIGINT, input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT,
        cache_write_1h_tokens BIGINT, latency_ms BIGINT, error BOOLEAN, batch BOOLEAN,
        user_id VARCHAR, project VARCHAR, tag VARCHAR, session VARCHAR, prompt_hash BIGINT, prefix_hash BIGINT,
        cost_pico BIGINT)""";

  private final DuckDBConnection connection;
  private final PriceCatalog catalog;
  private final Map<String, Map<String, Priced>> models = new HashMap<>();
  private final Map<Prices, Rates> rates = new IdentityHashMap<>();
  private final java.util.List<ModelPrice> byId = new java.util.ArrayList<>();
  private final Map<String, long[]> unpriced = new TreeMap<>(); // provider/model -> rows, requests
  private final Map<String, Integer> fileIds = new HashMap<>();
  private final java.util.List<String> newFiles = new java.util.ArrayList<>();
  private String lastFile;
  private int lastFileId;
  private DuckDBAppender appender;
  private long rows;

  public UsageStore(PriceCatalog catalog) {
    this.catalog = catalog;
    try {
      this.connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
      try (Statement st = connection.createStatement()) {
        st.execute(DDL);
        st.execute("CREATE TABLE files (id INTEGER, name VARCHAR)");
      }
    } catch (SQLException e) {
      throw new MaestroException("cannot start the embedded DuckDB database: " + e.getMessage(), e);
    }
  }

  public Connection connection() {
    flush();
    return connection;
  }

  public PriceCatalog catalog() {
    return catalog;
  }

  /** Rows appended so far. */
  public long rows() {
    return rows;
  }

  /** Models not in the catalog, {@code provider/model} to {rows, requests}. */
  public Map<String, long[]> unpriced() {
    return unpriced;
  }

  /** How rows of one provider and model name are priced: the catalog entry, or counts of unpriced rows. */
  private record Priced(String provider, ModelPrice price, int id, Rates rates, long[] unpriced) {}

  private Priced priced(String givenProvider, String model) {
    Optional<ModelPrice> found = catalog.find(givenProvider, model);
    if (found.isPresent()) {
      ModelPrice m = found.get();
      int id = byId.indexOf(m);
      if (id < 0) {
        id = byId.size();
        byId.add(m);
      }
      Rates single = m.periods().size() == 1 ? rates.computeIfAbsent(m.periods().getFirst().prices(), Rates::of) : null;
      return new Priced(m.provider(), m, id, single, null);
    }
    String provider = givenProvider == null ? "unknown" : catalog.canonicalProvider(givenProvider);
    return new Priced(provider, null, -1, null, unpriced.computeIfAbsent(provider + "/" + model, k -> new long[2]));
  }

  /** The catalog entry rows with this {@code catalog_id} were priced with (the id as SQL returns it, in text). */
  public ModelPrice model(String catalogId) {
    return byId.get(Integer.parseInt(catalogId));
  }

  /** Compiled prices (latest period) of a catalog entry. */
  public Rates rates(ModelPrice m) {
    return rates.computeIfAbsent(m.prices(), Rates::of);
  }

  /** A sink that prices and appends rows. */
  public Consumer<UsageRow> sink() {
    return this::append;
  }

  private void append(UsageRow r) {
    try {
      if (appender == null) {
        appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "usage");
      }
      Priced priced = models.computeIfAbsent(r.provider() == null ? "" : r.provider(), k -> new HashMap<>())
          .computeIfAbsent(r.model(), k -> priced(r.provider(), r.model()));
      String provider = priced.provider();
      Long cost = null;
      if (priced.price() != null) {
        Rates rates = priced.rates() != null ? priced.rates()
            : this.rates.computeIfAbsent(priced.price().prices(LocalDate.ofEpochDay(Math.floorDiv(r.epochMicros(), 86_400_000_000L))), Rates::of);
        try {
          cost = rates.picos(r.input(), r.output(), r.cacheRead(), r.cacheWrite(), r.cacheWrite1h(), r.tierInput(), r.batch());
        } catch (ArithmeticException e) {
          cost = null; // over 9 million dollars in one row: reported as unpriced rather than wrong
        }
      } else {
        priced.unpriced()[0]++;
        priced.unpriced()[1] += r.requests();
      }
      DuckDBAppender a = appender;
      a.beginRow();
      if (!r.file().equals(lastFile)) {
        lastFile = r.file();
        lastFileId = fileIds.computeIfAbsent(r.file(), f -> {
          newFiles.add(f);
          return fileIds.size();
        });
      }
      a.append(lastFileId);
      a.append(r.line());
      a.appendEpochMicros(r.epochMicros());
      a.append(provider);
      a.append(r.model());
      if (priced.id() >= 0) {
        a.append(priced.id());
      } else {
        a.appendNull();
      }
      a.append(r.requests());
      a.append(r.input());
      a.append(r.output());
      a.append(r.cacheRead());
      a.append(r.cacheWrite());
      a.append(r.cacheWrite1h());
      if (r.latencyMs() < 0) {
        a.appendNull();
      } else {
        a.append(r.latencyMs());
      }
      a.append(r.error());
      a.append(r.batch());
      appendText(a, r.user());
      appendText(a, r.project());
      appendText(a, r.tag());
      appendText(a, r.session());
      if (r.promptHash() == 0) {
        a.appendNull();
      } else {
        a.append(r.promptHash());
      }
      if (r.prefixHash() == 0) {
        a.appendNull();
      } else {
        a.append(r.prefixHash());
      }
      if (cost == null) {
        a.appendNull();
      } else {
        a.append(cost.longValue());
      }
      a.endRow();
      rows++;
    } catch (SQLException e) {
      throw new MaestroException("cannot store usage row " + r.file() + ":" + r.line() + ": " + e.getMessage(), e);
    }
  }

  private static void appendText(DuckDBAppender a, String s) throws SQLException {
    if (s == null) {
      a.appendNull();
    } else {
      a.append(s);
    }
  }

  /** Makes appended rows visible to queries. */
  public void flush() {
    if (!newFiles.isEmpty()) {
      try (var insert = connection.prepareStatement("INSERT INTO files VALUES (?, ?)")) {
        for (String f : newFiles) {
          insert.setInt(1, fileIds.get(f));
          insert.setString(2, f);
          insert.executeUpdate();
        }
      } catch (SQLException e) {
        throw new MaestroException("cannot store file names: " + e.getMessage(), e);
      }
      newFiles.clear();
    }
    if (appender != null) {
      try {
        appender.close();
      } catch (SQLException e) {
        throw new MaestroException("cannot store usage rows: " + e.getMessage(), e);
      }
      appender = null;
    }
  }

  @Override
  public void close() {
    try {
      flush();
    } finally {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing an in-memory database frees it; nothing else to do
      }
    }
  }
}
