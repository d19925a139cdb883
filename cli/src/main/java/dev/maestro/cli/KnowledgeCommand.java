package dev.maestro.cli;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeCollection;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.knowledge.SearchMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "knowledge", mixinStandardHelpOptions = true,
    description = "Knowledge collections for agents (retrieval with citations): create, ingest, search, list, delete.",
    subcommands = {KnowledgeCommand.Create.class, KnowledgeCommand.Ingest.class, KnowledgeCommand.Search.class, KnowledgeCommand.ListCollections.class,
        KnowledgeCommand.Delete.class})
final class KnowledgeCommand {
  @ParentCommand
  Main main;

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a collection.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    KnowledgeCommand parent;

    @Parameters(paramLabel = "NAME", description = "lower-case letters, digits, '-' and '_'")
    String name;

    @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
    String description;

    @Override
    public Integer call() {
      try (Backend backend = parent.main.backend(null)) {
        KnowledgeCollection c = backend.createCollection(name, description);
        parent.main.out.printf("collection %s created · embedding model %s%n", c.name(), c.embeddingModel());
        return 0;
      }
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Ingest files, directories and http(s) URLs: Markdown, HTML, text, PDF and source code. Unchanged files are skipped;"
          + " files deleted from an ingested directory are removed.")
  static final class Ingest implements Callable<Integer> {
    @ParentCommand
    KnowledgeCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "SOURCE")
    List<String> sources;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      try (Backend backend = main.backend(null); var progress = new Bar(quiet || json || System.console() == null)) {
        IngestReport r = backend.ingest(name, sources, progress);
        progress.close();
        if (json) {
          main.out.println(Json.writePretty(r));
          return 0;
        }
        main.out.printf("%s: %d added, %d updated, %d unchanged, %d removed · %d passages written (%d embedded)%n", r.collection(), r.added(),
            r.updated(), r.unchanged(), r.removed(), r.chunks(), r.embedded());
        r.capped().forEach(n -> main.out.printf("  capped %s: %s%n", n.document(), n.reason()));
        r.skipped().forEach(n -> main.out.printf("  skipped %s: %s%n", n.document(), n.reason()));
        return 0;
      }
    }
  }

  /** A progress bar on the terminal, one step per document. */
  static final class Bar implements IngestProgress, AutoCloseable {
    private final boolean off;
    private ProgressBar bar;

    Bar(boolean off) {
      this.off = off;
    }

    @Override
    public void started(int documents) {
      if (!off && documents > 1) {
        bar = new ProgressBarBuilder().setTaskName("Ingesting").setInitialMax(documents).setUnit(" documents", 1).setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
      }
    }

    @Override
    public void advanced(String document) {
      if (bar != null) {
        bar.step();
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true, description = "Search a collection; prints passages with their citations.")
  static final class Search implements Callable<Integer> {
    @ParentCommand
    KnowledgeCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "QUERY")
    List<String> words;

    @Option(names = {"-n", "--limit"}, defaultValue = "5")
    int limit;

    @Option(names = "--mode", defaultValue = "hybrid", description = "hybrid (default), keyword, vector or exact.")
    String mode;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Only passages of this format: markdown, html, text, pdf, java, python, ...")
    String format;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      var filters = new HashMap<String, String>();
      if (format != null) {
        filters.put("format", format);
      }
      try (Backend backend = main.backend(null)) {
        List<Passage> found = backend.search(new KnowledgeQuery(name, String.join(" ", words), limit, filters, SearchMode.parse(mode)));
        if (json) {
          main.out.println(Json.writePretty(found));
        } else if (found.isEmpty()) {
          main.out.println("No passages match.");
        } else {
          int i = 0;
          for (Passage p : found) {
            main.out.printf("%d. %s  [%.4f]%n", ++i, p.citation(), p.score());
            p.text().lines().limit(6).forEach(line -> main.out.println("   " + line));
          }
        }
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List collections.")
  static final class ListCollections implements Callable<Integer> {
    @ParentCommand
    KnowledgeCommand parent;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      Main main = parent.main;
      try (Backend backend = main.backend(null)) {
        List<KnowledgeCollection> all = backend.collections();
        if (json) {
          main.out.println(Json.writePretty(all));
        } else if (all.isEmpty()) {
          main.out.println("No collections yet. Create one with: maestro knowledge create NAME");
        } else {
          var rows = new ArrayList<List<String>>();
          for (KnowledgeCollection c : all) {
            rows.add(List.of(c.name(), String.valueOf(c.documents()), String.valueOf(c.chunks()), c.reembedding() == null ? String.valueOf(c.embeddingModel())
                : c.embeddingModel() + " (" + c.reembedding() + ")", c.description()));
          }
          new Printer(main.out).table(List.of("NAME", "DOCUMENTS", "PASSAGES", "MODEL", "DESCRIPTION"), rows);
        }
        return 0;
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a collection and its index.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    KnowledgeCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      try (Backend backend = parent.main.backend(null)) {
        backend.deleteCollection(name);
        parent.main.out.printf("collection %s deleted%n", name);
        return 0;
      }
    }
  }
}
