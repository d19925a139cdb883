package dev.maestro.cli;

import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.auth.ApiToken;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.ApprovalStatus;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunHandle;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.TraceEntry;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The commands acting on this process's own engine and database. */
final class LocalBackend implements Backend {
  final Application app;
  private final Map<String, RunHandle> handles = new ConcurrentHashMap<>();

  LocalBackend(Application app) {
    this.app = app;
  }

  @Override
  public Agent saveAgent(AgentSpec spec) {
    return app.agents.create(spec);
  }

  @Override
  public List<Agent> agents() {
    return app.agents.list();
  }

  @Override
  public Agent agent(String id) {
    return app.agents.get(id);
  }

  @Override
  public Agent transition(String id, String action) {
    return switch (action) {
      case "pause" -> app.agents.pause(id);
      case "enable" -> app.agents.enable(id);
      case "delete" -> app.agents.delete(id);
      default -> throw new IllegalArgumentException(action);
    };
  }

  @Override
  public String start(String agentId, String input, String model, Path workdir) {
    Agent agent = app.agents.runnable(agentId);
    RunHandle handle = app.engine.start(agent.spec(), input, new RunOptions(model, workdir));
    handles.put(handle.runId(), handle);
    return handle.runId();
  }

  @Override
  public Run follow(String runId) {
    RunHandle handle = handles.get(runId);
    return handle == null ? run(runId) : handle.await();
  }

  @Override
  public void resume(String runId) {
    handles.put(runId, app.engine.resume(runId));
  }

  @Override
  public List<Run> runs(RunQuery query) {
    return app.runs.list(query);
  }

  @Override
  public Run run(String runId) {
    return app.runs.find(runId).orElseThrow(() -> new NotFoundException("no run '" + runId + "'; list runs with 'maestro runs list'"));
  }

  @Override
  public List<TraceEntry> traces(String runId) {
    return app.runs.traces(runId);
  }

  @Override
  public List<RecordedEvent> events(String runId) {
    return app.runs.events(runId, 0);
  }

  @Override
  public List<ApprovalRequest> approvals(ApprovalQuery query) {
    return app.runs.approvals(query);
  }

  @Override
  public ApprovalRequest approval(String id) {
    return app.runs.approval(id).orElseThrow(() -> new NotFoundException("no approval request '" + id
        + "'; list pending ones with 'maestro approvals list'"));
  }

  @Override
  public ApprovalRequest approve(String id, String who, String comment) {
    ApprovalRequest request = app.engine.approve(id, who, comment);
    if (request.status() == ApprovalStatus.APPROVED) {
      handles.put(request.runId(), app.engine.resume(request.runId()));
    }
    return request;
  }

  @Override
  public ApprovalRequest reject(String id, String who, String comment) {
    ApprovalRequest request = app.engine.reject(id, who, comment);
    handles.put(request.runId(), app.engine.resume(request.runId()));
    return request;
  }

  @Override
  public List<ApiToken> tokens() {
    return app.tokens.list(Application.WORKSPACE);
  }

  @Override
  public IssuedToken createToken(String name, Role role, String createdBy) {
    return app.tokens.create(Application.WORKSPACE, name, role, createdBy);
  }

  @Override
  public ApiToken revokeToken(String id) {
    return app.tokens.revoke(Application.WORKSPACE, id);
  }

  @Override
  public Verification verifyAudit() {
    return app.defaults.audit.verify();
  }

  @Override
  public void exportAudit(AuditQuery query, Writer out) {
    app.defaults.audit.export(query, out);
  }

  @Override
  public KnowledgeCollection createCollection(String name, String description) {
    return app.knowledge.create(name, description);
  }

  @Override
  public List<KnowledgeCollection> collections() {
    return app.knowledge.collections();
  }

  @Override
  public void deleteCollection(String name) {
    app.knowledge.delete(name);
  }

  @Override
  public IngestReport ingest(String collection, List<String> sources, IngestProgress progress) {
    return app.knowledge.ingest(collection, sources, progress);
  }

  @Override
  public List<Passage> search(KnowledgeQuery query) {
    return app.knowledge.search(query);
  }

  @Override
  public void close() {
    app.close();
  }
}
