package dev.maestro.cli;

import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.tool.HttpToolDefinition;
import dev.maestro.engine.tool.HttpToolStore;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.engine.tool.builtin.RegisteredHttpTool;
import org.slf4j.LoggerFactory;
import dev.maestro.engine.tool.builtin.BuiltinTools;
import dev.maestro.store.jdbc.JdbcStores;
import java.time.Clock;
import java.util.List;

/** Maestro wired together from its configuration: store, agents, tools, models and the engine. */
final class Application implements AutoCloseable {
  static final String WORKSPACE = "default";

  final MaestroConfig config;
  final JdbcStores stores;
  final RunStore runs;
  final Agents agents;
  final ToolRegistry tools;
  final List<Pack> packs;
  /** The transport of registered HTTP tools, with http_request's address rules. */
  final HttpRequestTool http;
  final HttpToolStore httpTools;
  /** The mails send_email wrote: sent through SMTP when it is configured, else held. */
  final Outbox outbox;
  final RunEngine engine;

  Application(MaestroConfig config, RunListener listener) {
    this.config = config;
    this.stores = openStores(config);
    Clock clock = Clock.systemUTC();
    this.runs = stores.runs(WORKSPACE);
    this.agents = new Agents(stores.agents(WORKSPACE), clock);
    var t = config.tools();
    this.tools = new ToolRegistry(BuiltinTools.standard(t.http(), t.datasources(), t.readFileMaxBytes()));
    this.outbox = stores.outbox(WORKSPACE);
    var mail = config.mail();
    BuiltinTools.highRisk(t.python(), outbox, mail.smtp() == null ? null : new SmtpMailer(mail.smtp()), mail.from()).forEach(tools::register);
    this.http = new HttpRequestTool(t.http());
    this.httpTools = stores.httpTools(WORKSPACE);
    for (HttpToolDefinition definition : httpTools.list()) {
      try {
        tools.register(new RegisteredHttpTool(definition.spec(), definition.url(), http));
      } catch (MaestroException e) {
        LoggerFactory.getLogger(Application.class).warn("registered tool '{}' not loaded: {}", definition.name(), e.getMessage());
      }
    }
    this.packs = Packs.discover();
    var builder = RunEngine.builder().store(runs).tools(tools).models(new ProviderModels(config.providers())).clock(clock);
    for (Pack pack : packs) {
      pack.tools(config.packContext(pack.id(), clock)).forEach(tools::register);
      builder.workflows(pack.workflows());
      pack.agents().forEach(agents::install);
    }
    if (listener != null) {
      builder.listener(listener);
    }
    this.engine = builder.build();
  }

  /** The database the configuration names: PostgreSQL, or the H2 file under the data directory. */
  static JdbcStores openStores(MaestroConfig config) {
    return config.database().url() == null
        ? JdbcStores.openH2(config.dataDir())
        : JdbcStores.open(config.database().url(), config.database().user(), config.database().password());
  }

  @Override
  public void close() {
    engine.close();
    tools.close();
    http.close();
    stores.close();
  }
}
