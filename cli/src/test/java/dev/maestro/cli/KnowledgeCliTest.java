package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.knowledge.IngestProgress;
import dev.maestro.engine.knowledge.IngestReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maestro knowledge create|ingest|search|list|delete, on this process's data directory and through a server. */
class KnowledgeCliTest {
  @TempDir Path data;
  @TempDir Path docs;

  @Test
  void creates_ingests_searches_lists_and_deletes_a_collection() throws Exception {
    Files.writeString(docs.resolve("runbook.md"), "# Runbook\n\n## Restarts\n\nRestart the ingest worker with systemctl restart ingest.\n");
    Files.writeString(docs.resolve("logo.png"), "\u0089PNG");
    var cli = new Cli(data);

    assertThat(cli.run("knowledge", "create", "ops", "-d", "Runbooks").out()).contains("collection ops created · embedding model bge-small-en-v1.5-q");
    var ingest = cli.run("knowledge", "ingest", "ops", docs.toString());
    assertThat(ingest.code()).as(ingest.err()).isZero();
    assertThat(ingest.out()).contains("ops: 1 added, 0 updated, 0 unchanged, 0 removed · 1 passages written (1 embedded)")
        .contains("skipped " + docs.resolve("logo.png") + ": unsupported format '.png'");
    assertThat(cli.run("knowledge", "ingest", "ops", docs.toString()).out()).contains("0 added, 0 updated, 1 unchanged");

    var search = cli.run("knowledge", "search", "ops", "how", "do", "I", "restart", "the", "worker");
    assertThat(search.out()).contains("1. " + docs.resolve("runbook.md") + " (Runbook > Restarts (lines 3-5))").contains("systemctl restart ingest");
    JsonNode json = Json.tree(cli.run("knowledge", "search", "ops", "restart", "--json", "--mode", "keyword").out());
    assertThat(json.at("/0/citation/location").asText()).isEqualTo("Runbook > Restarts (lines 3-5)");
    assertThat(cli.run("knowledge", "list").out()).contains("ops").contains("Runbooks").contains("bge-small-en-v1.5-q");

    var empty = cli.run("knowledge", "search", "ops", " ");
    assertThat(empty.code()).isEqualTo(Main.USAGE);
    assertThat(empty.err()).contains("the search query is empty");
    var missing = cli.run("knowledge", "search", "nope", "x");
    assertThat(missing.code()).isEqualTo(Main.USAGE);
    assertThat(missing.err()).contains("no knowledge collection 'nope'");

    assertThat(cli.run("knowledge", "delete", "ops").out()).contains("collection ops deleted");
    assertThat(cli.run("knowledge", "list").out()).contains("No collections yet");
  }

  @Test
  void acts_through_a_server_with_paths_under_its_working_directory() throws Exception {
    Files.createDirectories(docs.resolve("guides"));
    Files.writeString(docs.resolve("guides/backup.txt"), "Back up the H2 file maestro.mv.db while the server is stopped.");
    var platform = Platform.start(MaestroConfig.load(null, null, Map.of("MAESTRO_DATA_DIR", data.toString(), "MAESTRO_WORKDIR", docs.toString())),
        "127.0.0.1", 0);
    try {
      String url = platform.server.url().toString();
      var cli = new Cli(docs.resolve("client-data"));
      cli.env.put("MAESTRO_TOKEN", platform.admin.secret());
      assertThat(cli.run("--server", url, "knowledge", "create", "ops").code()).isZero();
      assertThat(cli.run("--server", url, "knowledge", "ingest", "ops", "guides").out()).contains("ops: 1 added");
      assertThat(cli.run("--server", url, "knowledge", "search", "ops", "backup of the database file").out())
          .contains(docs.resolve("guides/backup.txt").toString());
      assertThat(cli.run("--server", url, "knowledge", "list", "--json").out()).contains("\"documents\" : 1");
      assertThat(platform.app.knowledge.collection("ops").chunks()).isEqualTo(1);

      // The server ingests in the background; the client follows its progress, document by document, to the report.
      for (int i = 0; i < 5; i++) {
        Files.writeString(docs.resolve("guides/step-" + i + ".md"), "# Step " + i + "\n\nCheck replica " + i + " before the backup.");
      }
      var counted = new java.util.concurrent.atomic.AtomicInteger(-1);
      var advanced = new java.util.concurrent.CopyOnWriteArrayList<String>();
      try (var remote = new RemoteBackend(url, platform.admin.secret(), null)) {
        IngestReport report = remote.ingest("ops", List.of("guides"), new IngestProgress() {
          @Override
          public void started(int documents) {
            counted.set(documents);
          }

          @Override
          public void advanced(String document) {
            advanced.add(document);
          }
        });
        assertThat(report.added()).isEqualTo(5);
        assertThat(report.unchanged()).isEqualTo(1);
      }
      assertThat(counted.get()).isEqualTo(6);
      assertThat(advanced).hasSize(6).last().isEqualTo(docs.resolve("guides/step-4.md").toString());
    } finally {
      platform.stop(Duration.ofSeconds(5));
    }
  }
}
