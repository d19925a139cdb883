package dev.maestro.engine.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.tool.builtin.HttpRequestTool;
import dev.maestro.engine.tool.builtin.RegisteredHttpTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafetyEngineTest {
  static final Path WORKDIR = Path.of("/srv/work");

  /** A tool that is only a spec: the safety engine never calls tools. */
  static Tool tool(String name, RiskLevel risk) {
    var spec = new ToolSpec(name, "test tool", Json.tree("{\"type\":\"object\"}"), risk, true, null);
    return new Tool() {
      @Override
      public ToolSpec spec() {
        return spec;
      }

      @Override
      public String call(JsonNode arguments, ToolContext context) {
        throw new AssertionError("not called");
      }
    };
  }

  static final Tool SQL = tool("run_sql", RiskLevel.LOW);
  static final Tool HTTP = tool("http_request", RiskLevel.LOW);
  static final Tool MAIL = tool("send_email", RiskLevel.LOW);
  static final Tool WRITE = tool("write_file", RiskLevel.MEDIUM);

  private static Decision decide(SafetyEngine engine, Tool tool, String args) {
    return engine.decide("analyst", tool, Json.tree(args), WORKDIR);
  }

  @Test
  void without_policies_the_action_follows_the_risk() {
    var engine = SafetyEngine.defaults();

    assertThat(decide(engine, tool("lookup", RiskLevel.LOW), "{}")).satisfies(d -> {
      assertThat(d.action()).isEqualTo(Action.ALLOW);
      assertThat(d.policy()).isEqualTo("default");
      assertThat(d.reason()).isEqualTo("lookup is low risk by default");
    });
    assertThat(decide(engine, tool("deploy", RiskLevel.MEDIUM), "{}").action()).isEqualTo(Action.LOG);
    Decision high = decide(engine, tool("refund", RiskLevel.HIGH), "{}");
    assertThat(high.action()).isEqualTo(Action.REQUIRE_APPROVAL);
    assertThat(high.approvers()).isEqualTo(1);
    assertThat(high.approvalWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(decide(engine, tool("drop_db", RiskLevel.CRITICAL), "{}").approvers()).isEqualTo(2);
  }

  @Test
  void sql_that_writes_is_high_and_sql_that_changes_the_schema_critical() {
    var engine = SafetyEngine.defaults();

    Decision delete = decide(engine, SQL, "{\"query\":\"DELETE FROM users WHERE id = 7\"}");
    assertThat(delete.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(delete.action()).isEqualTo(Action.REQUIRE_APPROVAL);
    assertThat(delete.reason()).contains("SQL writes data (DELETE)");
    assertThat(decide(engine, SQL, "{\"query\":\"merge into t using s on (t.id = s.id) when matched then update set x = 1\"}").risk())
        .isEqualTo(RiskLevel.HIGH);

    Decision drop = decide(engine, SQL, "{\"query\":\"DROP TABLE users\"}");
    assertThat(drop.risk()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(drop.approvers()).isEqualTo(2);
    assertThat(decide(engine, SQL, "{\"query\":\"grant all on users to public\"}").risk()).isEqualTo(RiskLevel.CRITICAL);

    // Keywords inside strings and comments do not count.
    assertThat(decide(engine, SQL, "{\"query\":\"SELECT 'DROP TABLE x' AS note -- delete later\\nFROM t\"}").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void http_that_changes_state_is_medium_and_leaving_the_allowed_hosts_high() {
    var open = SafetyEngine.defaults();
    assertThat(decide(open, HTTP, "{\"url\":\"https://api.example.com/x\"}").action()).isEqualTo(Action.ALLOW);
    Decision post = decide(open, HTTP, "{\"method\":\"POST\",\"url\":\"https://api.example.com/x\"}");
    assertThat(post.risk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(post.action()).isEqualTo(Action.LOG);
    assertThat(post.reason()).contains("POST may change state at api.example.com");

    var fenced = new SafetyEngine(new SafetySettings(Set.of("example.com"), Set.of()), List.of());
    assertThat(decide(fenced, HTTP, "{\"url\":\"https://api.example.com/x\"}").action()).isEqualTo(Action.ALLOW);
    Decision outside = decide(fenced, HTTP, "{\"url\":\"https://evil.test/x\"}");
    assertThat(outside.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(outside.reason()).contains("evil.test is outside the allowed hosts");
  }

  @Test
  void personal_data_sent_outside_is_high() {
    var engine = new SafetyEngine(new SafetySettings(Set.of("internal.example.com"), Set.of("example.com")), List.of());

    assertThat(decide(engine, HTTP, "{\"method\":\"POST\",\"url\":\"https://crm.test/x\",\"body\":\"card 4111 1111 1111 1111\"}").reason())
        .contains("personal data: payment card number");
    assertThat(decide(engine, HTTP, "{\"url\":\"https://crm.test/x?who=jane.doe@example.org\"}").reason()).contains("e-mail address");
    assertThat(decide(engine, HTTP, "{\"url\":\"https://crm.test/x\",\"body\":\"ssn 123-45-6789\"}").reason()).contains("national id");
    assertThat(decide(engine, HTTP, "{\"url\":\"https://crm.test/x\",\"body\":\"call +44 20 7946 0958\"}").reason()).contains("phone number");
    // Inside, the same data raises nothing; a number failing the Luhn check is not a card.
    assertThat(decide(engine, HTTP, "{\"url\":\"https://internal.example.com/x\",\"body\":\"jane.doe@example.org\"}").action())
        .isEqualTo(Action.ALLOW);
    assertThat(decide(engine, HTTP, "{\"url\":\"https://internal.example.com/x\",\"body\":\"order 4111 1111 1111 1112\"}").action())
        .isEqualTo(Action.ALLOW);
    assertThat(Pii.find("order 4111 1111 1111 1112")).doesNotContain("payment card number");
  }

  @Test
  void registered_http_tools_send_outside() {
    var transport = new HttpRequestTool();
    try {
      var spec = new ToolSpec("owner_lookup", "Finds owners.", Json.tree("{\"type\":\"object\"}"), RiskLevel.LOW, true, null);
      var registered = new RegisteredHttpTool(spec, "https://tools.partner.test/owner", transport);
      var engine = new SafetyEngine(new SafetySettings(Set.of("example.com"), Set.of()), List.of());

      Decision d = decide(engine, registered, "{\"service\":\"checkout\",\"contact\":\"ops@example.com\"}");

      assertThat(d.risk()).isEqualTo(RiskLevel.HIGH);
      assertThat(d.reason()).contains("sends its arguments to tools.partner.test").contains("outside the allowed hosts").contains("e-mail address");
    } finally {
      transport.close();
    }
  }

  @Test
  void mail_to_other_domains_is_high() {
    var engine = new SafetyEngine(new SafetySettings(Set.of(), Set.of("example.com")), List.of());

    assertThat(decide(engine, MAIL, "{\"to\":[\"ops@example.com\"],\"subject\":\"hi\"}").action()).isEqualTo(Action.ALLOW);
    Decision external = decide(engine, MAIL, "{\"to\":\"ops@example.com, someone@gmail.test\"}");
    assertThat(external.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(external.reason()).contains("someone@gmail.test");
  }

  @Test
  void a_file_write_outside_the_working_directory_is_blocked_whatever_the_policies_say() {
    var lenient = new SafetyEngine(SafetySettings.DEFAULT,
        Policies.parse("id: trust-writes\nmatch: {tools: [write_file]}\nset: {risk: low, action: allow}\n", "p.yaml"));

    Decision escape = decide(lenient, WRITE, "{\"path\":\"../../etc/cron.d/x\",\"content\":\"x\"}");
    assertThat(escape.action()).isEqualTo(Action.BLOCK);
    assertThat(escape.policy()).isEqualTo("builtin");
    assertThat(escape.reason()).contains("outside the working directory");
    assertThat(decide(lenient, WRITE, "{\"path\":\"notes/a.txt\"}").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void policies_match_agents_tools_and_arguments_and_the_strictest_wins() {
    var engine = new SafetyEngine(SafetySettings.DEFAULT, Policies.parse("""
        - id: log-all-http
          match: {tools: ["http_*"]}
          set: {action: log}
        - id: prod-needs-two
          match:
            agents: ["analyst", "ops-*"]
            tools: [http_request]
            arguments:
              - {path: /url, matches: "https://prod\\\\..*"}
          set: {risk: critical, action: require_approval, approvers: 3, approval_window: 30m}
        - id: no-admin-paths
          match:
            tools: [http_request]
            arguments: [{path: /url, contains: /admin}]
          set: {action: block}
        - id: reporting-is-safe
          match:
            tools: [run_sql]
            arguments: [{path: /datasource, equals: reporting}, {path: /query, exists: true}]
          set: {risk: low, action: allow}
        """, "policies.yaml"));

    Decision logged = decide(engine, HTTP, "{\"url\":\"https://docs.example.com\"}");
    assertThat(logged.action()).isEqualTo(Action.LOG);
    assertThat(logged.policy()).isEqualTo("log-all-http");

    Decision prod = decide(engine, HTTP, "{\"url\":\"https://prod.example.com/deploy\"}");
    assertThat(prod.risk()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(prod.action()).isEqualTo(Action.REQUIRE_APPROVAL);
    assertThat(prod.policy()).isEqualTo("prod-needs-two");
    assertThat(prod.approvers()).isEqualTo(3);
    assertThat(prod.approvalWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(engine.decide("billing", HTTP, Json.tree("{\"url\":\"https://prod.example.com/deploy\"}"), WORKDIR).policy())
        .as("another agent").isEqualTo("log-all-http");

    Decision blocked = decide(engine, HTTP, "{\"url\":\"https://prod.example.com/admin/users\"}");
    assertThat(blocked.action()).isEqualTo(Action.BLOCK);
    assertThat(blocked.policy()).isEqualTo("no-admin-paths");

    Decision reporting = decide(engine, SQL, "{\"datasource\":\"reporting\",\"query\":\"DELETE FROM tmp\"}");
    assertThat(reporting.risk()).as("a policy may lower the risk of calls it knows").isEqualTo(RiskLevel.LOW);
    assertThat(reporting.action()).isEqualTo(Action.ALLOW);
    assertThat(decide(engine, SQL, "{\"datasource\":\"warehouse\",\"query\":\"DELETE FROM tmp\"}").action()).isEqualTo(Action.REQUIRE_APPROVAL);
  }

  @Test
  void refuses_policies_that_do_not_parse_or_contradict_themselves() {
    assertRefused("id: a\nmatch: {tools: [x]}\n", "sets nothing");
    assertRefused("id: a\nset: {action: allow, approvers: 1}\n", "asks nobody");
    assertRefused("id: a\nset: {action: log, approval_window: 1h}\n", "asks nobody");
    assertRefused("id: a\nset: {risk: critical, action: allow}\n", "critical calls need two approvers");
    assertRefused("id: a\nset: {risk: critical, approvers: 1}\n", "need two different people");
    assertRefused("id: a\nset: {action: require_approval, approvers: 0}\n", "at least 1");
    assertRefused("id: a\nset: {action: require_approval, approval_window: 0s}\n", "more than zero");
    assertRefused("id: a\nset: {action: require_approval, approval_window: soon}\n", "'soon' is not a duration");
    assertRefused("id: a\nset: {action: maybe}\n", "action 'maybe' is not one of");
    assertRefused("id: a\nset: {rate_limit: {calls: 0, window: 1m}}\n", "at least 1");
    assertRefused("id: a\nset: {rate_limit: {calls: 5}}\n", "has no window");
    assertRefused("id: a\nset: {rate_limit: {calls: 5, window: 2d}}\n", "at most 1d");
    assertRefused("id: a\nset: {quota: {}}\n", "quota sets nothing");
    assertRefused("id: a\nset: {quota: {tokens_per_day: 0}}\n", "more than zero");
    assertRefused("id: a\nmatch: {agents: [ops], tools: [run_sql]}\nset: {quota: {concurrent_runs: 2}}\n", "not particular tool calls");
    assertRefused("id: a\nset: {quota: {runs: 2}}\n", "unknown field 'runs'");
    assertRefused("id: a\nset: {risk: severe}\n", "risk level 'severe'");
    assertRefused("id: a\nmatch: {arguments: [{path: /q, equals: x, contains: y}]}\nset: {action: log}\n", "has 2 conditions");
    assertRefused("id: a\nmatch: {arguments: [{path: q, equals: x}]}\nset: {action: log}\n", "JSON Pointer");
    assertRefused("id: a\nmatch: {arguments: [{path: /q, matches: \"([a-z\"}]}\nset: {action: log}\n", "invalid regular expression");
    assertRefused("id: a\nmatch: {tool: [x]}\nset: {action: log}\n", "unknown field 'tool'");
    assertRefused("id: Bad Id\nset: {action: log}\n", "'id' must be");
    assertRefused("id: [unclosed\n", "does not parse");
    assertThatThrownBy(() -> new SafetyEngine(SafetySettings.DEFAULT,
        Policies.parse("- {id: a, set: {action: log}}\n- {id: a, set: {action: block}}\n", "p.yaml")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("'a'");
  }

  private static void assertRefused(String yaml, String why) {
    assertThatThrownBy(() -> Policies.parse(yaml, "p.yaml")).isInstanceOf(InvalidInputException.class).hasMessageContaining(why);
  }

  @Test
  void luhn_checks_card_numbers() {
    assertThat(Pii.luhn("4111111111111111")).isTrue();
    assertThat(Pii.luhn("5500005555555559")).isTrue();
    assertThat(Pii.luhn("4111111111111112")).isFalse();
  }
}
