package dev.maestro.engine.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Objects;

/**
 * A memory's embedding and the model that computed it. Vectors of different models are never
 * compared: a memory whose vector came from another model is embedded again.
 */
public record MemoryVector(String model, float[] values) {

  public MemoryVector {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(values, "values");
  }

  /** The values as base64 of little-endian floats, as stores keep them in a text column. */
  public String encoded() {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return Base64.getEncoder().encodeToString(buffer.array());
  }

  public static MemoryVector decode(String model, String encoded) {
    ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[buffer.remaining() / Float.BYTES];
    buffer.asFloatBuffer().get(values);
    return new MemoryVector(model, values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryVector v && v.model.equals(model) && java.util.Arrays.equals(v.values, values);
  }

  @Override
  public int hashCode() {
    return model.hashCode() * 31 + java.util.Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "MemoryVector[" + model + ", " + values.length + " dimensions]";
  }
}
