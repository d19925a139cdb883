package dev.maestro.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void grants_each_role_its_permissions_and_no_more() {
    assertThat(Role.VIEWER.allows(Permission.READ)).isTrue();
    assertThat(Role.VIEWER.allows(Permission.OPERATE)).isFalse();
    assertThat(Role.OPERATOR.allows(Permission.OPERATE)).isTrue();
    assertThat(Role.OPERATOR.allows(Permission.APPROVE)).isFalse();
    assertThat(Role.OPERATOR.allows(Permission.ADMINISTER)).isFalse();
    assertThat(Role.APPROVER.allows(Permission.APPROVE)).isTrue();
    assertThat(Role.APPROVER.allows(Permission.OPERATE)).isFalse();
    assertThat(Role.APPROVER.allows(Permission.READ)).isTrue();
    for (Permission p : Permission.values()) {
      assertThat(Role.ADMIN.allows(p)).as(p.name()).isTrue();
    }
    assertThat(new Principal("w", "tok_0123456789ab", "alice", Role.APPROVER).can(Permission.ADMINISTER)).isFalse();
  }

  @Test
  void reads_roles_in_any_case_and_names_the_roles_when_it_cannot() {
    assertThat(Role.parse(" Approver ")).isEqualTo(Role.APPROVER);
    assertThat(Role.OPERATOR.wire()).isEqualTo("operator");
    assertThatThrownBy(() -> Role.parse("root"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("role 'root' is not one of [admin, operator, approver, viewer]");
  }

  @Test
  void names_a_principal_in_the_audit_trail_by_token_id_and_name() {
    assertThat(new Principal("w", "tok_ab12cd34ef56", "alice", Role.ADMIN).actor()).isEqualTo("token:tok_ab12cd34ef56 (alice)");
  }
}
