package dev.maestro.server;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent queries of one page, run at the same time on virtual threads: a page that needs six
 * grouped queries waits for the slowest, not for their sum. A failure is rethrown as it was thrown
 * (a user's mistake stays a 400), after the others have finished.
 */
final class Concurrently implements AutoCloseable {
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  <T> Future<T> start(Callable<T> task) {
    return executor.submit(task);
  }

  static <T> T get(Future<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a query", e);
    }
  }

  /** Waits for every task started. */
  @Override
  public void close() {
    executor.close();
  }
}
