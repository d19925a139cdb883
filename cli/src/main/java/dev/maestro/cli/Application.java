package dev.maestro.cli;

import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.maestro.engine.agent.Agents;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.tool.HttpToolStore;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.knowledge.Embedder;
import dev.maestro.knowledge.HashingEmbedder;
import dev.maestro.knowledge.IndexedMemories;
import dev.maestro.knowledge.LangChain4jEmbedder;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import dev.maestro.server.Workspaces;
import dev.maestro.store.jdbc.JdbcStores;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maestro wired together from its configuration: the database, packs and model providers shared by
 * all workspaces, and each workspace's own agents, runs, tools, policies and engine ({@link
 * Workspace}), opened on first use. The default workspace's parts are fields, for the commands that
 * act on the local database.
 */
final class Application implements AutoCloseable {
  static final String WORKSPACE = Workspaces.DEFAULT;

  final MaestroConfig config;
  final JdbcStores stores;
  final List<Pack> packs;
  /** The transport of registered HTTP tools, with http_request's address rules. */
  final HttpRequestTool http;
  final ModelResolver models;
  final Pricing pricing;
  final TokenStore tokens;
  /** The embedding model of memories and knowledge collections, shared by the workspaces. */
  final Embedder embedder;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Workspace> workspaces = new ConcurrentHashMap<>();

  final Workspace defaults;
  final RunStore runs;
  final Agents agents;
  final ToolRegistry tools;
  final HttpToolStore httpTools;
  /** The mails send_email wrote: sent through SMTP when it is configured, else held. */
  final Outbox outbox;
  final IndexedMemories memories;
  final LuceneKnowledgeBase knowledge;
  final Learning learning;
  final RunEngine engine;

  /** @param listener told of every event of the default workspace's runs (a printer for the command line), or null */
  Application(MaestroConfig config, RunListener listener) {
    this.config = config;
    this.stores = openStores(config);
    this.packs = Packs.discover();
    this.http = new HttpRequestTool(config.tools().http());
    this.models = new ProviderModels(config.providers());
    this.pricing = packs.stream().map(p -> p.pricing(config.packContext(p.id(), clock))).flatMap(Optional::stream).findFirst()
        .orElse(Pricing.NONE);
    this.tokens = stores.tokens();
    this.embedder = embedder(config);
    this.defaults = new Workspace(WORKSPACE, this, stores, clock, listener);
    workspaces.put(WORKSPACE, defaults);
    this.runs = defaults.runs;
    this.agents = defaults.agents;
    this.tools = defaults.tools;
    this.httpTools = defaults.httpTools;
    this.outbox = defaults.outbox;
    this.memories = defaults.memories;
    this.knowledge = defaults.knowledge;
    this.learning = defaults.learning;
    this.engine = defaults.engine;
  }

  /** The workspace, opened on first use (its row is created if it does not exist yet). */
  Workspace workspace(String id) {
    return workspaces.computeIfAbsent(id, w -> new Workspace(w, this, stores, clock, null));
  }

  /** The workspaces opened so far. */
  List<Workspace> openWorkspaces() {
    return List.copyOf(workspaces.values());
  }

  /** The embedding model the configuration names: the built-in one, or an OpenAI-compatible endpoint. */
  static Embedder embedder(MaestroConfig config) {
    String name = config.knowledge().embeddings();
    if (name.equals("bge")) {
      return LangChain4jEmbedder.bge();
    }
    if (name.equals("hash")) {
      return new HashingEmbedder();
    }
    var openai = config.providers().openai();
    var model = OpenAiEmbeddingModel.builder()
        .apiKey(openai.apiKey() == null ? "none" : openai.apiKey())
        .baseUrl(openai.baseUrl())
        .modelName(name.substring("openai:".length()))
        .build();
    return new LangChain4jEmbedder(name, model);
  }

  /** The database the configuration names: PostgreSQL, or the H2 file under the data directory. */
  static JdbcStores openStores(MaestroConfig config) {
    return config.database().url() == null
        ? JdbcStores.openH2(config.dataDir())
        : JdbcStores.open(config.database().url(), config.database().user(), config.database().password());
  }

  @Override
  public void close() {
    workspaces.values().forEach(Workspace::close);
    http.close();
    stores.close();
  }
}
