package dev.maestro.engine.mail;

class InMemoryOutboxTest extends OutboxContract {
  @Override
  protected Outbox newOutbox() {
    return new InMemoryOutbox();
  }

  @Override
  protected Outbox newOutboxInOtherWorkspace() {
    return new InMemoryOutbox();
  }
}
