package dev.maestro.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Peak heap use while something runs, seen two ways: the heap in use sampled every 10 ms by a
 * daemon thread (what was really occupied at some instant), and the sum of the heap pools' own
 * peaks since the start (exact per pool, but pools peak at different instants, so the sum can
 * exceed any real instant: an upper bound). Both include garbage not yet collected.
 */
final class HeapSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 10;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
      .toList();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long sampledPeak;
  private long poolPeakSum = -1;

  private HeapSampler() {
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    sampledPeak = memory.getHeapMemoryUsage().getUsed();
    thread = Thread.ofPlatform().name("heap-sampler").daemon(true).start(this::sample);
  }

  static HeapSampler start() {
    return new HeapSampler();
  }

  private void sample() {
    while (running) {
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used > sampledPeak) {
        sampledPeak = used;
      }
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops sampling; the peaks are final afterwards. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long used = memory.getHeapMemoryUsage().getUsed();
    sampledPeak = Math.max(sampledPeak, used);
    poolPeakSum = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  long sampledPeak() {
    return sampledPeak;
  }

  long poolPeakSum() {
    return poolPeakSum;
  }

  /** Heap in use after a full collection: what is still reachable. */
  static long liveAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
