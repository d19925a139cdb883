package dev.maestro.benchmarks;

import dev.maestro.engine.memory.InMemoryMemoryStore;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryStore;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.MemoryVector;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.memory.Recall;
import dev.maestro.knowledge.HashingEmbedder;
import dev.maestro.knowledge.IndexedMemories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * What recalling an agent's memories costs when a workspace holds many: the recall a run makes
 * before its first model call (index kept in step with the database, BM25 and vector candidates,
 * rows and vectors read, ranked, marked accessed). Per store: the memories are written as rows (as
 * runs and the API leave them), a fresh memory service opens over them, and then are measured the
 * first recall (which builds the index from the rows), recalls one after another, recalls from 8
 * threads at once, and recalls while another process keeps adding rows. The baseline is the
 * in-memory store at the same size.
 */
public final class MemoryRecall {
  private MemoryRecall() {}

  static final int AGENTS = 100;

  public static void main(String[] args) throws Exception {
    var options = new Options(args, Set.of("sizes", "stores", "recalls"),
        "MemoryRecall [--sizes=10000,100000] [--stores=memory,h2,postgres] [--recalls=500]");
    Report.quietLogging();
    Report.machine();
    String sizesText = options.text("sizes");
    List<Integer> sizes = sizesText == null ? List.of(10_000, 100_000)
        : Stream.of(sizesText.split(",")).map(String::strip).map(Integer::parseInt).toList();
    int recalls = options.integer("recalls", 500, 10);
    List<String> kinds = BenchStore.kinds(options.text("stores"));
    System.out.printf("memories of %d agents; hash-ngram embeddings (microseconds, so the figures are the store's and the index's)%n%n", AGENTS);
    var table = new Report.Table("store", "memories", "write s", "first recall ms", "recall p50 ms", "recall p99 ms", "vs base p50",
        "8 threads recalls/s", "with writes p50 ms", "with writes p99 ms");
    for (int size : sizes) {
      double baseP50 = Double.NaN;
      for (String kind : kinds) {
        double[] r = measure(kind, size, recalls);
        if (Double.isNaN(baseP50)) {
          baseP50 = r[2];
        }
        table.row(kind, String.format("%,d", size), Report.fixed(r[0], 1), Report.fixed(r[1], 1), Report.fixed(r[2], 2), Report.fixed(r[3], 2),
            Report.fixed(r[2] / baseP50, 1) + "x", String.format("%,.0f", r[4]), Report.fixed(r[5], 2), Report.fixed(r[6], 2));
        System.out.flush();
      }
    }
    System.out.println();
    table.print();
    System.out.printf("load average at end %.2f; CPU time %s s%n", Report.loadAverage(), Report.fixed(Report.processCpuNanos() / 1e9, 1));
  }

  /** write s, first recall ms, p50, p99 (ms), recalls/s from 8 threads, p50 and p99 (ms) while rows are added elsewhere. */
  private static double[] measure(String kind, int size, int recalls) throws Exception {
    Path indexDir = Files.createTempDirectory("maestro-memory-bench");
    try (BenchStore bench = BenchStore.open(kind)) {
      MemoryStore store = bench.jdbc == null ? new InMemoryMemoryStore() : bench.jdbc.memories(BenchStore.WORKSPACE);
      var embedder = new HashingEmbedder();
      var random = new Random(7);
      Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS).minus(size, ChronoUnit.SECONDS);
      long t0 = System.nanoTime();
      for (int i = 0; i < size; i++) {
        Memory m = memory("m" + i, random, start.plusSeconds(i));
        store.add(m, new MemoryVector(embedder.id(), embedder.embed(m.content())));
      }
      double writeSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%s: %,d memories written in %.1f s%n", kind, size, writeSeconds);

      try (var memories = new IndexedMemories(store, embedder, RankingWeights.DEFAULT, Clock.systemUTC(), indexDir.resolve("memory"))) {
        t0 = System.nanoTime();
        memories.recall(query(random));
        double firstMs = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < 100; i++) { // warm-up
          memories.recall(query(random));
        }
        long[] one = new long[recalls];
        for (int i = 0; i < recalls; i++) {
          Recall q = query(random);
          long s = System.nanoTime();
          memories.recall(q);
          one[i] = System.nanoTime() - s;
        }
        long[] sorted = Report.sorted(one);

        int perThread = Math.max(10, recalls / 8);
        long c0 = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(8)) {
          var futures = new ArrayList<Future<?>>();
          for (int th = 0; th < 8; th++) {
            var r = new Random(100 + th);
            futures.add(pool.submit(() -> {
              for (int i = 0; i < perThread; i++) {
                memories.recall(query(r));
              }
              return null;
            }));
          }
          for (Future<?> f : futures) {
            f.get();
          }
        }
        double perSecond = 8.0 * perThread / ((System.nanoTime() - c0) / 1e9);

        // Another process adds a memory between every two recalls (as runs on other nodes do).
        long[] mixed = new long[recalls];
        for (int i = 0; i < recalls; i++) {
          Memory m = memory("x" + i, random, Instant.now().truncatedTo(ChronoUnit.MICROS));
          store.add(m, new MemoryVector(embedder.id(), embedder.embed(m.content())));
          Recall q = query(random);
          long s = System.nanoTime();
          memories.recall(q);
          mixed[i] = System.nanoTime() - s;
        }
        long[] mixedSorted = Report.sorted(mixed);
        return new double[] {writeSeconds, firstMs, Report.percentile(sorted, 50) / 1e6, Report.percentile(sorted, 99) / 1e6, perSecond,
            Report.percentile(mixedSorted, 50) / 1e6, Report.percentile(mixedSorted, 99) / 1e6};
      }
    } finally {
      try (Stream<Path> paths = Files.walk(indexDir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static final String[] SERVICES = {"checkout", "billing", "search", "ledger", "gateway", "reports", "inventory", "auth", "mailer", "export"};
  private static final String[] THINGS = {"database", "queue", "cache", "cron job", "deploy", "backup", "certificate", "dashboard", "alert", "index"};
  private static final String[] FACTS = {"runs on", "fails when", "is owned by", "was migrated to", "must be restarted after", "is monitored by",
      "depends on", "is rate limited by", "is rolled back with", "is documented in"};
  private static final String[] OBJECTS = {"host db-7", "the platform team", "PostgreSQL 15", "the nightly batch", "a full disk", "the EU region",
      "runbook 42", "the on-call rota", "the vendor API", "Kubernetes"};

  private static String sentence(Random r) {
    return "The " + pick(SERVICES, r) + " " + pick(THINGS, r) + " " + pick(FACTS, r) + " " + pick(OBJECTS, r) + " (note " + r.nextInt(1_000) + ").";
  }

  private static Memory memory(String id, Random r, Instant at) {
    MemoryType type = MemoryType.values()[r.nextInt(MemoryType.values().length)];
    return new Memory(id, "agent-" + r.nextInt(AGENTS), type, sentence(r), r.nextDouble(), null, Map.of(), at, null, 0, HashingEmbedder.ID);
  }

  private static Recall query(Random r) {
    return new Recall("agent-" + r.nextInt(AGENTS), "why does the " + pick(SERVICES, r) + " " + pick(THINGS, r) + " fail", Set.of(), 5);
  }

  private static String pick(String[] words, Random r) {
    return words[r.nextInt(words.length)];
  }
}
