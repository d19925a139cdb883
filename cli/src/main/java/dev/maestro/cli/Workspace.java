package dev.maestro.cli;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.knowledge.KnowledgeSearchTool;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.memory.MemoryTools;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.tool.HttpToolDefinition;
import dev.maestro.engine.tool.HttpToolStore;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.BuiltinTools;
import dev.maestro.engine.tool.builtin.RegisteredHttpTool;
import dev.maestro.knowledge.IndexedMemories;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import dev.maestro.server.EventHub;
import dev.maestro.store.jdbc.JdbcStores;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.LoggerFactory;

/**
 * One workspace's share of the platform: its agents, runs, tools (built-in, pack and registered
 * HTTP tools), policies, audit trail, event hub and run engine. Nothing here sees another
 * workspace's rows: every store is opened for this workspace alone.
 */
final class Workspace implements AutoCloseable {
  final String id;
  final RunStore runs;
  final Agents agents;
  final ToolRegistry tools;
  final HttpToolStore httpTools;
  /** The mails agents wrote with send_email: sent through SMTP when configured, else held here. */
  final Outbox outbox;
  final PolicyStore policies;
  final PolicyCache safety;
  final AuditLog audit;
  final AuditTrail auditTrail;
  final IndexedMemories memories;
  final LuceneKnowledgeBase knowledge;
  final Learning learning;
  final EventHub events = new EventHub();
  final RunEngine engine;

  /** @param listener also told of every event of this workspace's runs, or null */
  Workspace(String id, Application app, JdbcStores stores, Clock clock, RunListener listener) {
    this.id = id;
    MaestroConfig config = app.config;
    this.runs = stores.runs(id);
    this.agents = new Agents(stores.agents(id), clock);
    var t = config.tools();
    this.tools = new ToolRegistry(BuiltinTools.standard(t.http(), t.datasources(), t.readFileMaxBytes()));
    this.outbox = stores.outbox(id);
    var mail = config.mail();
    BuiltinTools.highRisk(t.python(), outbox, mail.smtp() == null ? null : new SmtpMailer(mail.smtp()), mail.from()).forEach(tools::register);
    this.httpTools = stores.httpTools(id);
    for (HttpToolDefinition definition : httpTools.list()) {
      try {
        tools.register(new RegisteredHttpTool(definition.spec(), definition.url(), app.http));
      } catch (MaestroException e) {
        LoggerFactory.getLogger(Workspace.class).warn("registered tool '{}' of workspace {} not loaded: {}", definition.name(), id, e.getMessage());
      }
    }
    Path index = config.dataDir().resolve("index").resolve(id);
    this.memories = new IndexedMemories(stores.memories(id), app.embedder, config.memory().weights(), clock, index.resolve("memory"));
    this.knowledge = new LuceneKnowledgeBase(index.resolve("knowledge"), app.embedder, clock, config.knowledge().maxFileBytes(),
        t.http().allowedHosts());
    this.learning = new Learning(stores.feedback(id), memories, runs, clock);
    MemoryTools.of(memories).forEach(tools::register);
    tools.register(new KnowledgeSearchTool(knowledge));
    this.safety = new PolicyCache(stores.policies(id), config.safety());
    this.policies = new ChangeNotifyingPolicies(stores.policies(id), safety::invalidate);
    this.audit = stores.audit(id);
    this.auditTrail = new AuditTrail(audit, id);
    var builder = RunEngine.builder().store(runs).tools(tools).models(app.models).clock(clock).safety(safety).pricing(app.pricing)
        .memory(memories, config.memory().settings())
        .listener(events).listener(auditTrail);
    for (Pack pack : app.packs) {
      pack.tools(config.packContext(pack.id(), clock)).forEach(tools::register);
      builder.workflows(pack.workflows());
      pack.agents().forEach(agents::install);
    }
    if (listener != null) {
      builder.listener(listener);
    }
    this.engine = builder.build();
  }

  /** Closes every part, each even if another fails: a stopping server must not leave files half written. */
  @Override
  public void close() {
    for (AutoCloseable part : new AutoCloseable[] {engine, auditTrail, tools, knowledge, memories}) {
      try {
        part.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(Workspace.class).warn("workspace {}: closing {} failed: {}", id, part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
