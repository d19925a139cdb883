package dev.maestro.server;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.audit.AuditEntry;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.ApprovalStatus;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * Human in the loop: the queue of tool calls waiting for people (approve or reject in place), the
 * history of requests with filters, and the workspace's audit trail with filters.
 */
final class ConsoleApprovals {
  static final int PAGE = 50;
  private final Console console;

  ConsoleApprovals(Console console) {
    this.console = console;
  }

  /**
   * An approval request as a box with what is asked, why, by when, and the approve and reject
   * buttons for those who may use them while it is pending.
   *
   * @param oob whether it replaces the box already on the page, out of band of another fragment
   */
  record Box(ApprovalRequest request, boolean canApprove, boolean oob, Instant now) {
    boolean pending() {
      return request.status() == ApprovalStatus.PENDING;
    }

    String progress() {
      return request.approvedBy().size() + " of " + request.approversRequired();
    }

    String deadline() {
      return ConsoleText.ago(request.deadline(), now);
    }

    String arguments() {
      return ConsoleText.json(request.arguments());
    }
  }

  /** The page's three tabs: the queue, the history and the audit trail. */
  enum Tab {
    QUEUE, HISTORY, AUDIT;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The history's filters, as given. */
  record HistoryFilter(String status, String agent, String tool) {}

  /** The audit trail's filters, as given (times as typed in the form). */
  record AuditFilter(String actor, String action, String decision, String since, String until) {
    boolean any() {
      return actor != null || action != null || decision != null || since != null || until != null;
    }
  }

  record HitlPage(Console.Chrome chrome, Tab tab, List<Box> pending, List<ApprovalRequest> history, HistoryFilter historyFilter,
      List<String> statuses, int offset, Integer previous, Integer next, List<AuditEntry> audit, AuditFilter auditFilter, String auditNote,
      Long nextAfterSeq, Instant now) {

    String historyLink(int at) {
      return "/maestro/hitl?tab=history&offset=" + at + param("status", historyFilter.status()) + param("agent", historyFilter.agent())
          + param("tool", historyFilter.tool());
    }

    String auditLink(long afterSeq) {
      return "/maestro/hitl?tab=audit&after_seq=" + afterSeq + param("actor", auditFilter.actor()) + param("action", auditFilter.action())
          + param("decision", auditFilter.decision()) + param("since", auditFilter.since()) + param("until", auditFilter.until());
    }

    static String details(AuditEntry e) {
      return e.details() == null || e.details().isNull() ? "" : ConsoleText.preview(Json.write(e.details()), 240);
    }

    private static String param(String name, String value) {
      return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
  }

  List<Route> routes() {
    return List.of(
        Console.page("/maestro/hitl", "Approvals: the queue, the history and the audit trail", this::page),
        Console.action("/maestro/hitl/{id}/approve", "Approve a waiting tool call", Permission.APPROVE, this::approve),
        Console.action("/maestro/hitl/{id}/reject", "Reject a waiting tool call, saying why", Permission.APPROVE, this::reject));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    Tab tab = tab(Params.text(ctx, "tab"));
    Instant now = console.clock.instant();
    boolean canApprove = Auth.principal(ctx).can(Permission.APPROVE);
    List<Box> pending = List.of();
    List<ApprovalRequest> history = List.of();
    var historyFilter = new HistoryFilter(Params.text(ctx, "status"), Params.text(ctx, "agent"), Params.text(ctx, "tool"));
    int offset = Params.integer(ctx, "offset", 0, 0, 1_000_000);
    Integer next = null;
    List<AuditEntry> audit = List.of();
    var auditFilter = new AuditFilter(Params.text(ctx, "actor"), Params.text(ctx, "action"), Params.text(ctx, "decision"),
        Params.text(ctx, "since"), Params.text(ctx, "until"));
    String auditNote = null;
    Long nextAfterSeq = null;
    switch (tab) {
      case QUEUE -> pending = s.runs().approvals(ApprovalQuery.pending(PAGE)).stream().map(a -> new Box(a, canApprove, false, now)).toList();
      case HISTORY -> {
        ApprovalStatus status = historyFilter.status() == null ? null : ApprovalStatus.parse(historyFilter.status());
        history = s.runs().approvals(new ApprovalQuery(status, historyFilter.agent(), null, historyFilter.tool(), null, null, null, PAGE, offset));
        next = history.size() == PAGE ? offset + PAGE : null;
      }
      case AUDIT -> {
        String after = Params.text(ctx, "after_seq");
        if (!auditFilter.any() && after == null) {
          // The newest entries, newest first: the page after the entry PAGE before the head.
          long head = s.audit().head().map(AuditEntry::seq).orElse(0L);
          audit = s.audit().list(AuditQuery.first(PAGE).after(Math.max(0, head - PAGE))).reversed();
          auditNote = "The " + audit.size() + " newest entries, newest first. Filter to search the whole trail (oldest first).";
        } else {
          var query = new AuditQuery(auditFilter.actor(), auditFilter.action(), null, auditFilter.decision(), time(auditFilter.since(), "since"),
              time(auditFilter.until(), "until"), after == null ? null : afterSeq(after), PAGE);
          audit = s.audit().list(query);
          nextAfterSeq = audit.size() == PAGE ? audit.getLast().seq() : null;
          auditNote = "Matching entries, oldest first.";
        }
      }
    }
    console.render(ctx, "hitl.jte", new HitlPage(console.chrome(ctx, "hitl", "Approvals"), tab, pending, history, historyFilter,
        Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::wire).toList(), offset, offset == 0 ? null : Math.max(0, offset - PAGE),
        next, audit, auditFilter, auditNote, nextAfterSeq, now));
  }

  private void approve(Context ctx) {
    Services s = Auth.services(ctx);
    String id = find(s, ctx.pathParam("id")).id();
    ApprovalRequest request = s.engine().approve(id, Auth.principal(ctx).name(), comment(ctx));
    console.render(ctx, "approval_box.jte", new Box(request, true, false, console.clock.instant()));
  }

  private void reject(Context ctx) {
    Services s = Auth.services(ctx);
    String id = find(s, ctx.pathParam("id")).id();
    String comment = comment(ctx);
    if (comment == null) {
      throw new InvalidInputException("say why you reject the call in the comment: the agent's model reads it and must deal with it");
    }
    ApprovalRequest request = s.engine().reject(id, Auth.principal(ctx).name(), comment);
    console.render(ctx, "approval_box.jte", new Box(request, true, false, console.clock.instant()));
  }

  private static String comment(Context ctx) {
    String comment = ctx.formParam("comment");
    return comment == null || comment.isBlank() ? null : comment.strip();
  }

  private static ApprovalRequest find(Services s, String id) {
    return s.runs().approval(id).orElseThrow(() -> new NotFoundException("there is no approval request '" + id
        + "' in this workspace; the approvals page lists the pending ones"));
  }

  private static Tab tab(String text) {
    if (text == null) {
      return Tab.QUEUE;
    }
    for (Tab t : Tab.values()) {
      if (t.wire().equals(text)) {
        return t;
      }
    }
    throw new InvalidInputException("tab '" + text + "' is not one of queue, history, audit");
  }

  /** A time typed in a filter: ISO-8601 ({@code 2026-11-22T10:00:00Z}) or a browser's date-time field ({@code 2026-11-22T10:00}, taken as UTC). */
  static Instant time(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new InvalidInputException("'" + field + "' must be a time such as 2026-11-22T10:00 (UTC) or 2026-11-22T10:00:00Z, not '" + text + "'");
      }
    }
  }

  private static long afterSeq(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("'after_seq' must be a whole number, not '" + text + "'");
    }
  }
}
