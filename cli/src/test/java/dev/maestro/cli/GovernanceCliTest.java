package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maestro tokens and maestro audit on a local database: tokens come and go, and tampering with the audit trail is caught. */
class GovernanceCliTest {
  @TempDir Path dataDir;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dataDir);
  }

  @Test
  void tokens_are_created_listed_and_revoked() {
    var created = cli.run("tokens", "create", "alice", "--role", "approver");
    assertThat(created.code()).as(created.err()).isZero();
    String secret = created.out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(secret).startsWith("mae_");
    JsonNode tokens = Json.tree(cli.run("tokens", "list", "--json").out());
    assertThat(tokens).hasSize(1);
    assertThat(tokens.get(0).path("role").asText()).isEqualTo("approver");
    assertThat(cli.run("tokens", "list").out()).contains("alice").doesNotContain(secret);
    String id = tokens.get(0).path("id").asText();

    assertThat(cli.run("tokens", "revoke", id).out()).contains("Revoked " + id);
    assertThat(cli.run("tokens", "revoke", id).err()).contains("already revoked");
    assertThat(cli.run("tokens", "create", "bob", "--role", "owner").err()).contains("not one of");
  }

  @Test
  void audit_verify_passes_on_the_recorded_trail_and_names_the_entry_someone_edited() throws Exception {
    var run = cli.run("run", CliTest.EXAMPLE.toString(), "Why did the deploy fail?", "--workdir",
        CliTest.EXAMPLE.getParent().getParent().getParent().toString());
    assertThat(run.code()).as(run.err()).isZero();

    var verified = cli.run("audit", "verify");
    assertThat(verified.code()).as(verified.err()).isZero();
    assertThat(verified.out()).contains("intact: 2 entries checked");
    String export = cli.run("audit", "export", "--action", "safety.").out();
    assertThat(export.lines()).hasSize(2).allSatisfy(line -> assertThat(Json.tree(line).path("decision").asText()).isEqualTo("allow"));

    try (var c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("maestro") + ";AUTO_SERVER=TRUE", "sa", "");
        var st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE audit_log SET decision = 'block' WHERE seq = 2")).isEqualTo(1);
    }

    var tampered = cli.run("audit", "verify");
    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.out()).contains("tampered with at entry 2");
  }
}
