package dev.maestro.cli;

import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.auth.ApiToken;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.internal.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maestro tokens ...} and {@code maestro audit ...}: who may call the API, and the record of what was done. */
final class GovernanceCommands {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private GovernanceCommands() {}

  @Command(name = "tokens", mixinStandardHelpOptions = true, description = "API tokens: create, list, revoke.",
      subcommands = {Tokens.Create.class, Tokens.ListTokens.class, Tokens.Revoke.class})
  static final class Tokens {
    @ParentCommand
    Main main;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; its secret is printed once.")
    static final class Create implements Callable<Integer> {
      @ParentCommand
      Tokens parent;

      @Parameters(paramLabel = "NAME", description = "Who or what it is for (a person's name: approvals are recorded under it).")
      String name;

      @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, approver or viewer.")
      String role;

      @Override
      public Integer call() {
        Main main = parent.main;
        Role r = Role.parse(role);
        try (Backend backend = main.backend(null)) {
          IssuedToken issued = backend.createToken(name, r, "cli:" + ApprovalsCommand.defaultApprover());
          main.out.printf("Created %s (%s, %s). Its secret, shown only now:%n%s%n", issued.token().id(), issued.token().name(),
              issued.token().role().wire(), issued.secret());
          return 0;
        }
      }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The workspace's tokens, revoked ones included.")
    static final class ListTokens implements Callable<Integer> {
      @ParentCommand
      Tokens parent;

      @Option(names = "--json")
      boolean json;

      @Override
      public Integer call() {
        Main main = parent.main;
        try (Backend backend = main.backend(null)) {
          List<ApiToken> tokens = backend.tokens();
          if (json) {
            main.out.println(Json.writePretty(tokens));
          } else {
            new Printer(main.out).table(List.of("ID", "NAME", "ROLE", "CREATED", "LAST USED", "REVOKED"),
                tokens.stream().map(t -> List.of(t.id(), t.name(), t.role().wire(), time(t.createdAt()), time(t.lastUsedAt()),
                    time(t.revokedAt()))).toList());
          }
          return 0;
        }
      }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it stops working at once.")
    static final class Revoke implements Callable<Integer> {
      @ParentCommand
      Tokens parent;

      @Parameters(paramLabel = "TOKEN_ID")
      String id;

      @Override
      public Integer call() {
        Main main = parent.main;
        try (Backend backend = main.backend(null)) {
          ApiToken t = backend.revokeToken(id);
          main.out.printf("Revoked %s (%s).%n", t.id(), t.name());
          return 0;
        }
      }
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit trail: verify its hash chain, export it.",
      subcommands = {Audit.Verify.class, Audit.Export.class})
  static final class Audit {
    @ParentCommand
    Main main;

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Walk the hash chain; exit 1 naming the first entry that was edited or deleted.")
    static final class Verify implements Callable<Integer> {
      @ParentCommand
      Audit parent;

      @Override
      public Integer call() {
        Main main = parent.main;
        try (Backend backend = main.backend(null)) {
          Verification v = backend.verifyAudit();
          if (v.intact()) {
            main.out.printf("The audit trail is intact: %d entries checked.%n", v.entriesChecked());
            return 0;
          }
          main.out.printf("The audit trail was tampered with at entry %d: %s%n", v.firstBadSeq(), v.problem());
          return 1;
        }
      }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Print entries as JSON lines, oldest first.")
    static final class Export implements Callable<Integer> {
      @ParentCommand
      Audit parent;

      @Option(names = "--actor")
      String actor;

      @Option(names = "--action", description = "Actions starting with this, e.g. safety. or runs.")
      String action;

      @Option(names = "--decision")
      String decision;

      @Option(names = "--since", description = "ISO-8601 instant, e.g. 2026-11-22T00:00:00Z.")
      Instant since;

      @Option(names = "--until")
      Instant until;

      @Override
      public Integer call() {
        Main main = parent.main;
        try (Backend backend = main.backend(null)) {
          PrintWriter out = main.out;
          backend.exportAudit(new AuditQuery(actor, action, null, decision, since, until, null, Integer.MAX_VALUE), out);
          out.flush();
          return 0;
        }
      }
    }
  }

  private static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }
}
