package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator of {@link ServerLoad}, run in a second JVM so that it does not share the
 * server's heap, JIT or GC. Two modes:
 *
 * <ul>
 *   <li>{@code requests}: N keep-alive connections, one virtual thread each, sending one request
 *       at a time; closed loop (each connection sends again as soon as it has the answer) or, with
 *       {@code --rate}, open loop (request i of the measured window is due at its start + i/rate, and
 *       its latency is counted from when it was due, so a stalled server is not hidden by the client
 *       waiting for it; the warm-up before the window is closed loop).
 *   <li>{@code sse}: N event-stream subscribers that note, per event, the {@code System.nanoTime()}
 *       at which they read it; the times go to a file for the server process to compare with the
 *       times it appended the events.
 * </ul>
 *
 * Prints {@code CLOCK <nanoTime>} first (so the parent can check both processes read the same
 * monotonic clock), {@code READY} when subscribers have caught up, and one line {@code RESULT
 * <json>} at the end.
 */
public final class LoadGenerator {
  private static final String USAGE = """
      usage: LoadGenerator --mode requests|sse --port P [--host H] --path PATH ...
        requests: [--method GET|POST] [--body JSON] [--connections N] [--warmup-s S] [--seconds S] [--rate R (0: closed loop)]
        sse:      [--subscribers N] --ready-seq SEQ --max-seq SEQ --out FILE""";

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    System.out.println("CLOCK " + System.nanoTime());
    System.out.flush();
    var o = new Options(args, Set.of("mode", "host", "port", "path", "method", "body", "connections", "warmup-s", "seconds", "rate",
        "subscribers", "ready-seq", "max-seq", "out"), USAGE);
    String host = o.text("host") == null ? "127.0.0.1" : o.text("host");
    int port = o.integer("port", 0, 1);
    String path = o.text("path");
    ObjectNode result = switch (String.valueOf(o.text("mode"))) {
      case "requests" -> requests(host, port, o.text("method") == null ? "GET" : o.text("method"), path, o.text("body"),
          o.integer("connections", 32, 1), o.integer("warmup-s", 5, 0), o.integer("seconds", 10, 1), o.integer("rate", 0, 0));
      case "sse" -> sse(host, port, path, o.integer("subscribers", 1000, 1), o.integer("ready-seq", 0, 0), o.integer("max-seq", 0, 1),
          Path.of(o.text("out")));
      default -> throw new IllegalArgumentException("--mode must be requests or sse\n" + USAGE);
    };
    System.out.println("RESULT " + Json.write(result));
    System.out.flush();
    System.exit(0);
  }

  /** Latencies noted by one connection, in nanoseconds. */
  private static final class Samples {
    long[] values = new long[1 << 14];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  private static ObjectNode requests(String host, int port, String method, String path, String body, int connections, int warmupS,
      int seconds, int rate) throws Exception {
    byte[] request = HttpConnection.request(method, path, host, port, body);
    long start = System.nanoTime() + 200_000_000L; // every connection open first
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupS);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    double interval = rate > 0 ? 1e9 / rate : 0;
    var next = new AtomicLong();
    var statuses = new ConcurrentHashMap<Integer, AtomicInteger>();
    var errors = new AtomicInteger();
    var firstError = new AtomicReference<String>();
    var all = new ArrayList<Samples>();
    var bodyBytes = new AtomicInteger();
    var threads = new ArrayList<Thread>();
    var cpuAtMeasure = new AtomicLong(-1);
    var allLate = new ArrayList<Samples>();
    for (int c = 0; c < connections; c++) {
      var samples = new Samples();
      var late = new Samples();
      all.add(samples);
      allLate.add(late);
      threads.add(Thread.ofVirtual().start(() -> {
        try (var conn = new HttpConnection(host, port)) {
          LockSupport.parkNanos(start - System.nanoTime());
          long prevDone = 0;
          while (true) {
            long due;
            if (rate > 0 && System.nanoTime() >= measureFrom) {
              // open loop from the window's start; the warm-up before it is closed loop, so a slow
              // start (JIT) leaves no backlog in the window
              due = measureFrom + (long) (next.getAndIncrement() * interval);
              if (due >= end) {
                return;
              }
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            } else {
              due = System.nanoTime();
              if (due >= end) {
                return;
              }
            }
            if (due >= measureFrom && cpuAtMeasure.get() < 0) {
              cpuAtMeasure.compareAndSet(-1, Report.processCpuNanos());
            }
            long sent = System.nanoTime();
            int status = conn.exchange(request);
            long done = System.nanoTime();
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            bodyBytes.set(conn.bodyBytes());
            if (due >= measureFrom && due < end) {
              samples.add(done - due);
              // how late this process itself sent: after the request was due and the connection free
              late.add(Math.max(0, sent - Math.max(due, prevDone)));
            }
            prevDone = done;
          }
        } catch (IOException | RuntimeException e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long finished = System.nanoTime();
    long cpu = Report.processCpuNanos() - cpuAtMeasure.get();
    int n = all.stream().mapToInt(s -> s.size).sum();
    long[] lat = new long[n];
    int k = 0;
    for (Samples s : all) {
      System.arraycopy(s.values, 0, lat, k, s.size);
      k += s.size;
    }
    Arrays.sort(lat);
    long[] lateness = new long[n];
    k = 0;
    for (Samples s : allLate) {
      System.arraycopy(s.values, 0, lateness, k, s.size);
      k += s.size;
    }
    Arrays.sort(lateness);
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("requests", n);
    r.put("seconds", seconds);
    // closed loop: requests begun in the window; open loop: requests due in the window (all of them, or the run fell behind)
    r.put("due", rate > 0 ? (long) (seconds * (double) rate) : n);
    r.put("window_start_nanos", measureFrom);
    r.put("window_end_nanos", end);
    r.put("finished_nanos", finished);
    r.put("p50_ns", Report.percentile(lat, 50));
    r.put("p90_ns", Report.percentile(lat, 90));
    r.put("p99_ns", Report.percentile(lat, 99));
    r.put("p999_ns", Report.percentile(lat, 99.9));
    r.put("max_ns", n == 0 ? 0 : lat[n - 1]);
    r.put("client_late_p99_ns", Report.percentile(lateness, 99));
    r.put("cpu_ns", cpu);
    r.put("body_bytes", bodyBytes.get());
    r.put("errors", errors.get());
    r.put("first_error", firstError.get());
    ObjectNode st = r.putObject("statuses");
    statuses.forEach((s, c) -> st.put(Integer.toString(s), c.get()));
    return r;
  }

  private static ObjectNode sse(String host, int port, String path, int subscribers, int readySeq, int maxSeq, Path out) throws Exception {
    byte[] request = HttpConnection.request("GET", path, host, port, null);
    long[][] readAt = new long[subscribers][maxSeq + 1];
    var ready = new CountDownLatch(subscribers);
    var done = new CountDownLatch(subscribers);
    var errors = new AtomicInteger();
    var firstError = new AtomicReference<String>();
    var endedEarly = new AtomicInteger();
    var connecting = new Semaphore(64); // a burst of 1,000 SYNs at once overflows the accept queue; this is about connecting, not reading
    long cpu0 = Report.processCpuNanos();
    for (int i = 0; i < subscribers; i++) {
      long[] times = readAt[i];
      Thread.ofVirtual().start(() -> {
        boolean counted = false;
        try {
          connecting.acquire();
          HttpConnection conn;
          int status;
          try {
            conn = new HttpConnection(host, port);
            status = conn.open(request);
          } finally {
            connecting.release();
          }
          try (conn) {
            if (status != 200) {
              throw new IOException("status " + status);
            }
            if (readySeq == 0) {
              ready.countDown();
              counted = true;
            }
            long id = -1;
            String type = null;
            String line;
            while ((line = conn.readStreamLine()) != null) {
              if (line.isEmpty()) {
                if (id >= 0) {
                  if (id <= maxSeq) {
                    times[(int) id] = System.nanoTime();
                  }
                  if (!counted && id >= readySeq) {
                    ready.countDown();
                    counted = true;
                  }
                  if ("run_completed".equals(type) || "run_failed".equals(type) || "run_cancelled".equals(type)) {
                    return;
                  }
                }
                id = -1;
                type = null;
              } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
              } else if (line.startsWith("event: ")) {
                type = line.substring(7);
              }
            }
            endedEarly.incrementAndGet();
          }
        } catch (IOException | RuntimeException | InterruptedException e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        } finally {
          if (!counted) {
            ready.countDown();
          }
          done.countDown();
        }
      });
    }
    boolean allReady = ready.await(120, TimeUnit.SECONDS);
    System.out.println("READY " + allReady);
    System.out.flush();
    long cpuReady = Report.processCpuNanos();
    boolean allDone = done.await(600, TimeUnit.SECONDS);
    long cpuEnd = Report.processCpuNanos();
    try (var data = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
      data.writeInt(subscribers);
      data.writeInt(maxSeq);
      for (long[] times : readAt) {
        for (long t : times) {
          data.writeLong(t);
        }
      }
    }
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("subscribers", subscribers);
    r.put("all_ready", allReady);
    r.put("all_done", allDone);
    r.put("ended_early", endedEarly.get());
    r.put("errors", errors.get());
    r.put("first_error", firstError.get());
    r.put("cpu_connect_ns", cpuReady - cpu0);
    r.put("cpu_stream_ns", cpuEnd - cpuReady);
    return r;
  }
}
