package dev.maestro.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.audit.AuditChain;
import dev.maestro.engine.audit.AuditEntry;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * The audit trail of one workspace in {@code audit_log}, its newest entry in {@code audit_heads}.
 * An append locks the workspace's {@code audit_heads} row ({@code SELECT ... FOR UPDATE}), inserts
 * the entries that follow it and moves it, in one transaction: processes sharing the database take
 * turns. Within this process, {@link AuditCommitter} writes all appends, in batches.
 */
final class JdbcAuditLog implements AuditLog {
  private static final String COLUMNS = "workspace_id, seq, at, actor, action, target, decision, policy, details, prev_hash, hash";
  private static final int PAGE = 1000;
  private static final RowMapper<AuditEntry> ENTRY = (rs, ctx) -> new AuditEntry(rs.getString("workspace_id"), rs.getLong("seq"),
      Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("decision"),
      rs.getString("policy"), details(rs.getString("details")), rs.getString("prev_hash"), rs.getString("hash"));

  private final Jdbi jdbi;
  private final Clock clock;
  private final String workspaceId;
  private final AuditCommitter committer;

  JdbcAuditLog(Jdbi jdbi, Clock clock, String workspaceId, AuditCommitter committer) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.workspaceId = workspaceId;
    this.committer = committer;
  }

  String workspaceId() {
    return workspaceId;
  }

  /** Makes sure the workspace has its head row; called once per workspace and process. */
  static void prepare(Jdbi jdbi, String workspaceId) {
    Sql.insertIfAbsent(jdbi, "prepare the audit trail of workspace '" + workspaceId + "'",
        "INSERT INTO audit_heads (workspace_id, seq, hash) SELECT :workspace_id, 0, '" + AuditChain.GENESIS + "'"
            + " WHERE NOT EXISTS (SELECT 1 FROM audit_heads WHERE workspace_id = :workspace_id)", workspaceId);
  }

  @Override
  public AuditEntry append(AuditRecord record) {
    return committer.append(this, record);
  }

  /** Appends the records as the next entries of the chain, in one transaction; the committer makes them durable. */
  List<AuditEntry> write(List<AuditRecord> records) {
    return Sql.call("append to the audit trail", () -> jdbi.inTransaction(h -> {
      var head = h.createQuery("SELECT seq, hash FROM audit_heads WHERE workspace_id = :workspace_id FOR UPDATE")
          .bind("workspace_id", workspaceId)
          .map((rs, ctx) -> new Object[] {rs.getLong("seq"), rs.getString("hash")})
          .findOne()
          .orElseThrow(() -> new MaestroException("the audit trail of workspace '" + workspaceId + "' has lost its row in audit_heads,"
              + " which only a change by hand removes; run verify to see what else was changed"));
      long seq = (Long) head[0];
      String prev = (String) head[1];
      Instant at = clock.instant();
      var out = new ArrayList<AuditEntry>(records.size());
      var insert = h.prepareBatch("INSERT INTO audit_log (" + COLUMNS + ") VALUES (:workspace_id, :seq, :at, :actor, :action, :target,"
          + " :decision, :policy, :details, :prev_hash, :hash)");
      for (AuditRecord r : records) {
        AuditEntry e = AuditChain.next(workspaceId, ++seq, at, r, prev);
        prev = e.hash();
        out.add(e);
        insert.bind("workspace_id", workspaceId)
            .bind("seq", e.seq())
            .bind("at", e.at())
            .bind("actor", e.actor())
            .bind("action", e.action())
            .bind("target", e.target())
            .bind("decision", e.decision())
            .bind("policy", e.policy())
            .bind("details", e.details() == null ? null : AuditChain.canonicalJson(e.details()))
            .bind("prev_hash", e.prevHash())
            .bind("hash", e.hash())
            .add();
      }
      insert.execute();
      h.createUpdate("UPDATE audit_heads SET seq = :seq, hash = :hash WHERE workspace_id = :workspace_id")
          .bind("seq", seq)
          .bind("hash", prev)
          .bind("workspace_id", workspaceId)
          .execute();
      return out;
    }));
  }

  @Override
  public List<AuditEntry> list(AuditQuery query) {
    if (query.limit() > AuditQuery.MAX_LIST) {
      throw new InvalidInputException("limit is " + query.limit() + "; list at most " + AuditQuery.MAX_LIST
          + " entries at a time (page with after_seq), or export them");
    }
    return Sql.call("read the audit trail", () -> jdbi.withHandle(h -> select(h, query)));
  }

  private List<AuditEntry> select(Handle h, AuditQuery q) {
    var sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE workspace_id = :workspace_id");
    if (q.actor() != null) {
      sql.append(" AND actor = :actor");
    }
    if (q.action() != null) {
      sql.append(" AND action LIKE :action ESCAPE '\\'");
    }
    if (q.target() != null) {
      sql.append(" AND target = :target");
    }
    if (q.decision() != null) {
      sql.append(" AND decision = :decision");
    }
    if (q.since() != null) {
      sql.append(" AND at >= :since");
    }
    if (q.until() != null) {
      sql.append(" AND at < :until");
    }
    if (q.afterSeq() != null) {
      sql.append(" AND seq > :after_seq");
    }
    // Naming the equality columns of an index in ORDER BY lets H2 too read that index in order.
    sql.append(q.target() != null ? " ORDER BY workspace_id, target, seq" : q.actor() != null ? " ORDER BY workspace_id, actor, seq"
        : " ORDER BY workspace_id, seq");
    sql.append(" LIMIT :limit");
    Query query = h.createQuery(sql.toString())
        .bind("workspace_id", workspaceId)
        .bind("limit", q.limit());
    if (q.actor() != null) {
      query.bind("actor", q.actor());
    }
    if (q.action() != null) {
      query.bind("action", q.action().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (q.target() != null) {
      query.bind("target", q.target());
    }
    if (q.decision() != null) {
      query.bind("decision", q.decision());
    }
    if (q.since() != null) {
      query.bind("since", q.since());
    }
    if (q.until() != null) {
      query.bind("until", q.until());
    }
    if (q.afterSeq() != null) {
      query.bind("after_seq", q.afterSeq());
    }
    return query.map(ENTRY).list();
  }

  @Override
  public Verification verify() {
    return verify(0, null);
  }

  @Override
  public Verification verify(long anchorSeq, String anchorHash) {
    return Sql.call("verify the audit trail", () -> {
      var verifier = new AuditChain.Verifier().anchor(anchorSeq, anchorHash);
      // The head row is moved with every append: a chain that no longer reaches it lost its newest
      // entries (unless whoever deleted them moved the head back too).
      jdbi.withHandle(h -> h.createQuery("SELECT seq, hash FROM audit_heads WHERE workspace_id = :workspace_id")
              .bind("workspace_id", workspaceId)
              .map((rs, ctx) -> new Object[] {rs.getLong("seq"), rs.getString("hash")})
              .findOne())
          .ifPresent(head -> verifier.anchor((Long) head[0], (String) head[1]));
      AuditQuery page = AuditQuery.first(PAGE);
      walk:
      while (true) {
        AuditQuery q = page;
        List<AuditEntry> entries = jdbi.withHandle(h -> select(h, q));
        for (AuditEntry e : entries) {
          if (!verifier.accept(e)) {
            break walk;
          }
        }
        if (entries.size() < PAGE) {
          break;
        }
        page = page.after(entries.getLast().seq());
      }
      return verifier.end().result();
    });
  }

  @Override
  public void export(AuditQuery query, Writer out) {
    long remaining = query.limit();
    AuditQuery page = query.limit((int) Math.min(remaining, PAGE));
    try {
      while (remaining > 0) {
        AuditQuery q = page;
        List<AuditEntry> entries = Sql.call("export the audit trail", () -> jdbi.withHandle(h -> select(h, q)));
        for (AuditEntry e : entries) {
          out.write(Json.write(e));
          out.write('\n');
        }
        remaining -= entries.size();
        if (entries.size() < q.limit() || remaining == 0) {
          break;
        }
        page = q.after(entries.getLast().seq()).limit((int) Math.min(remaining, PAGE));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit export: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<AuditEntry> head() {
    return Sql.call("read the audit trail's head", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM audit_log WHERE workspace_id = :workspace_id ORDER BY workspace_id DESC, seq DESC LIMIT 1")
            .bind("workspace_id", workspaceId)
            .map(ENTRY)
            .findOne()));
  }

  // Details that are no longer JSON were edited by hand; kept as text, they fail their hash check.
  private static JsonNode details(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Json.tree(text);
    } catch (UncheckedIOException e) {
      return TextNode.valueOf(text);
    }
  }
}
