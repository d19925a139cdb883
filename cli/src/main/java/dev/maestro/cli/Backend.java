package dev.maestro.cli;

import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.auth.ApiToken;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.TraceEntry;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * What the agent and run commands act on: this process's own engine and database ({@link
 * LocalBackend}), or a running server ({@link RemoteBackend}, with {@code --server URL}).
 */
interface Backend extends AutoCloseable {

  /** Creates the agent, or replaces the spec of the one with its id. */
  Agent saveAgent(AgentSpec spec);

  List<Agent> agents();

  Agent agent(String id);

  /** {@code pause}, {@code enable} or {@code delete}. */
  Agent transition(String id, String action);

  /** Starts a run; returns its id. The {@code workdir} must be null for a server (it decides). */
  String start(String agentId, String input, String model, Path workdir);

  /**
   * Waits until a run started or resumed through this backend ends; the listener the backend was
   * opened with hears each of its events as they are appended.
   */
  Run follow(String runId);

  /** Continues an unfinished run; follow it to its end with {@link #follow}. */
  void resume(String runId);

  List<Run> runs(RunQuery query);

  Run run(String runId);

  List<TraceEntry> traces(String runId);

  List<RecordedEvent> events(String runId);

  /** Approval requests matching the query, newest first. */
  List<ApprovalRequest> approvals(ApprovalQuery query);

  ApprovalRequest approval(String id);

  /** Approves as {@code who}; enough approvals resume the run (a local backend then executes it here: follow it). */
  ApprovalRequest approve(String id, String who, String comment);

  ApprovalRequest reject(String id, String who, String comment);

  List<ApiToken> tokens();

  /** Creates a token in the backend's workspace (the default one locally, the caller's on a server). */
  IssuedToken createToken(String name, Role role, String createdBy);

  ApiToken revokeToken(String id);

  Verification verifyAudit();

  /** Writes the matching audit entries as JSON lines. */
  void exportAudit(AuditQuery query, Writer out);
  KnowledgeCollection createCollection(String name, String description);

  List<KnowledgeCollection> collections();

  void deleteCollection(String name);

  /** Ingests files, directories and URLs; a server resolves paths against its own working directory. */
  IngestReport ingest(String collection, List<String> sources, IngestProgress progress);

  List<Passage> search(KnowledgeQuery query);

  @Override
  void close();
}
