package dev.maestro.knowledge;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.MaestroException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * A Lucene index of passages searchable by words (BM25 over English-analysed text), by vector
 * (HNSW approximate nearest neighbours, dot product of unit vectors) and by both fused with
 * reciprocal rank fusion; plus exact brute-force vector search to check the approximate one.
 * Every entry may carry keyword fields, which searches can filter on exactly, and stored fields.
 * Thread-safe; writes become visible to searches when they return.
 */
public final class HybridIndex implements AutoCloseable {
  public static final String ID = "id";
  public static final String TEXT = "text";
  public static final String VECTOR = "vector";
  /** Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion..." (SIGIR 2009): k = 60. */
  static final int RRF_K = 60;
  /** Each list fused by a hybrid search is this deep at least. */
  static final int FUSION_DEPTH = 50;
  /** Approximate vector search explores at least this many candidates; more than k improves recall. */
  static final int VECTOR_DEPTH = 160;

  /**
   * HNSW with twice Lucene's default connections (M 32, beam width 200): lexical vectors such as the
   * built-in model's are spread more evenly than learned ones, and the default graph missed about one
   * neighbour in ten at 100,000 passages (benchmarks/README.md). The codec keeps Lucene's name, so any
   * Lucene reads the index.
   */
  private static final Codec CODEC = new Lucene104Codec() {
    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
      return new Lucene99HnswVectorsFormat(32, 200);
    }
  };

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final String where;

  /** One passage to index. */
  public record Entry(String id, String text, float[] vector, Map<String, String> keywords, Map<String, String> stored) {
    public Entry {
      keywords = keywords == null ? Map.of() : keywords;
      stored = stored == null ? Map.of() : stored;
    }
  }

  /** A search result: the entry's id, its score in the search's own scale, its text and stored and keyword fields. */
  public record Hit(String id, double score, String text, Map<String, String> fields) {}

  private HybridIndex(Directory directory, boolean readOnly, String where) throws IOException {
    this.directory = directory;
    this.where = where;
    if (readOnly) {
      this.writer = null;
      this.searchers = new SearcherManager(directory, null);
    } else {
      var config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setCodec(CODEC);
      this.writer = new IndexWriter(directory, config);
      this.searchers = new SearcherManager(writer, null);
    }
  }

  /**
   * Opens (creating if needed) the index in a directory for reading and writing.
   *
   * @throws ConflictException if another process has it open for writing
   */
  public static HybridIndex open(Path dir) {
    try {
      return new HybridIndex(FSDirectory.open(dir), false, dir.toString());
    } catch (LockObtainFailedException e) {
      throw new ConflictException("the index " + dir + " is open for writing in another Maestro process (is 'maestro serve' running?);"
          + " stop it, or act through it with --server URL");
    } catch (IOException e) {
      throw new MaestroException("cannot open the index " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing index for searching only, for when another process writes it. */
  public static HybridIndex openReadOnly(Path dir) {
    try {
      return new HybridIndex(FSDirectory.open(dir), true, dir.toString());
    } catch (IOException e) {
      throw new MaestroException("cannot open the index " + dir + ": " + e.getMessage(), e);
    }
  }

  /** An index held in memory only. */
  public static HybridIndex inMemory() {
    try {
      return new HybridIndex(new ByteBuffersDirectory(), false, "(in memory)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether an index exists in this directory. */
  public static boolean exists(Path dir) {
    try (Directory d = FSDirectory.open(dir)) {
      return DirectoryReader.indexExists(d);
    } catch (IOException e) {
      return false;
    }
  }

  public boolean readOnly() {
    return writer == null;
  }

  /** Adds entries, visible to searches on return; an entry with the id of an existing one replaces it. */
  public void add(List<Entry> entries) {
    add(entries, true);
  }

  /**
   * Adds entries; with {@code visible} false they become visible at the next {@link #refresh} or
   * commit, which saves reopening the searcher after every batch of a long ingestion.
   */
  public void add(List<Entry> entries, boolean visible) {
    IndexWriter w = writable();
    try {
      for (Entry e : entries) {
        var doc = new Document();
        doc.add(new StringField(ID, e.id(), Field.Store.YES));
        if (e.text() != null) {
          doc.add(new TextField(TEXT, e.text(), Field.Store.YES));
        }
        if (e.vector() != null) {
          doc.add(new KnnFloatVectorField(VECTOR, e.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        }
        e.keywords().forEach((k, v) -> doc.add(new StringField(k, v, Field.Store.YES)));
        e.stored().forEach((k, v) -> doc.add(new StoredField(k, v)));
        w.updateDocument(new Term(ID, e.id()), doc);
      }
      if (visible) {
        searchers.maybeRefreshBlocking();
      }
    } catch (IOException e) {
      throw failed("write to", e);
    }
  }

  /** Makes what was written visible to searches. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failed("refresh", e);
    }
  }

  /** Deletes the entries whose keyword field has this value (visible at the next refresh when {@code visible} is false). */
  public void deleteWhere(String field, String value, boolean visible) {
    try {
      writable().deleteDocuments(new Term(field, value));
      if (visible) {
        searchers.maybeRefreshBlocking();
      }
    } catch (IOException e) {
      throw failed("delete from", e);
    }
  }

  /** Deletes the entries whose keyword field has this value. */
  public void deleteWhere(String field, String value) {
    deleteWhere(field, value, true);
  }

  public void deleteIds(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    try {
      writable().deleteDocuments(ids.stream().map(id -> new Term(ID, id)).toArray(Term[]::new));
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failed("delete from", e);
    }
  }

  /** Deletes every entry. */
  public void clear() {
    try {
      writable().deleteAll();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failed("clear", e);
    }
  }

  /** Makes what was written durable, with these key-value pairs stored alongside (read back with {@link #userData()}). */
  public void commit(Map<String, String> userData) {
    IndexWriter w = writable();
    try {
      w.setLiveCommitData(new HashMap<>(userData).entrySet());
      w.commit();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failed("commit", e);
    }
  }

  /** The key-value pairs of the last commit. */
  public Map<String, String> userData() {
    try {
      if (writer != null) {
        var data = new HashMap<String, String>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
          live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        return data;
      }
      return SegmentInfos.readLatestCommit(directory).getUserData();
    } catch (IOException e) {
      throw failed("read", e);
    }
  }

  /** How many entries have this keyword value. */
  public int count(String field, String value) {
    return withSearcher(s -> s.count(new TermQuery(new Term(field, value))));
  }

  /** The entries whose keyword field has this value (at most {@code max}). */
  public List<Hit> find(String field, String value, int max) {
    Query q = new TermQuery(new Term(field, value));
    return withSearcher(s -> hits(s, s.search(q, Math.max(1, Math.min(max, s.count(q)))), false));
  }

  /** Every entry matching all the filters. */
  public List<Hit> all(Map<String, String> filters) {
    return withSearcher(s -> {
      Query q = filtered(new MatchAllDocsQuery(), filters);
      int n = Math.max(1, s.count(q));
      return hits(s, s.search(q, n), false);
    });
  }

  /** The vector of the entry with this id, or null. */
  public float[] vector(String id) {
    return withSearcher(s -> {
      TopDocs top = s.search(new TermQuery(new Term(ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        return null;
      }
      int doc = top.scoreDocs[0].doc;
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        if (doc >= leaf.docBase && doc < leaf.docBase + leaf.reader().maxDoc()) {
          FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
          if (values == null) {
            return null;
          }
          KnnVectorValues.DocIndexIterator it = values.iterator();
          if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
            return values.vectorValue(it.index()).clone();
          }
        }
      }
      return null;
    });
  }

  /** BM25 over the text: the words of the query (analysed as the text was), any of them. */
  public List<Hit> keyword(String query, int k, Map<String, String> filters) {
    Query words = words(query);
    if (words == null) {
      return List.of();
    }
    return withSearcher(s -> hits(s, s.search(filtered(words, filters), k), true));
  }

  /** Approximate nearest neighbours by HNSW. */
  public List<Hit> vector(float[] vector, int k, Map<String, String> filters) {
    return withSearcher(s -> hits(s, vectorTop(s, vector, k, filters), true));
  }

  private TopDocs vectorTop(IndexSearcher s, float[] vector, int k, Map<String, String> filters) throws IOException {
    Query filter = filters.isEmpty() ? null : filtered(new MatchAllDocsQuery(), filters);
    TopDocs top = s.search(new KnnFloatVectorQuery(VECTOR, vector, Math.max(k, VECTOR_DEPTH), filter), Math.max(k, VECTOR_DEPTH));
    if (top.scoreDocs.length <= k) {
      return top;
    }
    return new TopDocs(top.totalHits, java.util.Arrays.copyOf(top.scoreDocs, k));
  }

  /** Exact nearest neighbours: every vector compared with the query. */
  public List<Hit> exact(float[] vector, int k, Map<String, String> filters) {
    return withSearcher(s -> {
      var best = new PriorityQueue<ScoreDoc>(k + 1, (a, b) -> Float.compare(a.score, b.score));
      Weight filter = filters.isEmpty() ? null
          : s.createWeight(s.rewrite(filtered(new MatchAllDocsQuery(), filters)), ScoreMode.COMPLETE_NO_SCORES, 1);
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (values == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        DocIdSetIterator allowed = null;
        if (filter != null) {
          Scorer scorer = filter.scorer(leaf);
          if (scorer == null) {
            continue;
          }
          allowed = scorer.iterator();
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          if (allowed != null) {
            int at = allowed.docID() < doc ? allowed.advance(doc) : allowed.docID();
            if (at != doc) {
              continue;
            }
          }
          // DOT_PRODUCT's score, as the HNSW search reports it: (1 + dot) / 2
          float score = (1 + VectorUtil.dotProduct(vector, values.vectorValue(it.index()))) / 2;
          if (best.size() < k) {
            best.add(new ScoreDoc(leaf.docBase + doc, score));
          } else if (score > best.peek().score) {
            best.poll();
            best.add(new ScoreDoc(leaf.docBase + doc, score));
          }
        }
      }
      var sorted = new ArrayList<>(best);
      sorted.sort((a, b) -> Float.compare(b.score, a.score));
      return hits(s, new TopDocs(null, sorted.toArray(ScoreDoc[]::new)), true);
    });
  }

  /**
   * Keyword and vector results fused by reciprocal rank: each list adds 1 / (60 + rank) to an
   * entry's score, so an entry either finds well comes first, and one only the other finds still
   * ranks. Both lists come from one searcher, and only the entries returned are read from storage.
   */
  public List<Hit> hybrid(String query, float[] vector, int k, Map<String, String> filters) {
    int depth = Math.max(k, FUSION_DEPTH);
    Query words = words(query);
    return withSearcher(s -> {
      var scores = new HashMap<Integer, Double>();
      List<TopDocs> lists = new ArrayList<>();
      if (words != null) {
        lists.add(s.search(filtered(words, filters), depth));
      }
      lists.add(vectorTop(s, vector, depth, filters));
      for (TopDocs list : lists) {
        for (int rank = 0; rank < list.scoreDocs.length; rank++) {
          scores.merge(list.scoreDocs[rank].doc, 1.0 / (RRF_K + rank + 1), Double::sum);
        }
      }
      ScoreDoc[] best = scores.entrySet().stream()
          .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey()) : Double.compare(b.getValue(), a.getValue()))
          .limit(k)
          .map(e -> new ScoreDoc(e.getKey(), e.getValue().floatValue()))
          .toArray(ScoreDoc[]::new);
      List<Hit> hits = hits(s, new TopDocs(null, best), false);
      var exact = new ArrayList<Hit>(hits.size());
      for (int i = 0; i < hits.size(); i++) {
        Hit h = hits.get(i);
        exact.add(new Hit(h.id(), scores.get(best[i].doc), h.text(), h.fields()));
      }
      return exact;
    });
  }

  @Override
  public void close() {
    try {
      searchers.close();
      if (writer != null) {
        writer.close();
      }
      directory.close();
    } catch (IOException e) {
      throw failed("close", e);
    }
  }

  private Query words(String text) {
    var builder = new BooleanQuery.Builder();
    int n = 0;
    try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      var seen = new java.util.HashSet<String>();
      while (ts.incrementToken()) {
        String t = term.toString();
        if (seen.add(t) && n < IndexSearcher.getMaxClauseCount()) {
          builder.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD);
          n++;
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n == 0 ? null : builder.build();
  }

  private static Query filtered(Query query, Map<String, String> filters) {
    if (filters.isEmpty()) {
      return query;
    }
    var builder = new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST);
    filters.forEach((k, v) -> builder.add(new TermQuery(new Term(k, v)), BooleanClause.Occur.FILTER));
    return builder.build();
  }

  private static List<Hit> hits(IndexSearcher s, TopDocs top, boolean scored) throws IOException {
    var hits = new ArrayList<Hit>(top.scoreDocs.length);
    var stored = s.storedFields();
    for (ScoreDoc sd : top.scoreDocs) {
      Document doc = stored.document(sd.doc);
      var fields = new HashMap<String, String>();
      String text = null;
      for (IndexableField f : doc.getFields()) {
        if (f.name().equals(TEXT)) {
          text = f.stringValue();
        } else if (!f.name().equals(ID) && f.stringValue() != null) {
          fields.put(f.name(), f.stringValue());
        }
      }
      hits.add(new Hit(doc.get(ID), scored ? sd.score : 0, text, fields));
    }
    return hits;
  }

  private interface Search<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(Search<T> search) {
    try {
      if (writer == null) {
        searchers.maybeRefresh();
      }
      IndexSearcher s = searchers.acquire();
      try {
        return search.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw failed("search", e);
    }
  }

  private IndexWriter writable() {
    if (writer == null) {
      throw new ConflictException("the index " + where + " is open for writing in another Maestro process (is 'maestro serve' running?);"
          + " act through it with --server URL");
    }
    return writer;
  }

  private MaestroException failed(String what, IOException e) {
    return new MaestroException("cannot " + what + " the index " + where + ": " + e.getMessage(), e);
  }
}
