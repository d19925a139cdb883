package dev.maestro.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.mail.OutboxQuery;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** The outbox of one workspace, one row per mail in {@code email_outbox}. */
final class JdbcOutbox implements Outbox {
  private static final TypeReference<List<String>> ADDRESSES = new TypeReference<>() {};
  private static final String COLUMNS = "id, run_id, agent_id, from_address, to_addresses, cc_addresses, bcc_addresses, subject, body,"
      + " status, error, created_at, sent_at";
  private static final RowMapper<OutboxMail> MAIL = (rs, ctx) -> new OutboxMail(
      rs.getString("id"),
      rs.getString("run_id"),
      rs.getString("agent_id"),
      rs.getString("from_address"),
      addresses(rs.getString("to_addresses")),
      addresses(rs.getString("cc_addresses")),
      addresses(rs.getString("bcc_addresses")),
      rs.getString("subject"),
      rs.getString("body"),
      MailStatus.parse(rs.getString("status")),
      rs.getString("error"),
      Sql.instant(rs, "created_at"),
      Sql.instant(rs, "sent_at"));

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String workspaceId;

  JdbcOutbox(Jdbi jdbi, Dialect dialect, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.workspaceId = workspaceId;
  }

  @Override
  public OutboxMail add(OutboxMail mail) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO email_outbox (workspace_id, " + COLUMNS + ") VALUES (:workspace_id, :id, :run_id,"
              + " :agent_id, :from_address, :to_addresses, :cc_addresses, :bcc_addresses, :subject, :body, :status, :error, :created_at, :sent_at)")
          .bind("workspace_id", workspaceId)
          .bind("id", mail.id())
          .bind("run_id", mail.runId())
          .bind("agent_id", mail.agentId())
          .bind("from_address", mail.from())
          .bind("to_addresses", Json.write(mail.to()))
          .bind("cc_addresses", Json.write(mail.cc()))
          .bind("bcc_addresses", Json.write(mail.bcc()))
          .bind("subject", dialect.text(mail.subject()))
          .bind("body", dialect.text(mail.body()))
          .bind("status", mail.status().wire())
          .bind("error", dialect.text(mail.error()))
          .bind("created_at", mail.createdAt())
          .bind("sent_at", mail.sentAt())
          .execute());
    } catch (JdbiException e) {
      if (Sql.isDuplicateKey(e)) {
        throw new ConflictException("a mail with id '" + mail.id() + "' is already in the outbox");
      }
      throw Sql.failed("record mail '" + mail.id() + "' in the outbox", e);
    }
    writeThrough("record mail '" + mail.id() + "' in the outbox");
    return mail;
  }

  @Override
  public List<OutboxMail> list(OutboxQuery query) {
    var where = new StringBuilder(" WHERE workspace_id = :workspace_id");
    // The equality columns lead the ORDER BY so that H2 too reads the matching index in order.
    var order = new StringBuilder(" ORDER BY workspace_id");
    if (query.status() != null) {
      where.append(" AND status = :status");
      order.append(", status");
    } else if (query.runId() != null) {
      order.append(", run_id");
    }
    if (query.runId() != null) {
      where.append(" AND run_id = :run_id");
    }
    order.append(", created_at DESC, id DESC");
    return Sql.call("list the outbox", () -> jdbi.withHandle(h -> {
      Query q = h.createQuery("SELECT " + COLUMNS + " FROM email_outbox" + where + order + " LIMIT :limit OFFSET :offset")
          .bind("workspace_id", workspaceId)
          .bind("limit", query.limit())
          .bind("offset", query.offset());
      if (query.status() != null) {
        q.bind("status", query.status().wire());
      }
      if (query.runId() != null) {
        q.bind("run_id", query.runId());
      }
      return q.map(MAIL).list();
    }));
  }

  @Override
  public Optional<OutboxMail> find(String id) {
    return Sql.call("read mail '" + id + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM email_outbox WHERE workspace_id = :workspace_id AND id = :id")
            .bind("workspace_id", workspaceId)
            .bind("id", id)
            .map(MAIL)
            .findOne()));
  }

  @Override
  public OutboxMail markSent(String id, Instant sentAt) {
    return settle(id, MailStatus.SENT, null, sentAt);
  }

  @Override
  public OutboxMail markFailed(String id, String error) {
    return settle(id, MailStatus.FAILED, error, null);
  }

  private OutboxMail settle(String id, MailStatus status, String error, Instant sentAt) {
    String what = "mark mail '" + id + "' " + status.wire();
    int changed = Sql.call(what, () -> jdbi.withHandle(h ->
        h.createUpdate("UPDATE email_outbox SET status = :status, error = :error, sent_at = :sent_at"
                + " WHERE workspace_id = :workspace_id AND id = :id AND status IN ('held', 'pending')")
            .bind("status", status.wire())
            .bind("error", dialect.text(error))
            .bind("sent_at", sentAt == null ? null : sentAt.truncatedTo(Sql.TIME_PRECISION))
            .bind("workspace_id", workspaceId)
            .bind("id", id)
            .execute()));
    OutboxMail mail = find(id).orElseThrow(() -> new NotFoundException("no mail '" + id + "' in the outbox"));
    if (changed == 0) {
      throw new ConflictException("mail '" + id + "' is already " + mail.status().wire());
    }
    writeThrough(what);
    return mail;
  }

  private void writeThrough(String what) {
    Sql.call(what, () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
  }

  private static List<String> addresses(String json) {
    try {
      return Json.MAPPER.readValue(json, ADDRESSES);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
