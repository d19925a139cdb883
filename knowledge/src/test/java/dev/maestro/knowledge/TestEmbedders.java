package dev.maestro.knowledge;

/** A second embedding model for tests of model changes: the first 128 dimensions of the hashing model, rescaled. */
final class TestEmbedders {
  private TestEmbedders() {}

  /** The small model, whose batches wait until the gate opens: a re-embedding that takes as long as the test wants. */
  static Embedder gated(java.util.concurrent.CountDownLatch gate) {
    Embedder small = small();
    return new Embedder() {
      @Override
      public String id() {
        return "hash-128-gated";
      }

      @Override
      public int dimensions() {
        return 128;
      }

      @Override
      public float[] embed(String text) {
        return small.embed(text);
      }

      @Override
      public java.util.List<float[]> embedAll(java.util.List<String> texts) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Embedder.super.embedAll(texts);
      }
    };
  }

  static Embedder small() {
    var base = new HashingEmbedder();
    return new Embedder() {
      @Override
      public String id() {
        return "hash-128-test";
      }

      @Override
      public int dimensions() {
        return 128;
      }

      @Override
      public float[] embed(String text) {
        float[] v = java.util.Arrays.copyOf(base.embed(text), 128);
        return LangChain4jEmbedder.unit(v);
      }
    };
  }
}
