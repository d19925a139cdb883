package dev.maestro.knowledge;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.memory.Memories;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryRanking;
import dev.maestro.engine.memory.MemoryStore;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.MemoryVector;
import dev.maestro.engine.memory.NewMemory;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.memory.Recall;
import dev.maestro.engine.memory.Recalled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent memory over a {@link MemoryStore} (the source of truth: rows with their vectors) and a
 * Lucene index derived from it. Before each recall the index takes in the rows created since the
 * last recall (less a margin), so memories written by another process are picked up at a cost that
 * does not grow with the workspace; a full comparison with every id of the store, at the first
 * recall and then every {@link #RECONCILE_EVERY}, rebuilds a lost or stale index and drops rows
 * deleted elsewhere (which recall also drops as soon as it meets them). A row whose vector came
 * from another model is embedded again in the background, and recalled once it is. Recall takes
 * candidates from BM25 and vector search fused by reciprocal rank, then ranks them by relevance,
 * importance and recency ({@link MemoryRanking}).
 * The index is a cache of the rows, so it is committed to disk only at those comparisons and on
 * close: after a crash, the first recall's comparison puts back what the index lost.
 */
public final class IndexedMemories implements Memories, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexedMemories.class);
  static final String AGENT = "agent";
  static final String TYPE = "type";
  /** Each retriever contributes this many candidates at most before ranking. */
  static final int CANDIDATES = 50;
  /**
   * Rows created this long before the previous sync are looked at again: a row can commit a little
   * after its created_at, or come from a process whose clock is behind.
   */
  static final Duration SYNC_MARGIN = Duration.ofMinutes(1);
  /** How often the index is compared with every id of the store. */
  static final Duration RECONCILE_EVERY = Duration.ofMinutes(10);

  private final MemoryStore store;
  private final Embedder embedder;
  private final RankingWeights weights;
  private final Clock clock;
  private final Supplier<String> ids;
  private final HybridIndex index;
  private final Set<String> indexed = new HashSet<>();
  /** When the index was last compared with every id of the store; null before the first recall. */
  private Instant reconciledAt;
  /** When the index last took in the store's new rows. */
  private Instant syncedAt;
  /** Rows being embedded again with this model (their vector came from another); guarded by this. */
  private final Set<String> reembedding = new HashSet<>();
  private final ExecutorService reembedder = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("memory-reembed").factory());
  private volatile boolean closing;

  /**
   * @param indexDir where the index is kept ({@code <data-dir>/index/<workspace>/memory}); null to keep it in memory
   */
  public IndexedMemories(MemoryStore store, Embedder embedder, RankingWeights weights, Clock clock, Path indexDir) {
    this(store, embedder, weights, clock, indexDir, () -> "mem_" + UUID.randomUUID().toString().replace("-", ""));
  }

  public IndexedMemories(MemoryStore store, Embedder embedder, RankingWeights weights, Clock clock, Path indexDir, Supplier<String> ids) {
    this.store = store;
    this.embedder = embedder;
    this.weights = weights;
    this.clock = clock;
    this.ids = ids;
    this.index = openIndex(indexDir, embedder.id());
  }

  /** The on-disk index, rebuilt when it was made with another model; in memory if another process holds it. */
  private static HybridIndex openIndex(Path dir, String model) {
    if (dir == null) {
      return HybridIndex.inMemory();
    }
    try {
      Files.createDirectories(dir.getParent());
      HybridIndex index = HybridIndex.open(dir);
      if (!model.equals(index.userData().get("embedding_model"))) {
        index.clear();
        index.commit(Map.of("embedding_model", model));
      }
      return index;
    } catch (ConflictException locked) {
      // The index is a cache of the database: another process (maestro serve) keeps the one on disk.
      LOG.info("memory index {} is in use by another process; using one in memory, rebuilt from the database", dir);
      return HybridIndex.inMemory();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public Memory remember(NewMemory m) {
    float[] vector = embedder.embed(m.content());
    var memory = new Memory(ids.get(), m.agentId(), m.type(), m.content(), m.importance(), m.runId(), m.metadata(), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), null, 0,
        embedder.id());
    store.add(memory, new MemoryVector(embedder.id(), vector));
    synchronized (this) {
      index.add(List.of(entry(memory, vector)));
      indexed.add(memory.id());
    }
    return memory;
  }

  @Override
  public List<Recalled> recall(Recall q) {
    sync();
    var filters = new HashMap<String, String>();
    filters.put(AGENT, q.agentId());
    float[] query = embedder.embed(q.query());
    var candidates = new HashSet<String>();
    for (Set<MemoryType> types : q.types().isEmpty() ? List.<Set<MemoryType>>of(Set.of()) : q.types().stream().map(Set::of).toList()) {
      if (!types.isEmpty()) {
        filters.put(TYPE, types.iterator().next().wire());
      }
      // Candidates by words and by meaning; they are then ranked by cosine similarity, importance and recency.
      for (HybridIndex.Hit h : index.hybrid(q.query(), query, CANDIDATES, filters)) {
        candidates.add(h.id());
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    Map<String, MemoryVector> vectors = store.vectors(candidates);
    List<Memory> rows = store.get(candidates);
    if (rows.size() < candidates.size()) {
      forgetDeleted(candidates, rows);
    }
    var ranked = new ArrayList<MemoryRanking.Candidate>();
    for (Memory m : rows) {
      MemoryVector v = vectors.get(m.id());
      double cosine = v == null || v.values().length != query.length ? 0 : org.apache.lucene.util.VectorUtil.dotProduct(query, v.values());
      ranked.add(new MemoryRanking.Candidate(m, cosine));
    }
    var now = clock.instant();
    List<Recalled> best = MemoryRanking.rank(ranked, now, weights, q.limit());
    store.touch(best.stream().map(r -> r.memory().id()).toList(), now);
    return best;
  }

  @Override
  public List<Memory> list(String agentId, MemoryType type, int limit, int offset) {
    return store.list(agentId, type, limit, offset);
  }

  @Override
  public Memory get(String id) {
    return store.find(id).orElseThrow(() -> notFound(id));
  }

  @Override
  public void delete(String id) {
    if (!store.delete(id)) {
      throw notFound(id);
    }
    synchronized (this) {
      index.deleteIds(List.of(id));
      indexed.remove(id);
    }
  }

  @Override
  public String embeddingModel() {
    return embedder.id();
  }

  /**
   * Brings the index in step with the store: every id at the first call and every {@link
   * #RECONCILE_EVERY}, otherwise the rows created since the previous call (less {@link #SYNC_MARGIN}).
   */
  synchronized void sync() {
    Instant now = clock.instant();
    if (reconciledAt == null || !now.isBefore(reconciledAt.plus(RECONCILE_EVERY))) {
      reconcile(reconciledAt == null);
      reconciledAt = now;
    } else {
      add(store.idsCreatedSince(syncedAt.minus(SYNC_MARGIN)).stream().filter(id -> !indexed.contains(id)).toList());
    }
    syncedAt = now;
  }

  /** Adds to the index what the store has and it lacks, drops what the store no longer has, and commits. */
  private void reconcile(boolean first) {
    if (first) { // what the index on disk already holds
      for (HybridIndex.Hit h : index.all(Map.of())) {
        indexed.add(h.id());
      }
    }
    Set<String> rows = store.ids();
    var gone = new ArrayList<String>();
    for (String id : indexed) {
      if (!rows.contains(id)) {
        gone.add(id);
      }
    }
    var missing = new ArrayList<String>();
    for (String id : rows) {
      if (!indexed.contains(id)) {
        missing.add(id);
      }
    }
    if (!gone.isEmpty()) {
      index.deleteIds(gone);
      gone.forEach(indexed::remove);
    }
    add(missing);
    if (!index.readOnly()) {
      index.commit(Map.of("embedding_model", embedder.id()));
    }
  }

  /**
   * Indexes these rows of the store. Rows whose vector came from another model are embedded again
   * by a thread of its own (with a remote or in-process model, many of them take minutes): recall
   * goes on meanwhile over the rows already indexed.
   */
  private void add(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, MemoryVector> vectors = store.vectors(ids);
    var entries = new ArrayList<HybridIndex.Entry>();
    var stale = new ArrayList<Memory>();
    for (Memory m : store.get(ids)) {
      MemoryVector v = vectors.get(m.id());
      if (v != null && v.model().equals(embedder.id())) {
        entries.add(entry(m, v.values()));
      } else if (reembedding.add(m.id())) {
        stale.add(m);
      }
    }
    index.add(entries);
    entries.forEach(e -> indexed.add(e.id()));
    if (!stale.isEmpty()) {
      LOG.info("{} memories were embedded with another model than {}; embedding them again in the background", stale.size(), embedder.id());
      reembedder.execute(() -> reembed(stale));
    }
  }

  /**
   * Embeds rows again, a batch at a time, storing each vector and indexing the row. What is left when
   * it fails or the service closes waits for the next full comparison (at the latest in {@link
   * #RECONCILE_EVERY}, or the next start).
   */
  private void reembed(List<Memory> stale) {
    for (int i = 0; i < stale.size(); i += LangChain4jEmbedder.BATCH) {
      List<Memory> batch = stale.subList(i, Math.min(stale.size(), i + LangChain4jEmbedder.BATCH));
      try {
        if (closing) {
          giveUp(stale.subList(i, stale.size()));
          return;
        }
        List<float[]> vectors = embedder.embedAll(batch.stream().map(Memory::content).toList());
        var entries = new ArrayList<HybridIndex.Entry>(batch.size());
        for (int j = 0; j < batch.size(); j++) {
          store.setVector(batch.get(j).id(), new MemoryVector(embedder.id(), vectors.get(j)));
          entries.add(entry(batch.get(j), vectors.get(j)));
        }
        synchronized (this) {
          index.add(entries);
          entries.forEach(e -> indexed.add(e.id()));
          batch.forEach(m -> reembedding.remove(m.id()));
        }
      } catch (RuntimeException e) {
        LOG.warn("embedding {} memories again failed; they are tried again at the next full comparison: {}", stale.size() - i, e.toString());
        giveUp(stale.subList(i, stale.size()));
        return;
      }
    }
  }

  private synchronized void giveUp(List<Memory> left) {
    left.forEach(m -> reembedding.remove(m.id()));
  }

  /** Drops from the index the candidates whose rows were deleted (by another process: this one drops its own at once). */
  private synchronized void forgetDeleted(Set<String> candidates, List<Memory> rows) {
    var gone = new HashSet<>(candidates);
    rows.forEach(m -> gone.remove(m.id()));
    index.deleteIds(List.copyOf(gone));
    indexed.removeAll(gone);
  }

  private static HybridIndex.Entry entry(Memory m, float[] vector) {
    return new HybridIndex.Entry(m.id(), m.content(), vector, Map.of(AGENT, m.agentId(), TYPE, m.type().wire()), Map.of());
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("no memory '" + id + "'; list an agent's memories with GET /api/apa/memory/{agent_id}");
  }

  @Override
  public void close() {
    closing = true;
    reembedder.shutdown();
    try {
      reembedder.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (!index.readOnly()) {
        index.commit(Map.of("embedding_model", embedder.id()));
      }
      index.close();
    }
  }
}
