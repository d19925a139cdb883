package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelUnavailableException;
import dev.maestro.engine.model.Usage;
import org.junit.jupiter.api.Test;

class ProviderModelsTest {
  private static ChatResponse response(TokenUsage usage) {
    return ChatResponse.builder().aiMessage(AiMessage.from("hi")).tokenUsage(usage).build();
  }

  @Test
  void openai_input_already_includes_cached_tokens() {
    var usage = OpenAiTokenUsage.builder().inputTokenCount(1000).outputTokenCount(50)
        .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(800).build()).build();
    assertThat(ProviderModels.openAiUsage(response(usage))).isEqualTo(new Usage(1000, 50, 800));
  }

  @Test
  void anthropic_cache_reads_and_writes_are_added_to_input() {
    // Anthropic's input_tokens counts only uncached input; cache reads and writes come separately.
    var usage = AnthropicTokenUsage.builder().inputTokenCount(200).outputTokenCount(40)
        .cacheReadInputTokens(700).cacheCreationInputTokens(100).build();
    assertThat(ProviderModels.anthropicUsage(response(usage))).isEqualTo(new Usage(1000, 40, 700));
  }

  @Test
  void plain_usage_when_a_provider_reports_no_details() {
    assertThat(ProviderModels.openAiUsage(response(new TokenUsage(10, 5)))).isEqualTo(new Usage(10, 5, 0));
  }

  @Test
  void unknown_providers_and_missing_keys_are_named() {
    var none = new MaestroConfig.Provider(null, null);
    var models = new ProviderModels(new MaestroConfig.Providers(none, none, none));
    assertThatThrownBy(() -> models.resolve(ModelRef.parse("mistral:large")))
        .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("unknown model provider 'mistral'");
    assertThatThrownBy(() -> models.resolve(ModelRef.parse("anthropic:claude-sonnet-4-5"))).hasMessageContaining("ANTHROPIC_API_KEY");
    assertThatThrownBy(() -> models.resolve(ModelRef.parse("openai:gpt-4o-mini"))).hasMessageContaining("OPENAI_API_KEY");
  }
}
