package dev.maestro.engine.learning;

class InMemoryFeedbackStoreTest extends FeedbackStoreContract {
  @Override
  protected FeedbackStore newStore() {
    return new InMemoryFeedbackStore();
  }

  @Override
  protected FeedbackStore newStoreInOtherWorkspace() {
    return new InMemoryFeedbackStore();
  }
}
