package dev.maestro.engine.model;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.function.Function;

/**
 * A model ready to call.
 *
 * @param nativeTools whether tool specifications are sent to the provider (native tool calling); if
 *     not, the text protocol (Thought / Action / Action Input / Final Answer) is used
 * @param usage how to read input, output and cached token counts from this provider's responses
 */
public record ResolvedModel(ModelRef ref, ChatModel chatModel, boolean nativeTools, Function<ChatResponse, Usage> usage) {

  /** Input and output tokens as every provider reports them; cached tokens unknown (0). */
  public static Usage plainUsage(ChatResponse response) {
    TokenUsage u = response.tokenUsage();
    if (u == null) {
      return Usage.NONE;
    }
    return new Usage(orZero(u.inputTokenCount()), orZero(u.outputTokenCount()), 0);
  }

  private static long orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
