package dev.maestro.server;

import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.mail.OutboxQuery;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.tool.builtin.RegisteredHttpTool;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Integrations: the tool registry (built-in tools, tools from packs, HTTP tools registered at run
 * time) with each tool's risk and schema, the model providers configured, and the mail outbox.
 */
final class ConsoleIntegrations {
  private final Console console;

  ConsoleIntegrations(Console console) {
    this.console = console;
  }

  /**
   * A tool of the registry.
   *
   * @param source {@code builtin}, {@code pack} or {@code registered}
   * @param url for a registered HTTP tool, where its calls are POSTed
   */
  record ToolRow(ToolSpec spec, String source, String url) {
    String parameters() {
      return ConsoleText.json(spec.parameters());
    }
  }

  record IntegrationsPage(Console.Chrome chrome, List<ToolRow> tools, List<String> providers, List<OutboxMail> mails, Instant now) {
    long count(String source) {
      return tools.stream().filter(t -> t.source().equals(source)).count();
    }
  }

  List<Route> routes() {
    return List.of(Console.page("/maestro/integrations", "Tools (built-in, packs, registered HTTP tools), model providers, the outbox",
        this::page));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    List<ToolRow> tools = s.tools().all().stream()
        .map(t -> new ToolRow(t.spec(), ToolRoutes.source(t), t instanceof RegisteredHttpTool http ? http.url() : null))
        .sorted(Comparator.comparing((ToolRow t) -> order(t.source())).thenComparing(t -> t.spec().name()))
        .toList();
    List<OutboxMail> mails = s.outbox().list(new OutboxQuery(null, null, 10, 0));
    console.render(ctx, "integrations.jte", new IntegrationsPage(console.chrome(ctx, "integrations", "Integrations"), tools,
        s.modelProviders(), mails, console.clock.instant()));
  }

  private static int order(String source) {
    return switch (source) {
      case "builtin" -> 0;
      case "pack" -> 1;
      default -> 2;
    };
  }

  static String source(Tool tool) {
    return ToolRoutes.source(tool);
  }
}
