package dev.maestro.engine.run;

import dev.maestro.engine.MaestroException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A run executing in this process: its id and the run as it ends (or stops executing here). */
public record RunHandle(String runId, CompletableFuture<Run> completion) {

  /** Waits for this execution to end and returns the run's final summary. */
  public Run await() {
    try {
      return completion.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MaestroException("interrupted while waiting for run " + runId, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new MaestroException("run " + runId + " failed: " + e.getCause(), e.getCause());
    }
  }
}
