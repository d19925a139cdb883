package dev.maestro.knowledge;

/** A second embedding model for tests of model changes: the first 128 dimensions of the hashing model, rescaled. */
final class TestEmbedders {
  private TestEmbedders() {}

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
