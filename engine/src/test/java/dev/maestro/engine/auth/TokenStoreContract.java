package dev.maestro.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.TestClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TokenStore} does; extended by each implementation's test. */
public abstract class TokenStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123456Z");

  protected TestClock clock;
  protected TokenStore store;

  /** A store over empty storage reading time from the clock. */
  protected abstract TokenStore newStore(Clock clock);

  @BeforeEach
  void open() {
    clock = new TestClock(T0);
    store = newStore(clock);
  }

  @Test
  void issues_a_secret_shown_once_and_resolves_it_to_its_workspace_and_role() {
    IssuedToken issued = store.create("team-a", "alice's laptop", Role.OPERATOR, "first-start");

    assertThat(issued.secret()).matches("mae_[A-Za-z0-9_-]{43}");
    assertThat(issued.token().id()).matches("tok_[0-9a-f]{12}");
    assertThat(issued.token()).isEqualTo(new ApiToken(issued.token().id(), "team-a", "alice's laptop", Role.OPERATOR, T0, "first-start", null, null));
    assertThat(issued.toString()).doesNotContain(issued.secret()).contains(issued.token().id());
    assertThat(store.authenticate(issued.secret()))
        .contains(new Principal("team-a", issued.token().id(), "alice's laptop", Role.OPERATOR));
  }

  @Test
  void gives_every_token_its_own_id_and_secret() {
    var ids = new HashSet<String>();
    var secrets = new HashSet<String>();
    for (int i = 0; i < 50; i++) {
      IssuedToken t = store.create("team-a", "token " + i, Role.VIEWER, "test");
      ids.add(t.token().id());
      secrets.add(t.secret());
    }

    assertThat(ids).hasSize(50);
    assertThat(secrets).hasSize(50);
  }

  @Test
  void refuses_unknown_malformed_and_altered_secrets() {
    String secret = store.create("team-a", "ci", Role.ADMIN, "test").secret();
    String unknown = TokenSecrets.newSecret(new SecureRandom());
    String altered = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");

    assertThat(store.authenticate(unknown)).isEmpty();
    assertThat(store.authenticate(altered)).isEmpty();
    assertThat(store.authenticate(secret + " ")).isEmpty();
    assertThat(store.authenticate(secret.substring(4))).isEmpty();
    assertThat(store.authenticate("")).isEmpty();
    assertThat(store.authenticate(null)).isEmpty();
    assertThat(store.authenticate("mae_' OR 1=1 --")).isEmpty();
    assertThat(store.authenticate(secret)).isPresent();
  }

  @Test
  void lists_a_workspace_s_tokens_oldest_first_revoked_ones_included() {
    ApiToken first = store.create("team-a", "first", Role.ADMIN, "test").token();
    clock.advance(Duration.ofSeconds(1));
    ApiToken second = store.create("team-a", "second", Role.APPROVER, "token:" + first.id() + " (first)").token();
    store.create("team-b", "elsewhere", Role.ADMIN, "test");
    store.revoke("team-a", first.id());

    assertThat(store.list("team-a")).extracting(ApiToken::id).containsExactly(first.id(), second.id());
    assertThat(store.list("team-a").get(0).revokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.list("team-a").get(1)).isEqualTo(second);
    assertThat(store.list("team-c")).isEmpty();
  }

  @Test
  void keeps_tokens_of_one_workspace_invisible_and_unrevocable_from_another() {
    IssuedToken a = store.create("team-a", "ci", Role.ADMIN, "test");
    String unknownId = "tok_000000000000";

    assertThat(store.list("team-b")).isEmpty();
    var otherWorkspace = org.assertj.core.api.Assertions.catchThrowableOfType(NotFoundException.class, () -> store.revoke("team-b", a.token().id()));
    var noSuchToken = org.assertj.core.api.Assertions.catchThrowableOfType(NotFoundException.class, () -> store.revoke("team-b", unknownId));
    assertThat(otherWorkspace).isNotNull();
    assertThat(otherWorkspace.getMessage()).isEqualTo(noSuchToken.getMessage().replace(unknownId, a.token().id()));
    assertThat(store.authenticate(a.secret())).map(Principal::workspaceId).contains("team-a");
    assertThat(store.list("team-a")).singleElement().satisfies(t -> assertThat(t.live()).isTrue());
    assertThat(store.any("team-b")).isFalse();
  }

  @Test
  void stops_authenticating_a_revoked_token_at_once_and_refuses_to_revoke_it_twice() {
    IssuedToken a = store.create("team-a", "ci", Role.OPERATOR, "test");
    IssuedToken b = store.create("team-a", "other", Role.OPERATOR, "test");
    clock.advance(Duration.ofMinutes(5));

    ApiToken revoked = store.revoke("team-a", a.token().id());

    assertThat(revoked.revokedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(revoked.live()).isFalse();
    assertThat(store.authenticate(a.secret())).isEmpty();
    assertThat(store.authenticate(b.secret())).isPresent();
    assertThatThrownBy(() -> store.revoke("team-a", a.token().id()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(a.token().id())
        .hasMessageContaining("already revoked");
  }

  @Test
  void notes_a_token_s_use_at_most_once_a_minute() {
    IssuedToken t = store.create("team-a", "ci", Role.VIEWER, "test");
    assertThat(store.list("team-a").getFirst().lastUsedAt()).isNull();

    Instant firstUse = clock.advance(Duration.ofSeconds(5));
    store.authenticate(t.secret());
    assertThat(store.list("team-a").getFirst().lastUsedAt()).isEqualTo(firstUse);

    clock.advance(Duration.ofSeconds(50));
    store.authenticate(t.secret());
    assertThat(store.list("team-a").getFirst().lastUsedAt()).isEqualTo(firstUse);

    Instant later = clock.advance(Duration.ofSeconds(11));
    store.authenticate(t.secret());
    assertThat(store.list("team-a").getFirst().lastUsedAt()).isEqualTo(later);
  }

  @Test
  void knows_whether_a_workspace_has_a_live_admin_token() {
    assertThat(store.any("team-a")).isFalse();
    store.create("team-a", "operator", Role.OPERATOR, "test");
    assertThat(store.any("team-a")).isFalse();

    ApiToken admin = store.create("team-a", "admin", Role.ADMIN, "test").token();
    assertThat(store.any("team-a")).isTrue();
    assertThat(store.any("team-b")).isFalse();

    store.revoke("team-a", admin.id());
    assertThat(store.any("team-a")).isFalse();
  }

  @Test
  void refuses_a_token_without_name_role_creator_or_valid_workspace() {
    assertThatThrownBy(() -> store.create("team-a", " ", Role.ADMIN, "test"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("token name ' ' is not valid");
    assertThatThrownBy(() -> store.create("team-a", "x".repeat(101), Role.ADMIN, "test"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("1-100 characters");
    assertThatThrownBy(() -> store.create("team-a", "ci", null, "test"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("admin, operator, approver, viewer");
    assertThatThrownBy(() -> store.create("team-a", "ci", Role.ADMIN, ""))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("token creator");
    assertThatThrownBy(() -> store.create("no spaces", "ci", Role.ADMIN, "test"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("workspace id 'no spaces' is not valid");
    assertThat(store.list("team-a")).isEmpty();
  }
}
