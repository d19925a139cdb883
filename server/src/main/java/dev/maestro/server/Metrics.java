package dev.maestro.server;

import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics, all counted from the events runs append: runs by status, step and model
 * latency, tokens, tool calls by tool and outcome. Counts start at zero when the server starts,
 * as Prometheus counters do.
 */
final class Metrics implements RunListener {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong active = new AtomicLong();
  /** When each executing run's current step began (its latest model call's event time). */
  private final Map<String, Instant> stepStarted = new ConcurrentHashMap<>();

  private final Set<EventHub> hubs = ConcurrentHashMap.newKeySet();

  Metrics() {
    Gauge.builder("maestro_runs_active", active, AtomicLong::get).description("Runs executing in this process").register(registry);
    Gauge.builder("maestro_event_subscribers", hubs, h -> h.stream().mapToInt(EventHub::subscribers).sum())
        .description("Connected event stream clients").register(registry);
  }

  /** Counts the events of a workspace's hub from now on. */
  void watch(EventHub hub) {
    if (hubs.add(hub)) {
      hub.also(this);
    }
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      switch (e.event()) {
        case RunEvent.RunCreated c -> runs("created");
        case RunEvent.RunStarted s -> active.incrementAndGet();
        case RunEvent.ModelCalled m -> {
          endStep(e);
          stepStarted.put(e.runId(), e.at());
          Timer.builder("maestro_model_latency").description("Model call latency").tag("model", String.valueOf(m.model()))
              .publishPercentileHistogram().register(registry).record(Duration.ofMillis(m.latencyMs()));
          tokens(m.model(), "input", m.inputTokens());
          tokens(m.model(), "output", m.outputTokens());
          tokens(m.model(), "cached", m.cachedTokens());
        }
        case RunEvent.SafetyDecided d -> registry.counter("maestro_safety_decisions", "action", d.action().wire(), "risk", d.risk().wire())
            .increment();
        case RunEvent.ApprovalRequested a -> active.decrementAndGet(); // the run waits holding no thread
        case RunEvent.ToolCallCompleted c -> tool(c.tool(), "completed", c.durationMs());
        case RunEvent.ToolCallFailed f -> tool(f.tool(), f.outcomeUnknown() ? "unknown" : "failed", f.durationMs());
        case RunEvent.RunCompleted c -> finished(e, "completed");
        case RunEvent.RunFailed f -> finished(e, "failed");
        case RunEvent.RunCancelled c -> finished(e, "cancelled");
        default -> {}
      }
    }
  }

  String scrape() {
    return registry.scrape();
  }

  private void finished(RecordedEvent e, String status) {
    endStep(e);
    runs(status);
    active.updateAndGet(n -> Math.max(0, n - 1));
  }

  private void endStep(RecordedEvent e) {
    Instant began = stepStarted.remove(e.runId());
    if (began != null) {
      Timer.builder("maestro_step_latency").description("Time from one model call of a run to the next (model, tools and engine)")
          .publishPercentileHistogram().register(registry).record(Duration.between(began, e.at()));
    }
  }

  private void runs(String status) {
    Counter.builder("maestro_runs").description("Runs by status reached").tag("status", status).register(registry).increment();
  }

  private void tokens(String model, String kind, long n) {
    if (n > 0) {
      Counter.builder("maestro_tokens").description("Model tokens").tag("model", String.valueOf(model)).tag("kind", kind)
          .register(registry).increment(n);
    }
  }

  private void tool(String tool, String outcome, long durationMs) {
    Counter.builder("maestro_tool_calls").description("Tool calls by tool and outcome").tag("tool", tool).tag("outcome", outcome)
        .register(registry).increment();
    Timer.builder("maestro_tool_duration").tag("tool", tool).register(registry).record(Duration.ofMillis(durationMs));
  }
}
