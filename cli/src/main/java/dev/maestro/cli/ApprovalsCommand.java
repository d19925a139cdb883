package dev.maestro.cli;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.ApprovalStatus;
import dev.maestro.engine.run.Run;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "approvals", mixinStandardHelpOptions = true,
    description = "Tool calls waiting for people: list, show, approve, reject.",
    subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Show.class, ApprovalsCommand.Approve.class,
        ApprovalsCommand.Reject.class})
final class ApprovalsCommand {
  @ParentCommand
  Main main;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  /** Who a decision is recorded under when the backend does not know (a local database, or a server without tokens). */
  static String defaultApprover() {
    return System.getProperty("user.name", "unknown");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Pending requests, newest first (or any status with --status).")
  static final class ListApprovals implements Callable<Integer> {
    @ParentCommand
    ApprovalsCommand parent;

    @Option(names = "--status", paramLabel = "STATUS", defaultValue = "pending",
        description = "pending (default), approved, rejected, expired or all.")
    String status;

    @Option(names = "--agent", paramLabel = "ID")
    String agent;

    @Option(names = "--run", paramLabel = "RUN_ID")
    String run;

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      ApprovalStatus wanted = status.equalsIgnoreCase("all") ? null : ApprovalStatus.parse(status);
      try (Backend backend = main.backend(null)) {
        List<ApprovalRequest> requests = backend.approvals(new ApprovalQuery(wanted, agent, run, null, null, null, null, limit, 0));
        if (json) {
          main.out.println(Json.writePretty(requests));
        } else if (requests.isEmpty()) {
          main.out.println(wanted == ApprovalStatus.PENDING ? "Nothing is waiting for approval." : "No approval requests match.");
        } else {
          new Printer(main.out).table(List.of("ID", "RUN", "AGENT", "TOOL", "RISK", "APPROVALS", "STATUS", "DEADLINE"),
              requests.stream().map(r -> List.of(r.id(), r.runId(), String.valueOf(r.agentId()), r.tool(), r.risk().wire(),
                  r.approvedBy().size() + "/" + r.approversRequired(), r.status().wire(), TIME.format(r.deadline()))).toList());
        }
        return 0;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One request: the call, its arguments, why it needs people.")
  static final class Show implements Callable<Integer> {
    @ParentCommand
    ApprovalsCommand parent;

    @Parameters(paramLabel = "REQUEST_ID")
    String id;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      try (Backend backend = main.backend(null)) {
        ApprovalRequest r = backend.approval(id);
        if (json) {
          main.out.println(Json.writePretty(r));
          return 0;
        }
        main.out.printf("%s · %s · run %s · agent %s%n", r.id(), r.status().wire(), r.runId(), r.agentId());
        main.out.printf("tool: %s%narguments: %s%n", r.tool(), Json.writePretty(r.arguments()));
        main.out.printf("risk: %s (%s): %s%n", r.risk().wire(), r.policy(), r.reason());
        main.out.printf("approvals: %d of %d%s · deadline %s%n", r.approvedBy().size(), r.approversRequired(),
            r.approvedBy().isEmpty() ? "" : " " + r.approvedBy(), TIME.format(r.deadline()));
        if (r.resolvedBy() != null) {
          main.out.printf("%s by %s at %s%s%n", r.status().wire(), r.resolvedBy(), TIME.format(r.resolvedAt()),
              r.comment() == null ? "" : ": " + r.comment());
        }
        return 0;
      }
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a waiting call; once enough people have, the run goes on (followed here when local).")
  static final class Approve implements Callable<Integer> {
    @ParentCommand
    ApprovalsCommand parent;

    @Parameters(paramLabel = "REQUEST_ID")
    String id;

    @Option(names = "--comment", paramLabel = "TEXT")
    String comment;

    @Option(names = "--as", paramLabel = "NAME", description = "Who approves, when not known from a token (default: your user name).")
    String as;

    @Override
    public Integer call() {
      return resolve(parent.main, id, true, as, comment);
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true,
      description = "Reject a waiting call; the run goes on and its model is told your comment.")
  static final class Reject implements Callable<Integer> {
    @ParentCommand
    ApprovalsCommand parent;

    @Parameters(paramLabel = "REQUEST_ID")
    String id;

    @Option(names = "--comment", paramLabel = "TEXT", required = true, description = "Why: the agent reads it.")
    String comment;

    @Option(names = "--as", paramLabel = "NAME", description = "Who rejects, when not known from a token (default: your user name).")
    String as;

    @Override
    public Integer call() {
      return resolve(parent.main, id, false, as, comment);
    }
  }

  private static int resolve(Main main, String id, boolean approve, String as, String comment) {
    Printer printer = new Printer(main.out);
    try (Backend backend = main.backend(printer)) {
      String who = as == null || as.isBlank() ? defaultApprover() : as.strip();
      ApprovalRequest r = approve ? backend.approve(id, who, comment) : backend.reject(id, who, comment);
      if (r.status() == ApprovalStatus.PENDING) {
        main.out.printf("Approved by %s; %d more approval(s) needed from other people.%n", who, r.approversRequired() - r.approvedBy().size());
        return 0;
      }
      main.out.printf("%s %s; run %s goes on.%n", r.id(), r.status().wire(), r.runId());
      if (backend instanceof LocalBackend) {
        Run run = backend.follow(r.runId());
        printer.summary(run);
      }
      return 0;
    }
  }
}
