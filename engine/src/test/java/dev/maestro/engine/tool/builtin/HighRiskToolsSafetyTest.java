package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.InMemoryOutbox;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Decision;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.RiskLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the safety engine, with no policies, makes of calls to the two high-risk tools. */
class HighRiskToolsSafetyTest {
  static final SafetyEngine SAFETY = new SafetyEngine(new SafetySettings(Set.of(), Set.of("corp.example")), List.of());
  static final Path WORKDIR = Path.of(".");

  @Test
  void every_execute_python_call_waits_for_one_approval() {
    Decision d = SAFETY.decide("coder", new ExecutePythonTool(), Json.tree("{\"code\":\"print(1)\"}"), WORKDIR);

    assertThat(d.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(d.action()).isEqualTo(Action.REQUIRE_APPROVAL);
    assertThat(d.approvers()).isEqualTo(1);
  }

  @Test
  void send_email_inside_the_organisation_is_logged_and_outside_it_waits_for_approval() {
    var tool = new SendEmailTool(new InMemoryOutbox(), null, null);

    Decision inside = SAFETY.decide("notifier", tool, Json.tree("{\"to\":\"ops@corp.example\",\"subject\":\"s\",\"body\":\"b\"}"), WORKDIR);
    Decision outside = SAFETY.decide("notifier", tool,
        Json.tree("{\"to\":\"ops@corp.example, lead@partner.example\",\"subject\":\"s\",\"body\":\"b\"}"), WORKDIR);
    Decision blindCopy = SAFETY.decide("notifier", tool,
        Json.tree("{\"to\":[\"ops@corp.example\"],\"bcc\":[\"someone@elsewhere.example\"],\"subject\":\"s\",\"body\":\"b\"}"), WORKDIR);

    assertThat(inside.risk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(inside.action()).isEqualTo(Action.LOG);
    assertThat(outside.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(outside.action()).isEqualTo(Action.REQUIRE_APPROVAL);
    assertThat(outside.reason()).contains("lead@partner.example");
    assertThat(blindCopy.action()).isEqualTo(Action.REQUIRE_APPROVAL);
  }
}
