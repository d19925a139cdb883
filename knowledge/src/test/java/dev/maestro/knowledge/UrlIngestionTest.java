package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.knowledge.IngestReport;
import dev.maestro.engine.knowledge.KnowledgeSearchTool;
import dev.maestro.engine.tool.ToolContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URLs are fetched over real HTTP from a server on the loopback interface. */
class UrlIngestionTest {
  @TempDir Path data;
  HttpServer server;
  String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/guide.html", ex -> {
      byte[] body = Fixtures.HTML.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/moved", ex -> {
      ex.getResponseHeaders().add("Location", "/guide.html");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.createContext("/image", ex -> {
      ex.getResponseHeaders().add("Content-Type", "image/png");
      ex.sendResponseHeaders(200, 3);
      ex.getResponseBody().write(new byte[] {1, 2, 3});
      ex.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void ingests_pages_follows_redirects_and_says_why_others_are_skipped() {
    try (var kb = new LuceneKnowledgeBase(data, new HashingEmbedder(), Clock.systemUTC(), 1 << 20, Set.of("127.0.0.1"))) {
      kb.create("web", null);
      IngestReport report = kb.ingest("web", List.of(base + "/moved", base + "/image", base + "/missing"), null);

      assertThat(report.added()).isEqualTo(1);
      assertThat(report.skipped()).extracting(IngestReport.Notice::reason)
          .containsExactlyInAnyOrder("unsupported content type 'image/png'; Maestro ingests " + Format.SUPPORTED, "the server answered HTTP 404");

      String found = new KnowledgeSearchTool(kb).call(Json.tree("{\"query\":\"when does an approval expire?\"}"), new ToolContext("r", "a", data));
      assertThat(found).contains("\"citation\":\"" + base + "/moved (Approvals > Expiry)\"").contains("one hour");
    }
  }

  @Test
  void refuses_non_public_addresses_unless_allowed() {
    try (var kb = new LuceneKnowledgeBase(data, new HashingEmbedder())) {
      kb.create("web", null);
      IngestReport report = kb.ingest("web", List.of(base + "/guide.html"), null);

      assertThat(report.added()).isZero();
      assertThat(report.skipped()).singleElement().satisfies(n -> assertThat(n.reason())
          .isEqualTo("127.0.0.1 resolves to the non-public address 127.0.0.1; allow it with tools.http.allowed_hosts (MAESTRO_HTTP_ALLOWED_HOSTS)"
              + " if it is meant to be ingested"));
    }
  }
}
