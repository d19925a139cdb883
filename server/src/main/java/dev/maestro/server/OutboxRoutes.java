package dev.maestro.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.mail.OutboxQuery;
import io.javalin.http.Context;
import java.util.List;

/** The outbox: every mail agents wrote with send_email, held (no SMTP server configured), sent or failed. */
final class OutboxRoutes {
  private final Services services;

  OutboxRoutes(Services services) {
    this.services = services;
  }

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
    String status = ctx.queryParam("status");
    int limit = intParam(ctx, "limit", 50);
    int offset = intParam(ctx, "offset", 0);
    var query = new OutboxQuery(status == null || status.isBlank() ? null : MailStatus.parse(status), ctx.queryParam("run_id"), limit, offset);
    List<OutboxMail> mails = services.outbox().list(query);
    ObjectNode page = Json.MAPPER.createObjectNode();
    page.set("mails", Json.MAPPER.valueToTree(mails));
    page.put("limit", limit);
    page.put("offset", offset);
    if (mails.size() == limit) {
      page.put("next_offset", offset + limit);
    } else {
      page.putNull("next_offset");
    }
    RunRoutes.json(ctx, page);
  }

  private void show(Context ctx) {
    String id = ctx.pathParam("id");
    OutboxMail mail = services.outbox().find(id)
        .orElseThrow(() -> new NotFoundException("no mail '" + id + "' in the outbox; list mails with GET /api/apa/outbox"));
    RunRoutes.json(ctx, mail);
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("query parameter '" + name + "' must be a whole number, not '" + value + "'");
    }
  }
}
