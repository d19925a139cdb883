package dev.maestro.packs.spend.internal;

import dev.maestro.engine.MaestroException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Parses on one thread while the caller's thread prices and stores: on two cores, import takes as
 * long as the slower of the two instead of their sum. Rows travel in batches through a small
 * bounded queue, so memory stays flat whatever the file's size.
 */
public final class Pipeline {
  private static final int BATCH = 4_096;
  private static final UsageRow[] END = new UsageRow[0];

  /** What reads rows into a sink (a reader of one file). */
  public interface Source<T> {
    T read(Consumer<UsageRow> sink) throws IOException;
  }

  private Pipeline() {}

  public static <T> T run(Source<T> source, Consumer<UsageRow> sink) {
    BlockingQueue<UsageRow[]> queue = new ArrayBlockingQueue<>(8);
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread producer = Thread.ofPlatform().name("spend-parse").daemon(true).start(() -> {
      UsageRow[][] batch = {new UsageRow[BATCH]};
      int[] n = {0};
      try {
        result[0] = source.read(row -> {
          batch[0][n[0]++] = row;
          if (n[0] == BATCH) {
            put(queue, batch[0]);
            batch[0] = new UsageRow[BATCH];
            n[0] = 0;
          }
        });
        if (n[0] > 0) {
          put(queue, java.util.Arrays.copyOf(batch[0], n[0]));
        }
      } catch (Throwable t) {
        failure[0] = t;
      } finally {
        try {
          queue.put(END);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    try {
      for (UsageRow[] rows = queue.take(); rows != END; rows = queue.take()) {
        for (UsageRow row : rows) {
          sink.accept(row);
        }
      }
      producer.join();
    } catch (InterruptedException e) {
      producer.interrupt();
      Thread.currentThread().interrupt();
      throw new MaestroException("import interrupted");
    } catch (RuntimeException e) {
      producer.interrupt();
      queue.clear();
      throw e;
    }
    Throwable t = failure[0];
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof IOException io) {
      throw new UncheckedIOException(io);
    }
    if (t instanceof Error err) {
      throw err;
    }
    @SuppressWarnings("unchecked")
    T r = (T) result[0];
    return r;
  }

  private static void put(BlockingQueue<UsageRow[]> queue, UsageRow[] rows) {
    try {
      queue.put(rows);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MaestroException("import stopped");
    }
  }
}
