package dev.maestro.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.AgentStore;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.auth.WorkspaceStore;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.learning.FeedbackStore;
import dev.maestro.engine.memory.MemoryStore;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.tool.HttpToolStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The engine's stores on a database: an H2 file (the embedded default) or PostgreSQL, with the
 * schema migrated on open. Appends from all workspaces share one group-committing writer; close
 * this to commit what is pending and release the connections.
 */
public final class JdbcStores implements AutoCloseable {
  private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String description;
  private final AppendCommitter committer;
  private final FinishedRuns finishedRuns = new FinishedRuns();
  private final Set<String> knownWorkspaces = ConcurrentHashMap.newKeySet();
  private final Set<String> preparedPolicies = ConcurrentHashMap.newKeySet();
  private final Set<String> preparedAudits = ConcurrentHashMap.newKeySet();
  private final AuditCommitter auditCommitter;
  private final SecureRandom random = new SecureRandom();

  private JdbcStores(Dialect dialect, HikariDataSource pool, String description) {
    this.dialect = dialect;
    this.pool = pool;
    this.description = description;
    this.jdbi = Sql.jdbi(pool);
    this.committer = new AppendCommitter(jdbi, dialect);
    this.auditCommitter = new AuditCommitter(jdbi, dialect);
  }

  /**
   * Opens the database at a JDBC URL ({@code jdbc:postgresql://...} or {@code jdbc:h2:...}) and
   * brings its schema up to date.
   *
   * @param user null when the URL carries it, as for password
   * @throws InvalidInputException if the URL names another database
   * @throws MaestroException if the database cannot be reached or its schema cannot be migrated
   */
  public static JdbcStores open(String jdbcUrl, String user, String password) {
    Dialect dialect = Dialect.of(jdbcUrl);
    return new JdbcStores(dialect, DataSources.open(dialect, jdbcUrl, user, password), dialect.product + " " + DataSources.redact(jdbcUrl));
  }

  /**
   * Opens (creating if needed) the H2 database {@code <dataDir>/maestro.mv.db}. Other processes may
   * open the same directory at the same time: the first serves the file to the others. An append
   * is in the file before it returns, so it survives the process being killed.
   */
  public static JdbcStores openH2(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MaestroException("cannot create the data directory " + dir + ": " + e.getMessage()
          + "; choose a writable one with --data-dir or MAESTRO_DATA_DIR", e);
    }
    String url = "jdbc:h2:file:" + dir.resolve("maestro") + ";AUTO_SERVER=TRUE";
    return new JdbcStores(Dialect.H2, DataSources.open(Dialect.H2, url, "sa", ""), "H2 file " + dir.resolve("maestro.mv.db"));
  }

  /** The run logs of a workspace, which is created if it does not exist yet. */
  public RunStore runs(String workspaceId) {
    return new JdbcRunStore(jdbi, dialect, committer, finishedRuns, workspace(workspaceId));
  }

  /** The agents of a workspace, which is created if it does not exist yet. */
  public AgentStore agents(String workspaceId) {
    return new JdbcAgentStore(jdbi, dialect, workspace(workspaceId));
  }

  /** The HTTP tools registered in a workspace, which is created if it does not exist yet. */
  public HttpToolStore httpTools(String workspaceId) {
    return new JdbcHttpToolStore(jdbi, dialect, workspace(workspaceId));
  }

  /**
   * The API tokens of every workspace (a bearer token must be resolved to its workspace). Creating a
   * token creates its workspace if it does not exist yet.
   */
  public TokenStore tokens() {
    return tokens(Clock.systemUTC());
  }

  TokenStore tokens(Clock clock) {
    return new JdbcTokenStore(jdbi, dialect, clock, random, this::workspace);
  }

  /** The workspaces, including those the other stores created on first use (named by their id). */
  public WorkspaceStore workspaces() {
    return workspaces(Clock.systemUTC());
  }

  WorkspaceStore workspaces(Clock clock) {
    return new JdbcWorkspaceStore(jdbi, dialect, clock, knownWorkspaces);
  }

  /** The versioned safety policies of a workspace, which is created if it does not exist yet. */
  public PolicyStore policies(String workspaceId) {
    return policies(workspaceId, Clock.systemUTC());
  }

  PolicyStore policies(String workspaceId, Clock clock) {
    String id = workspace(workspaceId);
    if (!preparedPolicies.contains(id)) {
      JdbcPolicyStore.prepare(jdbi, id);
      preparedPolicies.add(id);
    }
    return new JdbcPolicyStore(jdbi, dialect, clock, id);
  }

  /**
   * The hash-chained audit trail of a workspace, which is created if it does not exist yet. Appends
   * from this process are committed in batches by one thread, like run appends.
   */
  public AuditLog audit(String workspaceId) {
    return audit(workspaceId, Clock.systemUTC());
  }

  AuditLog audit(String workspaceId, Clock clock) {
    String id = workspace(workspaceId);
    if (!preparedAudits.contains(id)) {
      JdbcAuditLog.prepare(jdbi, id);
      preparedAudits.add(id);
    }
    return new JdbcAuditLog(jdbi, clock, id, auditCommitter);
  }

  /** The mails written in a workspace (sent or not), which is created if it does not exist yet. */
  public Outbox outbox(String workspaceId) {
    return new JdbcOutbox(jdbi, dialect, workspace(workspaceId));
  }

  /** For tests that change rows behind the stores' back. */
  Jdbi jdbi() {
    return jdbi;
  }

  /** The agent memories of a workspace (rows with their vectors), which is created if it does not exist yet. */
  public MemoryStore memories(String workspaceId) {
    return new JdbcMemoryStore(jdbi, dialect, workspace(workspaceId));
  }

  /** The feedback on runs of a workspace, which is created if it does not exist yet. */
  public FeedbackStore feedback(String workspaceId) {
    return new JdbcFeedbackStore(jdbi, dialect, workspace(workspaceId));
  }

  /** Which database this is, for people: {@code H2 file /home/me/.maestro/maestro.mv.db}, never with a password. */
  public String describe() {
    return description;
  }

  /** Commits the appends already queued, then closes the connections. */
  @Override
  public void close() {
    committer.close();
    auditCommitter.close();
    pool.close();
  }

  private String workspace(String id) {
    if (id == null || !WORKSPACE_ID.matcher(id).matches()) {
      throw new InvalidInputException("workspace id '" + id + "' is not valid; use 1-64 letters, digits, '.', '-' or '_'");
    }
    if (!knownWorkspaces.contains(id)) {
      try {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO workspaces (id, name, created_at) SELECT :id, :id, :created_at"
                + " WHERE NOT EXISTS (SELECT 1 FROM workspaces WHERE id = :id)")
            .bind("id", id)
            .bind("created_at", Instant.now())
            .execute());
      } catch (JdbiException e) {
        if (!Sql.isDuplicateKey(e)) { // else another process created it just now
          throw Sql.failed("create workspace '" + id + "'", e);
        }
      }
      knownWorkspaces.add(id);
    }
    return id;
  }
}
