package dev.maestro.benchmarks.spend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap in use, sampled every 10 ms by a daemon thread; the highest value seen. */
final class HeapPeak implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;

  private HeapPeak() {
    peak = memory.getHeapMemoryUsage().getUsed();
    thread = Thread.ofPlatform().name("heap-peak").daemon(true).start(() -> {
      while (running) {
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  static HeapPeak start() {
    return new HeapPeak();
  }

  long peak() {
    return peak;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  /** The process's peak resident memory from /proc (Linux), or "unknown". */
  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).strip();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "unknown";
  }
}
