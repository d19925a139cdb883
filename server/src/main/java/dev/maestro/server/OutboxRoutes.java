package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.mail.OutboxQuery;
import io.javalin.http.Context;
import java.util.List;

/** The outbox: every mail agents wrote with send_email, held (no SMTP server configured), sent or failed. */
final class OutboxRoutes {

  List<Route> routes() {
    return List.of(
        Route.get("/api/apa/outbox", "outbox", "List the mails agents wrote, newest first", "OutboxPage", this::list,
            new Route.Param("status", "only mails in this status: held (not sent: no SMTP server configured), pending, sent, failed"),
            new Route.Param("run_id", "only mails written by this run"),
            new Route.Param("limit", "at most this many mails (1-1000, default 50)"),
            new Route.Param("offset", "skip this many mails first (default 0)")),
        Route.get("/api/apa/outbox/{id}", "outbox", "Show one mail with its body and what became of it", "OutboxMail", this::show));
  }

  private void list(Context ctx) {
    String status = Params.text(ctx, "status");
    int limit = Params.integer(ctx, "limit", 50);
    int offset = Params.integer(ctx, "offset", 0);
    var query = new OutboxQuery(status == null ? null : MailStatus.parse(status), Params.text(ctx, "run_id"), limit, offset);
    RunRoutes.json(ctx, Params.page("mails", services(ctx).outbox().list(query), limit, offset));
  }

  private void show(Context ctx) {
    String id = ctx.pathParam("id");
    OutboxMail mail = services(ctx).outbox().find(id)
        .orElseThrow(() -> new NotFoundException("no mail '" + id + "' in the outbox; list mails with GET /api/apa/outbox"));
    RunRoutes.json(ctx, mail);
  }
}
