package dev.maestro.engine.auth;

import java.time.Clock;

class InMemoryTokenStoreTest extends TokenStoreContract {
  @Override
  protected TokenStore newStore(Clock clock) {
    return new InMemoryTokenStore(clock);
  }
}
