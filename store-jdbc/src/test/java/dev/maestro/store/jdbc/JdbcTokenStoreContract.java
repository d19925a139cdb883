package dev.maestro.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenSecrets;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.auth.TokenStoreContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token store contract on a database, plus what only a database can show: what its rows hold. */
abstract class JdbcTokenStoreContract extends TokenStoreContract {
  JdbcStores stores;

  /** Opens a store over a fresh database. */
  abstract JdbcStores openStores();

  /** Called once the store is closed. */
  void dropDatabase() {}

  @Override
  protected TokenStore newStore(Clock clock) {
    stores = openStores();
    return stores.tokens(clock);
  }

  @AfterEach
  void closeStores() {
    if (stores != null) {
      stores.close();
    }
    dropDatabase();
  }

  @Test
  void keeps_no_column_that_holds_the_secret_or_any_part_of_it() {
    IssuedToken issued = store.create("team-a", "ci", Role.ADMIN, "test");
    store.authenticate(issued.secret());
    String random = issued.secret().substring(TokenSecrets.PREFIX.length());

    List<String> values = new ArrayList<>();
    stores.jdbi().useHandle(h -> h.createQuery("SELECT * FROM api_tokens").map((rs, ctx) -> {
      for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
        values.add(String.valueOf(rs.getObject(c)));
      }
      return null;
    }).list());

    assertThat(values).hasSizeGreaterThanOrEqualTo(9).contains(TokenSecrets.hash(issued.secret()), issued.token().id());
    assertThat(values).noneMatch(v -> v.contains(random.substring(0, 12)) || v.contains(random.substring(random.length() - 12)));
  }
}
