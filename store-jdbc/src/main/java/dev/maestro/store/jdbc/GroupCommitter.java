package dev.maestro.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: one thread drains the writes waiting in a queue and commits them together, so
 * thousands of callers writing at once cost a few transactions instead of thousands. Callers block
 * until their own write is committed or refused (they run on virtual threads, so waiting is cheap).
 * Subclasses say how a batch is committed; each must complete every write's future.
 *
 * @param <P> a queued write, which carries the future its caller waits on
 */
abstract class GroupCommitter<P> implements AutoCloseable {
  // Big enough to spread a commit over many writes, small enough to keep one transaction short.
  private static final int MAX_BATCH = 1000;

  private final P stop;
  private final BlockingQueue<P> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock accepting = new ReentrantLock();
  private boolean closed;
  private final Thread thread;

  /** @param stop a write never submitted, queued last by {@link #close} */
  GroupCommitter(String threadName, P stop) {
    this.stop = stop;
    // Nothing can be queued before the subclass is constructed, so the thread never sees it half made.
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::run);
  }

  /** Commits a batch, completing each write's future (exceptionally when it was refused). */
  abstract void commit(List<P> batch);

  /** Completes every write of a batch whose commit threw: no caller may be left waiting. */
  abstract void failAll(List<P> batch, Throwable e);

  /**
   * Queues the write and waits until it is committed or refused.
   *
   * @param closedMessage why the write cannot be queued when the store is closed
   */
  final <T> T submit(P write, CompletableFuture<T> result, String closedMessage) {
    accepting.lock();
    try {
      if (closed) {
        throw new IllegalStateException(closedMessage);
      }
      queue.add(write);
    } finally {
      accepting.unlock();
    }
    try {
      // Not interruptible on purpose: once queued, the write may commit, and the caller must learn whether it did.
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Commits what is already queued, then stops the thread. */
  @Override
  public void close() {
    accepting.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stop);
    } finally {
      accepting.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    var batch = new ArrayList<P>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops this thread
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      // The stop marker is queued last, after which nothing else is accepted.
      stopping = batch.getLast() == stop;
      if (stopping) {
        batch.removeLast();
      }
      if (!batch.isEmpty()) {
        try {
          commit(batch);
        } catch (Throwable e) {
          failAll(batch, e);
        }
      }
      batch.clear();
    }
  }
}
