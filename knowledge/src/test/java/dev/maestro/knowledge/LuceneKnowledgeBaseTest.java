package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.knowledge.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneKnowledgeBaseTest {
  @TempDir Path data;
  @TempDir Path docs;
  LuceneKnowledgeBase kb;

  @BeforeEach
  void open() {
    kb = new LuceneKnowledgeBase(data.resolve("knowledge"), new HashingEmbedder(), Clock.systemUTC(), 64 * 1024, Set.of());
    kb.create("docs", "Test documents");
  }

  @AfterEach
  void close() {
    kb.close();
  }

  private List<Passage> search(String query, SearchMode mode, Map<String, String> filters) {
    return kb.search(new KnowledgeQuery("docs", query, 5, filters, mode));
  }

  private Passage top(String query) {
    List<Passage> found = search(query, SearchMode.HYBRID, Map.of());
    assertThat(found).as("passages for '%s'", query).isNotEmpty();
    return found.getFirst();
  }

  @Test
  void ingests_every_format_and_cites_document_and_location() throws Exception {
    Fixtures.write(docs, "guide.md", Fixtures.MARKDOWN);
    Fixtures.write(docs, "approvals.html", Fixtures.HTML);
    Fixtures.write(docs, "notes.txt", Fixtures.TEXT);
    Fixtures.write(docs, "src/Billing.java", Fixtures.JAVA);
    Fixtures.write(docs, "geometry.py", Fixtures.PYTHON);
    Fixtures.write(docs, "shop.js", Fixtures.JAVASCRIPT);
    Fixtures.write(docs, "orders.ts", Fixtures.TYPESCRIPT);
    Fixtures.write(docs, "ledger.go", Fixtures.GO);
    Fixtures.write(docs, "Tides.scala", Fixtures.SCALA);
    Files.write(docs.resolve("manual.pdf"), Fixtures.pdf(List.of("The cockpit checklist starts with the fuel pumps.", "Landing gear must be down before the flare.")));

    IngestReport report = kb.ingest("docs", List.of(docs.toString()), null);

    assertThat(report.skipped()).isEmpty();
    assertThat(report.added()).isEqualTo(10);
    assertThat(kb.collection("docs").documents()).isEqualTo(10);

    Passage resume = top("resume a run after a crash");
    assertThat(resume.citation().document()).isEqualTo(docs.resolve("guide.md").toString());
    assertThat(resume.citation().location()).startsWith("Operations guide > Resuming runs (lines ");
    assertThat(resume.text()).contains("maestro runs resume RUN_ID").doesNotContain("Copy the H2 file");

    Passage expiry = top("approval expiry rejection");
    assertThat(expiry.citation().location()).isEqualTo("Approvals > Expiry");
    assertThat(expiry.text()).contains("one hour").doesNotContain("ignored script").doesNotContain("copyright");

    assertThat(top("quokka release").citation().location()).isEqualTo("lines 1-5");

    Passage landing = top("landing gear flare");
    assertThat(landing.citation().location()).isEqualTo("page 2");
    assertThat(landing.text()).contains("Landing gear must be down");

    Passage surcharge = top("surcharge small invoices threshold");
    assertThat(surcharge.citation().document()).endsWith("Billing.java");
    assertThat(surcharge.citation().location()).contains("surcharge");
    assertThat(top("area of a circle radius").citation().location()).contains("def area");
    assertThat(top("Cart add item push").citation().location()).contains("class Cart");
    Passage ship = top("ship order warehouse fetch");
    assertThat(ship.text()).contains("async function shipOrder");
    assertThat(ship.citation().location()).isEqualTo("export interface Order (lines 1-13)"); // a short declaration joins the next
    Passage balance = top("Balance sums the entries of one account");
    assertThat(balance.text()).contains("func Balance(entries []Entry");
    assertThat(balance.citation().location()).isEqualTo("type Entry struct (lines 1-21)");
    assertThat(top("tide table harbour heights").citation().document()).endsWith("Tides.scala");

    assertThat(search("total invoice", SearchMode.HYBRID, Map.of("format", "python")))
        .allSatisfy(p -> assertThat(p.citation().document()).endsWith(".py"));
  }

  @Test
  void reingesting_a_directory_only_embeds_changed_files_and_removes_deleted_ones() throws Exception {
    Fixtures.write(docs, "guide.md", Fixtures.MARKDOWN);
    Fixtures.write(docs, "notes.txt", Fixtures.TEXT);
    Fixtures.write(docs, "old.txt", "The walrus protocol was retired in 2019.");
    IngestReport first = kb.ingest("docs", List.of(docs.toString()), null);
    assertThat(first.added()).isEqualTo(3);

    IngestReport again = kb.ingest("docs", List.of(docs.toString()), null);
    assertThat(again.unchanged()).isEqualTo(3);
    assertThat(again.embedded()).isZero();
    assertThat(again.chunks()).isZero();

    Fixtures.write(docs, "notes.txt", Fixtures.TEXT.replace("quokka", "wombat"));
    Files.delete(docs.resolve("old.txt"));
    Fixtures.write(docs, "new.md", "# Pelican\n\nThe pelican service sends mail.");
    IngestReport changed = kb.ingest("docs", List.of(docs.toString()), null);

    assertThat(changed.added()).isEqualTo(1);
    assertThat(changed.updated()).isEqualTo(1);
    assertThat(changed.unchanged()).isEqualTo(1);
    assertThat(changed.removed()).isEqualTo(1);
    assertThat(kb.collection("docs").documents()).isEqualTo(3);
    assertThat(search("walrus", SearchMode.KEYWORD, Map.of())).isEmpty();
    assertThat(search("quokka", SearchMode.KEYWORD, Map.of())).isEmpty();
    assertThat(search("wombat", SearchMode.KEYWORD, Map.of())).hasSize(1);
    assertThat(search("pelican", SearchMode.KEYWORD, Map.of()).getFirst().citation().location()).startsWith("Pelican");
  }

  @Test
  void identical_passages_are_embedded_once_and_shown_once() throws Exception {
    String text = "The heron cache keeps thumbnails for a day.";
    Fixtures.write(docs, "a.txt", text);
    Fixtures.write(docs, "b.txt", text);

    IngestReport report = kb.ingest("docs", List.of(docs.toString()), null);

    assertThat(report.chunks()).isEqualTo(2);
    assertThat(report.embedded()).isEqualTo(1);
    assertThat(search("heron cache", SearchMode.HYBRID, Map.of())).hasSize(1);
  }

  @Test
  void skips_binary_unsupported_and_missing_files_with_reasons_and_caps_large_ones() throws Exception {
    Files.write(docs.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
    Files.write(docs.resolve("data.txt"), new byte[] {'a', 0, 'b', 0, 'c'});
    Files.write(docs.resolve("broken.pdf"), "not a pdf at all".getBytes());
    Fixtures.write(docs, "big.txt", "albatross line\n".repeat(10_000));
    Fixtures.write(docs, ".hidden/secret.md", "# hidden");

    IngestReport report = kb.ingest("docs", List.of(docs.toString(), docs.resolve("missing.md").toString()), null);

    assertThat(report.skipped()).extracting(IngestReport.Notice::document, IngestReport.Notice::reason).contains(
        org.assertj.core.groups.Tuple.tuple(docs.resolve("missing.md").toString(), "no such file or directory"),
        org.assertj.core.groups.Tuple.tuple(docs.resolve("data.txt").toString(), "binary content, not text text"));
    assertThat(report.skipped()).anySatisfy(n -> {
      assertThat(n.document()).endsWith("image.png");
      assertThat(n.reason()).startsWith("unsupported format '.png'");
    });
    assertThat(report.skipped()).anySatisfy(n -> {
      assertThat(n.document()).endsWith("broken.pdf");
      assertThat(n.reason()).startsWith("not a readable PDF");
    });
    assertThat(report.skipped()).noneSatisfy(n -> assertThat(n.document()).contains(".hidden"));
    assertThat(report.capped()).singleElement().satisfies(n -> assertThat(n.document()).endsWith("big.txt"));
    assertThat(report.added()).isEqualTo(1);
    assertThat(kb.collection("docs").chunks()).isLessThan(64 * 1024 / Chunker.MAX_CHARS * 2);
  }

  @Test
  void refuses_bad_names_empty_queries_and_unknown_collections() {
    assertThatThrownBy(() -> kb.create("Bad Name", null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("'Bad Name'");
    assertThatThrownBy(() -> kb.create("docs", null)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> KnowledgeQuery.of("docs", " ", 5)).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> kb.search(KnowledgeQuery.of("nope", "x", 5))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("maestro knowledge create nope");
    assertThatThrownBy(() -> kb.ingest("docs", List.of(), null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void collections_survive_reopening_and_are_deleted_with_their_index() throws Exception {
    Fixtures.write(docs, "notes.txt", Fixtures.TEXT);
    kb.ingest("docs", List.of(docs.resolve("notes.txt").toString()), null);
    kb.close();

    kb = new LuceneKnowledgeBase(data.resolve("knowledge"), new HashingEmbedder());
    assertThat(kb.collections()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("docs");
      assertThat(c.description()).isEqualTo("Test documents");
      assertThat(c.embeddingModel()).isEqualTo(HashingEmbedder.ID);
      assertThat(c.documents()).isEqualTo(1);
    });
    assertThat(search("quokka", SearchMode.HYBRID, Map.of())).hasSize(1);

    kb.delete("docs");
    assertThat(kb.collections()).isEmpty();
    assertThat(data.resolve("knowledge/docs")).doesNotExist();
  }

  /** Ingests the guide, then opens the collection again with another model; returns its passage count. */
  private long ingestThenReopenWith(Embedder model) throws Exception {
    Fixtures.write(docs, "guide.md", Fixtures.MARKDOWN);
    kb.ingest("docs", List.of(docs.toString()), null);
    long chunks = kb.collection("docs").chunks();
    kb.close();
    kb = new LuceneKnowledgeBase(data.resolve("knowledge"), model);
    return chunks;
  }

  private void awaitModel(String model) throws InterruptedException {
    for (int i = 0; i < 500 && !kb.collection("docs").embeddingModel().equals(model); i++) {
      Thread.sleep(10);
    }
  }

  @Test
  void changing_the_embedding_model_re_embeds_the_collection() throws Exception {
    long chunks = ingestThenReopenWith(TestEmbedders.small());
    kb.collection("docs"); // starts re-embedding it in the background
    awaitModel("hash-128-test");
    var c = kb.collection("docs");
    assertThat(c.embeddingModel()).isEqualTo("hash-128-test");
    assertThat(c.dimensions()).isEqualTo(128);
    assertThat(c.chunks()).isEqualTo(chunks);
    assertThat(search("resume a run after a crash", SearchMode.VECTOR, Map.of()).getFirst().citation().location()).contains("Resuming runs");
    IngestReport again = kb.ingest("docs", List.of(docs.toString()), null);
    assertThat(again.unchanged()).isEqualTo(1);
  }

  @Test
  void while_a_collection_is_re_embedded_keyword_search_works_and_vector_search_and_ingestion_wait() throws Exception {
    var gate = new java.util.concurrent.CountDownLatch(1);
    long chunks = ingestThenReopenWith(TestEmbedders.gated(gate));
    var during = kb.collection("docs"); // opening starts the re-embedding, and returns
    assertThat(during.embeddingModel()).isEqualTo(HashingEmbedder.ID);
    assertThat(during.reembedding()).isEqualTo(new KnowledgeCollection.Reembedding("hash-128-gated", 0, (int) chunks));

    assertThat(search("resume a run after a crash", SearchMode.KEYWORD, Map.of()).getFirst().citation().location()).contains("Resuming runs");
    assertThat(search("resume a run after a crash", SearchMode.HYBRID, Map.of()).getFirst().citation().location()).contains("Resuming runs");
    assertThatThrownBy(() -> search("resume a run", SearchMode.VECTOR, Map.of())).isInstanceOf(ConflictException.class)
        .hasMessage("knowledge collection 'docs' is being re-embedded (from " + HashingEmbedder.ID + "): 0 of " + chunks
            + " passages; vector search is back when it has ended, keyword search works meanwhile");
    assertThatThrownBy(() -> kb.ingest("docs", List.of(docs.toString()), null)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("is being re-embedded").hasMessageEndingWith("; ingest again when it has ended");

    gate.countDown();
    awaitModel("hash-128-gated");
    assertThat(kb.collection("docs").embeddingModel()).isEqualTo("hash-128-gated");
    assertThat(kb.collection("docs").chunks()).isEqualTo(chunks);
    assertThat(kb.collection("docs").reembedding()).isNull();
    assertThat(search("resume a run after a crash", SearchMode.VECTOR, Map.of()).getFirst().citation().location()).contains("Resuming runs");
    assertThat(kb.ingest("docs", List.of(docs.toString()), null).unchanged()).isEqualTo(1);
    assertThat(Files.list(data.resolve("knowledge")).map(p -> p.getFileName().toString())).containsExactly("docs"); // no copies left
  }
}
