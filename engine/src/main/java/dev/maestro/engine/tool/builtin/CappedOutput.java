package dev.maestro.engine.tool.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Reads a child process's stdout or stderr on its own thread to the end, keeping the first bytes up
 * to a cap and counting (then dropping) the rest, so a child that writes without end neither
 * blocks on a full pipe nor fills our memory.
 */
final class CappedOutput {
  private final byte[] kept;
  private final Thread reader;
  private int length;
  private long total;
  private boolean ended;

  CappedOutput(InputStream in, int maxBytes, String name) {
    this.kept = new byte[maxBytes];
    // A platform thread: a read blocked on a pipe that a stray process holds open must not pin a
    // carrier of the virtual threads that runs use.
    this.reader = Thread.ofPlatform().daemon().name(name).start(() -> drain(in));
  }

  private void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (this) {
          int keep = Math.min(n, kept.length - length);
          System.arraycopy(buffer, 0, kept, length, keep);
          length += keep;
          total += n;
        }
      }
    } catch (IOException e) {
      // the stream was closed under us: what was read so far is the output
    }
    synchronized (this) {
      ended = true;
    }
  }

  /**
   * Waits up to this long for the end of the stream, which comes when every process holding it has
   * exited; not interruptible, as it is part of cleaning up (an interrupt is kept for the caller).
   */
  void awaitQuietly(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean interrupted = false;
    while (reader.isAlive() && System.nanoTime() < deadline) {
      try {
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized boolean truncated() {
    return total > length;
  }

  /** What was kept, as text, with a notice of how much was cut when it was. */
  synchronized String text() {
    String text = Text.utf8Prefix(kept, length);
    if (total <= length) {
      return text;
    }
    return text + "\n[truncated: " + (ended ? "" : "at least ") + total + " bytes written; showing the first " + length + "]";
  }
}
