package dev.maestro.benchmarks.spark;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.io.CompressionCodec;
import org.apache.spark.io.CompressionCodec$;
import org.apache.spark.scheduler.ReplayListenerBus;
import org.apache.spark.scheduler.ReplayListenerBus$;
import org.apache.spark.status.AppStatusListener;
import org.apache.spark.status.AppStatusStore;
import org.apache.spark.status.ElementTrackingStore;
import org.apache.spark.status.api.v1.StageData;
import org.apache.spark.util.kvstore.InMemoryStore;
import scala.Option;

/**
 * Spark's own replay of an event log, as the History Server does it: the events go through a
 * {@link ReplayListenerBus} into an {@link AppStatusListener} writing to an in-memory store. Prints
 * one line of JSON per run: seconds, decompressed bytes, peak heap, and totals read back from the
 * store (to compare with the Spark pack's report).
 *
 * <p>Usage: {@code SparkReplay FILE [--iterations N]}; the codec comes from the file's extension.
 */
public final class SparkReplay {
  private SparkReplay() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int iterations = args.length >= 3 && args[1].equals("--iterations") ? Integer.parseInt(args[2]) : 1;
    for (int i = 0; i < iterations; i++) {
      replay(file);
    }
  }

  private static void replay(Path file) throws IOException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long[] peak = {memory.getHeapMemoryUsage().getUsed()};
    Thread sampler = Thread.ofPlatform().daemon(true).start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long start = System.nanoTime();
    SparkConf conf = new SparkConf();
    InMemoryStore kv = new InMemoryStore();
    ElementTrackingStore store = new ElementTrackingStore(kv, conf);
    // as FsHistoryProvider.rebuildAppStore: a replaying (not live) listener
    AppStatusListener listener = new AppStatusListener(store, conf, false, Option.empty(), Option.empty());
    ReplayListenerBus bus = new ReplayListenerBus();
    bus.addListener(listener);
    String name = file.getFileName().toString().replace(".inprogress", "");
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    InputStream in = switch (ext) {
      case "zstd", "lz4", "snappy", "lzf" -> {
        CompressionCodec codec = CompressionCodec$.MODULE$.createCodec(conf, ext);
        yield codec.compressedInputStream(raw);
      }
      case "gz" -> new java.util.zip.GZIPInputStream(raw, 64 * 1024);
      default -> raw;
    };
    Counting counting = new Counting(in);
    bus.replay(counting, file.toString(), false, ReplayListenerBus$.MODULE$.SELECT_ALL_FILTER());
    store.close(false); // runs the listener's flush of its live entities, as the History Server does
    long nanos = System.nanoTime() - start;
    AppStatusStore status = new AppStatusStore(kv, Option.empty(), Option.empty());
    long runTime = 0;
    long tasks = 0;
    long input = 0;
    long shuffleRead = 0;
    scala.collection.Iterator<StageData> stages = status.stageList(null, false, false, status.stageList$default$4(), status.stageList$default$5()).iterator();
    int count = 0;
    while (stages.hasNext()) {
      StageData s = stages.next();
      runTime += s.executorRunTime();
      input += s.inputBytes();
      shuffleRead += s.shuffleReadBytes();
      tasks += s.numCompleteTasks() + s.numFailedTasks() + s.numKilledTasks();
      count++;
    }
    long executorDuration = 0;
    long executorTasks = 0;
    scala.collection.Iterator<org.apache.spark.status.api.v1.ExecutorSummary> execs = status.executorList(false).iterator();
    while (execs.hasNext()) {
      var e = execs.next();
      executorDuration += e.totalDuration();
      executorTasks += e.completedTasks();
    }
    sampler.interrupt();
    peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
    counting.close();
    System.out.printf(Locale.ROOT, "{\"seconds\":%.3f,\"bytes\":%d,\"peakHeap\":%d,\"stages\":%d,\"tasks\":%d,\"executorRunTime\":%d,"
        + "\"inputBytes\":%d,\"shuffleReadBytes\":%d,\"executorTotalDuration\":%d,\"executorCompletedTasks\":%d}%n", nanos / 1e9,
        counting.bytes, peak[0], count, tasks, runTime, input, shuffleRead, executorDuration, executorTasks);
  }

  private static final class Counting extends FilterInputStream {
    long bytes;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bytes++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        bytes += n;
      }
      return n;
    }
  }
}
