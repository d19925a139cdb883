package dev.maestro.server;

import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.knowledge.KnowledgeBase;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.memory.Memories;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.tool.HttpToolStore;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What the server serves for one workspace: the engine's parts, wired by the application.
 *
 * @param events the hub the engine tells of every appended event (registered as its listener)
 * @param database checks the database is reachable and returns what it is, for {@code /health}
 * @param modelProviders the model providers configured (with a key or a base URL), for {@code /health}
 * @param workdir the working directory runs started over the API are confined to
 * @param http the transport of HTTP tools registered over the API (its address rules apply to them)
 * @param httpTools where tools registered over the API are kept (they are in {@code tools} too)
 * @param outbox the mails agents wrote with {@code send_email}, sent or held
 * @param safety the safety engine for the workspace's policies as they are now (the run engine's too)
 * @param policies the workspace's stored policies; the application rebuilds {@code safety} when they change
 * @param audit the workspace's audit trail, which the server appends every state-changing request to
 * @param memories the agents' memory
 * @param knowledge the knowledge collections
 * @param learning feedback on runs and the insights drawn from it
 * @param pricing what model calls cost (the engine's, for cost quotas), for the console's cost figures; {@link Pricing#NONE} when unknown
 */
public record Services(
    String workspaceId,
    Agents agents,
    RunStore runs,
    RunEngine engine,
    ToolRegistry tools,
    ModelResolver models,
    EventHub events,
    Callable<String> database,
    List<String> modelProviders,
    Path workdir,
    HttpRequestTool http,
    HttpToolStore httpTools,
    Supplier<SafetyEngine> safety,
    PolicyStore policies,
    AuditLog audit,
    Outbox outbox,
    Memories memories,
    KnowledgeBase knowledge,
    Learning learning,
    Pricing pricing) {

  /** The services with no prices known: the console then shows token counts without costs. */
  public Services(String workspaceId, Agents agents, RunStore runs, RunEngine engine, ToolRegistry tools, ModelResolver models,
      EventHub events, Callable<String> database, List<String> modelProviders, Path workdir, HttpRequestTool http,
      HttpToolStore httpTools, Supplier<SafetyEngine> safety, PolicyStore policies, AuditLog audit, Outbox outbox, Memories memories,
      KnowledgeBase knowledge, Learning learning) {
    this(workspaceId, agents, runs, engine, tools, models, events, database, modelProviders, workdir, http, httpTools, safety, policies,
        audit, outbox, memories, knowledge, learning, Pricing.NONE);
  }

  public Services {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(agents, "agents");
    Objects.requireNonNull(runs, "runs");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(tools, "tools");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(database, "database");
    modelProviders = modelProviders == null ? List.of() : List.copyOf(modelProviders);
    workdir = (workdir == null ? Path.of("") : workdir).toAbsolutePath().normalize();
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(httpTools, "httpTools");
    Objects.requireNonNull(safety, "safety");
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(memories, "memories");
    Objects.requireNonNull(knowledge, "knowledge");
    Objects.requireNonNull(learning, "learning");
    pricing = pricing == null ? Pricing.NONE : pricing;
  }
}
