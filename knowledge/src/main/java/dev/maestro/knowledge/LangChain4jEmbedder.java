package dev.maestro.knowledge;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.maestro.engine.MaestroException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Any LangChain4j {@link EmbeddingModel} (an OpenAI-compatible {@code /v1/embeddings} endpoint, an
 * in-process ONNX model such as BGE small, Ollama, ...) as an {@link Embedder}. Vectors are scaled to
 * unit length so that dot product is cosine similarity.
 */
public final class LangChain4jEmbedder implements Embedder {
  /** Requests to remote models carry at most this many texts. */
  static final int BATCH = 64;

  /** The default model: BGE small en v1.5, quantized, in process from its Maven artifact (384 dimensions). */
  public static final String BGE = "bge-small-en-v1.5-q";

  private final String id;
  private final Supplier<EmbeddingModel> factory;
  private volatile EmbeddingModel model;
  private volatile int dimensions;

  /**
   * @param id the name recorded with every vector, e.g. {@code openai:text-embedding-3-small}
   */
  public LangChain4jEmbedder(String id, EmbeddingModel model) {
    this.id = Objects.requireNonNull(id);
    this.model = Objects.requireNonNull(model);
    this.factory = () -> model;
  }

  private LangChain4jEmbedder(String id, Supplier<EmbeddingModel> factory, int dimensions) {
    this.id = id;
    this.factory = factory;
    this.dimensions = dimensions;
  }

  /**
   * The in-process BGE small en v1.5 model (quantized ONNX, inside the langchain4j-embeddings
   * artifact: no network). It is loaded on first use, so commands that embed nothing pay nothing.
   */
  public static LangChain4jEmbedder bge() {
    return new LangChain4jEmbedder(BGE, BgeSmallEnV15QuantizedEmbeddingModel::new, 384);
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        if (model == null) {
          model = factory.get();
        }
        m = model;
      }
    }
    return m;
  }

  @Override
  public String id() {
    return id;
  }

  /** Learnt from the model's first vector (a remote model is not called before it is needed). */
  @Override
  public int dimensions() {
    if (dimensions == 0) {
      dimensions = embed("dimension probe").length;
    }
    return dimensions;
  }

  @Override
  public float[] embed(String text) {
    try {
      return unit(model().embed(text).content().vector());
    } catch (RuntimeException e) {
      throw new MaestroException("embedding model '" + id + "' failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    var out = new ArrayList<float[]>(texts.size());
    for (int i = 0; i < texts.size(); i += BATCH) {
      var segments = texts.subList(i, Math.min(texts.size(), i + BATCH)).stream().map(TextSegment::from).toList();
      try {
        model().embedAll(segments).content().forEach(e -> out.add(unit(e.vector())));
      } catch (RuntimeException e) {
        throw new MaestroException("embedding model '" + id + "' failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      return v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }
}
