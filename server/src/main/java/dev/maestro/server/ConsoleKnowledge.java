package dev.maestro.server;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.knowledge.SearchMode;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Knowledge in the console: the collections with their figures, creating and deleting one,
 * ingesting files and directories under the server's working directory (confined as the API
 * confines them), and a search playground that shows passages with their citations.
 */
final class ConsoleKnowledge {
  /** The most passages the playground shows. */
  static final int MAX_RESULTS = 50;
  /** The modes the playground offers ({@code exact} is a reference for measuring recall, not for people). */
  static final List<String> MODES = List.of("hybrid", "keyword", "vector");
  private final Console console;

  ConsoleKnowledge(Console console) {
    this.console = console;
  }

  /** @param created the collection just created, for a notice, or null */
  record KnowledgePage(Console.Chrome chrome, List<KnowledgeCollection> collections, String workdir, String created) {}

  /** The playground's answer: what was asked and the passages found, best first. */
  record Results(String collection, String query, String mode, List<Passage> passages) {}

  /**
   * An ingestion shown under the collection's form: its progress while it runs (the fragment asks
   * for itself again every second), then what it did, or why it failed.
   *
   * @param sources what was ingested, relative to the server's working directory
   */
  record Ingested(Ingestions.View job, List<String> sources) {
    IngestReport report() {
      return job.report();
    }

    boolean running() {
      return job.status().equals("running");
    }

    /** Documents handled per hundred, once they are counted. */
    int percent() {
      Integer total = job.documents();
      return total == null || total == 0 ? 0 : (int) (100L * job.done() / total);
    }
  }

  /** How long an ingestion started from the console may take before the page follows it instead of waiting. */
  static final java.time.Duration WAIT = java.time.Duration.ofSeconds(1);

  List<Route> routes() {
    return List.of(
        Console.page("/maestro/knowledge", "Knowledge collections, ingestion and a search playground", this::page),
        Console.action("/maestro/knowledge/collections", "Create a knowledge collection", Permission.OPERATE, this::create),
        Console.action("/maestro/knowledge/collections/{name}/ingest",
            "Ingest files and directories under the server's working directory into a collection", Permission.OPERATE, this::ingest),
        Console.page("/maestro/knowledge/ingestions/{id}", "An ingestion's progress, then its report (a fragment the page polls)",
            this::ingestion),
        Console.action("/maestro/knowledge/collections/{name}/delete", "Delete a knowledge collection and its index", Permission.OPERATE,
            this::delete),
        Console.action("/maestro/knowledge/search", "Search a collection: passages with citations", Permission.READ, this::search));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    List<KnowledgeCollection> collections = s.knowledge().collections().stream()
        .sorted(Comparator.comparing(KnowledgeCollection::name)).toList();
    console.render(ctx, "knowledge.jte", new KnowledgePage(console.chrome(ctx, "knowledge", "Knowledge"), collections,
        s.workdir().toString(), collections.stream().map(KnowledgeCollection::name).filter(n -> n.equals(ctx.queryParam("created"))).findFirst()
        .orElse(null)));
  }

  private void create(Context ctx) {
    String name = ctx.formParam("name");
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("give the collection a name: lower-case letters, digits, '-' or '_'");
    }
    String description = ctx.formParam("description");
    Auth.services(ctx).knowledge().create(name.strip(), description == null ? "" : description.strip());
    // A query, not only a fragment: a redirect to the same page with another fragment would not reload it.
    Console.redirect(ctx, "/maestro/knowledge?created=" + name.strip() + "#collection-" + name.strip());
  }

  private void ingest(Context ctx) {
    String text = ctx.formParam("sources");
    var sources = new ArrayList<String>();
    var shown = new ArrayList<String>();
    if (text != null) {
      for (String line : text.split("\\R")) {
        String source = line.strip();
        if (source.isEmpty()) {
          continue;
        }
        if (source.startsWith("http://") || source.startsWith("https://")) {
          throw new InvalidInputException("the console ingests files and directories under the server's working directory, not URLs like '"
              + source + "'; use POST /api/apa/knowledge/collections/{name}/ingest for URLs");
        }
        sources.add(KnowledgeRoutes.confined(ctx, source));
        shown.add(source);
      }
    }
    if (sources.isEmpty()) {
      throw new InvalidInputException("name at least one file or directory, one per line, relative to the server's working directory");
    }
    Services s = Auth.services(ctx);
    s.knowledge().collection(ctx.pathParam("name")); // an unknown collection is said at once
    Ingestions.Ingestion job = console.ingestions.start(s.workspaceId(), s.knowledge(), ctx.pathParam("name"), sources);
    job.await(WAIT);
    console.render(ctx, "knowledge_ingested.jte", new Ingested(job.view(), shown));
  }

  private void ingestion(Context ctx) {
    Services s = Auth.services(ctx);
    Ingestions.View job = console.ingestions.find(s.workspaceId(), ctx.pathParam("id")).orElseThrow(() -> new NotFoundException(
        "no ingestion '" + ctx.pathParam("id") + "' (ingestions are forgotten when the server restarts)")).view();
    Path workdir = s.workdir();
    List<String> shown = job.sources().stream().map(p -> Path.of(p).startsWith(workdir) ? workdir.relativize(Path.of(p)).toString() : p).toList();
    console.render(ctx, "knowledge_ingested.jte", new Ingested(job, shown));
  }

  private void delete(Context ctx) {
    Auth.services(ctx).knowledge().delete(ctx.pathParam("name"));
    Console.redirect(ctx, "/maestro/knowledge");
  }

  private void search(Context ctx) {
    String collection = ctx.formParam("collection");
    if (collection == null || collection.isBlank()) {
      throw new InvalidInputException("choose the collection to search");
    }
    String query = ctx.formParam("query");
    if (query == null || query.isBlank()) {
      throw new InvalidInputException("type what to search for");
    }
    String modeText = ctx.formParam("mode");
    SearchMode mode = modeText == null || modeText.isBlank() ? SearchMode.HYBRID : SearchMode.parse(modeText);
    int limit = formInt(ctx, "limit", 5, 1, MAX_RESULTS);
    List<Passage> passages = Auth.services(ctx).knowledge().search(new KnowledgeQuery(collection.strip(), query.strip(), limit, Map.of(), mode));
    console.render(ctx, "knowledge_results.jte", new Results(collection.strip(), query.strip(), mode.wire(), passages));
  }

  /** A whole number from the form, within bounds, or the default when absent. */
  static int formInt(Context ctx, String field, int otherwise, int min, int max) {
    String text = ctx.formParam(field);
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n < min || n > max) {
        throw new InvalidInputException("'" + field + "' must be from " + min + " to " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("'" + field + "' must be a whole number, not '" + text + "'");
    }
  }
}
