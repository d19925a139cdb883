package dev.maestro.knowledge;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.knowledge.Citation;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeBase;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.knowledge.SearchMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knowledge collections as Lucene indexes under one directory ({@code <data-dir>/index/<workspace>/knowledge}),
 * one index per collection. The index is the only store of a collection: its documents are the
 * user's files and URLs, so a lost index is rebuilt by ingesting them again. Each collection
 * records its embedding model; opening one whose model differs from the configured one re-embeds
 * it in the background (minutes for a large collection with an in-process model), so a collection
 * is always one vector space. Meanwhile it answers keyword searches, hybrid searches by keywords
 * alone, and refuses vector searches and ingestion with the progress made.
 */
public final class LuceneKnowledgeBase implements KnowledgeBase, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneKnowledgeBase.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  /** Directories that hold build output, dependencies or version control rather than documents. */
  private static final Set<String> SKIPPED_DIRECTORIES = Set.of("node_modules", "target", "build", "dist", "__pycache__", "venv");
  /** Files larger than this are cut to it (PDFs are refused: a cut PDF is unreadable). */
  public static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;

  static final String KIND = "kind";
  static final String DOCUMENT = "document";
  static final String FORMAT = "format";
  static final String HASH = "hash";
  static final String ROOT = "root";
  static final String FILE_HASH = "file_hash";
  static final String LOCATION = "location";

  private final Path root;
  private final Embedder embedder;
  private final Clock clock;
  private final Documents documents;
  private final Map<String, HybridIndex> open = new ConcurrentHashMap<>();
  private final long maxFileBytes;
  /** Collections being re-embedded with the configured model, until the new index replaces the old one. */
  private final Map<String, Reembedding> reembedding = new ConcurrentHashMap<>();
  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

  /** How far a re-embedding has come. */
  private static final class Reembedding {
    final String from;
    final int passages;
    volatile int done;
    volatile boolean cancelled;

    Reembedding(String from, int passages) {
      this.from = from;
      this.passages = passages;
    }
  }

  /**
   * @param root the directory holding one sub-directory per collection
   * @param allowedHosts hosts that URL ingestion may reach although they resolve to non-public addresses
   */
  public LuceneKnowledgeBase(Path root, Embedder embedder, Clock clock, long maxFileBytes, Set<String> allowedHosts) {
    this.root = root.toAbsolutePath().normalize();
    this.embedder = embedder;
    this.clock = clock;
    this.documents = new Documents(maxFileBytes, allowedHosts);
    this.maxFileBytes = maxFileBytes;
  }

  public LuceneKnowledgeBase(Path root, Embedder embedder) {
    this(root, embedder, Clock.systemUTC(), DEFAULT_MAX_FILE_BYTES, Set.of());
  }

  @Override
  public synchronized KnowledgeCollection create(String name, String description) {
    checkName(name);
    Path dir = root.resolve(name);
    if (HybridIndex.exists(dir)) {
      throw new ConflictException("a knowledge collection named '" + name + "' already exists");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MaestroException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    HybridIndex index = HybridIndex.open(dir);
    String now = clock.instant().toString();
    index.commit(Map.of("description", description == null ? "" : description.strip(), "embedding_model", embedder.id(),
        "dimensions", Integer.toString(embedder.dimensions()), "created_at", now, "updated_at", now));
    open.put(name, index);
    return describe(name, index);
  }

  @Override
  public List<KnowledgeCollection> collections() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> NAME.matcher(d.getFileName().toString()).matches() && HybridIndex.exists(d))
          .map(d -> d.getFileName().toString())
          .sorted()
          .map(this::collection)
          .toList();
    } catch (IOException e) {
      throw new MaestroException("cannot list the knowledge collections in " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public KnowledgeCollection collection(String name) {
    return describe(name, index(name));
  }

  @Override
  public synchronized void delete(String name) {
    index(name);
    Reembedding r = reembedding.remove(name);
    if (r != null) {
      r.cancelled = true;
    }
    HybridIndex index = open.remove(name);
    if (index != null) {
      index.close();
    }
    deleteTree(root.resolve(name));
  }

  @Override
  public IngestReport ingest(String collection, List<String> sources, IngestProgress progress) {
    if (sources == null || sources.isEmpty()) {
      throw new InvalidInputException("nothing to ingest; give files, directories or http(s) URLs");
    }
    HybridIndex index = index(collection);
    Reembedding r = reembedding.get(collection);
    if (r != null) {
      throw new ConflictException(busy(collection, r) + "; ingest again when it has ended");
    }
    if (index.readOnly()) {
      throw new ConflictException("knowledge collection '" + collection + "' is open for writing in another Maestro process"
          + " (is 'maestro serve' running?); ingest through it with --server URL");
    }
    synchronized (index) {
      return new Ingestion(collection, index, progress == null ? IngestProgress.NONE : progress).run(sources);
    }
  }

  @Override
  public List<Passage> search(KnowledgeQuery q) {
    HybridIndex index = index(q.collection());
    var filters = new LinkedHashMap<String, String>();
    filters.put(KIND, "chunk");
    q.filters().forEach((k, v) -> filters.put(k.equals("format") ? FORMAT : DOCUMENT, v));
    int depth = q.limit() * 2; // identical passages of several documents are shown once
    Reembedding r = reembedding.get(q.collection());
    if (r != null && (q.mode() == SearchMode.VECTOR || q.mode() == SearchMode.EXACT)) {
      throw new ConflictException(busy(q.collection(), r) + "; vector search is back when it has ended, keyword search works meanwhile");
    }
    List<HybridIndex.Hit> hits = r != null ? index.keyword(q.text(), depth, filters) : switch (q.mode()) {
      case KEYWORD -> index.keyword(q.text(), depth, filters);
      case VECTOR -> index.vector(embedder.embed(q.text()), depth, filters);
      case EXACT -> index.exact(embedder.embed(q.text()), depth, filters);
      case HYBRID -> index.hybrid(q.text(), embedder.embed(q.text()), depth, filters);
    };
    var seen = new HashSet<String>();
    var passages = new ArrayList<Passage>();
    for (HybridIndex.Hit h : hits) {
      if (seen.add(h.fields().getOrDefault(HASH, h.id())) && passages.size() < q.limit()) {
        passages.add(new Passage(q.collection(), h.text(), new Citation(h.fields().get(DOCUMENT), h.fields().get(LOCATION)), h.score()));
      }
    }
    return passages;
  }

  /** The embedding model of new vectors. */
  public Embedder embedder() {
    return embedder;
  }

  @Override
  public void close() {
    // A re-embedding stops at its next batch; it starts again at the next opening.
    reembedding.values().forEach(r -> r.cancelled = true);
    background.shutdown();
    try {
      background.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      open.values().forEach(HybridIndex::close);
      open.clear();
    }
  }

  private static String busy(String collection, Reembedding r) {
    return "knowledge collection '" + collection + "' is being re-embedded (from " + r.from + "): " + r.done + " of " + r.passages
        + " passages";
  }

  private KnowledgeCollection describe(String name, HybridIndex index) {
    Map<String, String> data = index.userData();
    Reembedding r = reembedding.get(name);
    return new KnowledgeCollection(name, data.getOrDefault("description", ""), data.get("embedding_model"),
        Integer.parseInt(data.getOrDefault("dimensions", "0")), index.count(KIND, "file"), index.count(KIND, "chunk"),
        instant(data.get("created_at")), instant(data.get("updated_at")),
        r == null ? null : new KnowledgeCollection.Reembedding(embedder.id(), r.done, r.passages));
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  /** The open index of a collection; opened (and re-embedded if its model changed) on first use. */
  private HybridIndex index(String name) {
    checkName(name);
    HybridIndex index = open.get(name);
    if (index != null) {
      return index;
    }
    synchronized (this) {
      index = open.get(name);
      if (index != null) {
        return index;
      }
      Path dir = root.resolve(name);
      if (!HybridIndex.exists(dir)) {
        throw new NotFoundException("no knowledge collection '" + name + "'; create it with 'maestro knowledge create " + name
            + "' (or POST /api/apa/knowledge/collections)");
      }
      try {
        index = HybridIndex.open(dir);
      } catch (ConflictException locked) {
        LOG.info("knowledge collection '{}' is written by another process; searching it read-only", name);
        index = HybridIndex.openReadOnly(dir);
      }
      open.put(name, index);
      if (!index.readOnly() && !embedder.id().equals(index.userData().get("embedding_model"))) {
        startReembedding(name, index);
      }
      return index;
    }
  }

  /**
   * Rebuilds a collection with the configured embedding model, in the background: a collection is
   * one vector space, and Lucene keeps a field's dimension for the life of the index, so the
   * passages are copied into a new index with new vectors, which then replaces the old one. A
   * re-embedding cut short (by a failure, a delete or closing) leaves the old index as it was and
   * starts again when the collection is next opened.
   */
  private void startReembedding(String name, HybridIndex old) {
    var progress = new Reembedding(old.userData().getOrDefault("embedding_model", "an unknown model"), old.count(KIND, "chunk"));
    reembedding.put(name, progress);
    LOG.info("knowledge collection '{}' was embedded with {}; re-embedding its {} passages with {} in the background", name, progress.from,
        progress.passages, embedder.id());
    background.execute(() -> {
      try {
        reembed(name, old, progress);
      } catch (RuntimeException e) {
        LOG.warn("re-embedding knowledge collection '{}' failed; it is tried again when the collection is next opened: {}", name, e.toString());
        synchronized (this) {
          if (reembedding.remove(name, progress) && open.remove(name, old)) {
            old.close();
          }
        }
      }
    });
  }

  private void reembed(String name, HybridIndex old, Reembedding progress) {
    Path dir = root.resolve(name);
    Path fresh = root.resolve("." + name + ".reembed");
    deleteTree(fresh);
    Map<String, String> data = new HashMap<>(old.userData());
    // Nothing is ingested into the collection meanwhile, so this is all of it.
    List<HybridIndex.Hit> hits = old.all(Map.of());
    try (HybridIndex rebuilt = HybridIndex.open(fresh)) {
      var batch = new ArrayList<HybridIndex.Hit>();
      for (HybridIndex.Hit h : hits) {
        if (progress.cancelled) {
          break;
        }
        if (!"chunk".equals(h.fields().get(KIND))) {
          rebuilt.add(List.of(entry(h.id(), h.text(), null, h.fields())), false);
          continue;
        }
        batch.add(h);
        if (batch.size() == LangChain4jEmbedder.BATCH) {
          embedInto(batch, rebuilt, progress);
        }
      }
      embedInto(batch, rebuilt, progress);
      if (progress.cancelled) {
        return; // the next opening starts again, in a fresh copy
      }
      data.put("embedding_model", embedder.id());
      data.put("dimensions", Integer.toString(embedder.dimensions()));
      data.put("updated_at", clock.instant().toString());
      rebuilt.commit(data);
    }
    synchronized (this) {
      if (progress.cancelled || !reembedding.remove(name, progress)) {
        deleteTree(fresh);
        return;
      }
      // Searches that hold the old index finish on it: Lucene keeps its files readable until they let go.
      open.remove(name);
      old.close();
      Path retired = root.resolve("." + name + ".old");
      deleteTree(retired);
      try {
        Files.move(dir, retired);
        try {
          Files.move(fresh, dir);
        } catch (IOException e) {
          Files.move(retired, dir); // the old index stays; the next opening tries again
          throw e;
        }
      } catch (IOException e) {
        throw new MaestroException("cannot replace " + dir + " by its re-embedded copy " + fresh + ": " + e.getMessage(), e);
      }
      deleteTree(retired);
      open.put(name, HybridIndex.open(dir));
    }
    LOG.info("knowledge collection '{}' is re-embedded with {}", name, embedder.id());
  }

  /** Embeds a batch of passages into the new index and empties the batch. */
  private void embedInto(List<HybridIndex.Hit> batch, HybridIndex rebuilt, Reembedding progress) {
    if (batch.isEmpty()) {
      return;
    }
    List<float[]> vectors = embedder.embedAll(batch.stream().map(HybridIndex.Hit::text).toList());
    var entries = new ArrayList<HybridIndex.Entry>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      HybridIndex.Hit h = batch.get(i);
      entries.add(entry(h.id(), h.text(), vectors.get(i), h.fields()));
    }
    rebuilt.add(entries, false);
    progress.done += batch.size(); // only this task writes it
    batch.clear();
  }

  private static HybridIndex.Entry entry(String id, String text, float[] vector, Map<String, String> fields) {
    var keywords = new HashMap<String, String>();
    var stored = new HashMap<String, String>();
    fields.forEach((k, val) -> (k.equals(LOCATION) ? stored : keywords).put(k, val));
    return new HybridIndex.Entry(id, text, vector, keywords, stored);
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException("collection name '" + name + "' is not valid; use 1-64 lower-case letters, digits, '-' or '_'");
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new MaestroException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One ingestion of sources into a collection. */
  private final class Ingestion {
    private final String collection;
    private final HybridIndex index;
    private final IngestProgress progress;
    private final List<IngestReport.Notice> skipped = new ArrayList<>();
    private final List<IngestReport.Notice> capped = new ArrayList<>();
    private final Map<String, float[]> vectorsByHash = new HashMap<>();
    private int added;
    private int updated;
    private int unchanged;
    private int removed;
    private long chunks;
    private long embedded;

    Ingestion(String collection, HybridIndex index, IngestProgress progress) {
      this.collection = collection;
      this.index = index;
      this.progress = progress;
    }

    /** A document and the root it was found under: itself, or the directory that was ingested. */
    private record Item(String document, Path file, String root) {}

    IngestReport run(List<String> sources) {
      var items = new ArrayList<Item>();
      var directories = new ArrayList<String>();
      for (String source : sources) {
        if (source == null || source.isBlank()) {
          throw new InvalidInputException("an empty source was given; give files, directories or http(s) URLs");
        }
        if (Documents.isUrl(source)) {
          items.add(new Item(source.strip(), null, source.strip()));
          continue;
        }
        Path path = Path.of(source).toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
          directories.add(path.toString());
          walk(path).forEach(f -> items.add(new Item(f.toString(), f, path.toString())));
        } else if (Files.isRegularFile(path)) {
          items.add(new Item(path.toString(), path, path.toString()));
        } else {
          skipped.add(new IngestReport.Notice(path.toString(), "no such file or directory"));
        }
      }
      progress.started(items.size());
      var seen = new HashSet<String>();
      for (Item item : items) {
        seen.add(item.document());
        ingest(item);
        progress.advanced(item.document());
      }
      for (String dir : directories) {
        for (HybridIndex.Hit file : index.find(ROOT, dir, Integer.MAX_VALUE - 1)) {
          String doc = file.fields().get(DOCUMENT);
          if (!seen.contains(doc)) {
            index.deleteWhere(DOCUMENT, doc, false);
            removed++;
          }
        }
      }
      Map<String, String> data = new HashMap<>(index.userData());
      data.put("updated_at", clock.instant().toString());
      index.commit(data);
      return new IngestReport(collection, added, updated, unchanged, removed, chunks, embedded, skipped, capped);
    }

    private void ingest(Item item) {
      Documents.Read read = item.file() == null ? documents.url(item.document()) : documents.file(item.file());
      if (read instanceof Documents.Refused r) {
        skipped.add(new IngestReport.Notice(r.document(), r.reason()));
        return;
      }
      var loaded = (Documents.Loaded) read;
      if (loaded.capped()) {
        capped.add(new IngestReport.Notice(loaded.document(), "only its first " + maxFileBytes + " bytes were ingested (knowledge.max_file_bytes)"));
      }
      String fileHash = sha256(loaded.content());
      List<HybridIndex.Hit> existing = index.find(HybridIndex.ID, "file:" + loaded.document(), 1);
      if (!existing.isEmpty() && fileHash.equals(existing.getFirst().fields().get(FILE_HASH))) {
        unchanged++;
        return;
      }
      List<Chunk> parts = loaded.chunks();
      var hashes = new ArrayList<String>(parts.size());
      var toEmbed = new LinkedHashMap<String, String>();
      for (Chunk c : parts) {
        String h = sha256(c.text().getBytes(StandardCharsets.UTF_8));
        hashes.add(h);
        if (!vectorsByHash.containsKey(h) && !toEmbed.containsKey(h)) {
          float[] reused = reuse(h);
          if (reused != null) {
            vectorsByHash.put(h, reused);
          } else {
            toEmbed.put(h, c.text());
          }
        }
      }
      List<float[]> vectors = embedder.embedAll(List.copyOf(toEmbed.values()));
      int i = 0;
      for (String h : toEmbed.keySet()) {
        vectorsByHash.put(h, vectors.get(i++));
      }
      embedded += toEmbed.size();
      String docKey = sha256(loaded.document().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
      var entries = new ArrayList<HybridIndex.Entry>(parts.size() + 1);
      for (int c = 0; c < parts.size(); c++) {
        Chunk chunk = parts.get(c);
        entries.add(new HybridIndex.Entry(docKey + ":" + c, chunk.text(), vectorsByHash.get(hashes.get(c)),
            Map.of(KIND, "chunk", DOCUMENT, loaded.document(), FORMAT, loaded.format().wire, HASH, hashes.get(c)),
            Map.of(LOCATION, chunk.location())));
      }
      entries.add(new HybridIndex.Entry("file:" + loaded.document(), null, null,
          Map.of(KIND, "file", DOCUMENT, loaded.document(), FORMAT, loaded.format().wire, ROOT, item.root(), FILE_HASH, fileHash), Map.of()));
      if (existing.isEmpty()) {
        added++;
      } else {
        updated++;
        index.deleteWhere(DOCUMENT, loaded.document(), false);
      }
      index.add(entries, false); // visible at the commit that ends the ingestion
      chunks += parts.size();
    }

    /** The vector of an identical passage already in the collection, to save embedding it again. */
    private float[] reuse(String hash) {
      List<HybridIndex.Hit> same = index.find(HASH, hash, 1);
      return same.isEmpty() ? null : index.vector(same.getFirst().id());
    }


    private List<Path> walk(Path dir) {
      var files = new ArrayList<Path>();
      try {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            String name = d.getFileName() == null ? "" : d.getFileName().toString();
            boolean skip = !d.equals(dir) && (name.startsWith(".") || SKIPPED_DIRECTORIES.contains(name));
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !f.getFileName().toString().startsWith(".")) {
              files.add(f);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            skipped.add(new IngestReport.Notice(f.toString(), "cannot read it: " + e.getMessage()));
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.sort(Comparator.naturalOrder());
      return files;
    }
  }
}
