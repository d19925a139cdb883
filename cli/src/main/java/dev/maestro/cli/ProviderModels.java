package dev.maestro.cli;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelResolver;
import dev.maestro.engine.model.ModelUnavailableException;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ResolvedModel;
import dev.maestro.engine.model.Usage;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The model providers Maestro knows, configured from {@link MaestroConfig.Providers}: {@code openai:}
 * (any OpenAI-compatible server through {@code MAESTRO_OPENAI_BASE_URL}), {@code anthropic:},
 * {@code ollama:} (through Ollama's OpenAI-compatible API) and {@code replay:}. Provider errors are
 * turned into messages that name the variable to set or the address to check.
 */
final class ProviderModels implements ModelResolver {
  static final String OLLAMA_DEFAULT_URL = "http://localhost:11434";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final MaestroConfig.Providers providers;
  private final ConcurrentMap<ModelRef, ResolvedModel> cache = new ConcurrentHashMap<>();

  ProviderModels(MaestroConfig.Providers providers) {
    this.providers = providers;
  }

  @Override
  public ResolvedModel resolve(ModelRef ref) {
    if (ref.isReplay()) {
      return ReplayChatModel.load(Path.of(ref.name())).resolved(ref); // read anew: the file may have changed
    }
    return cache.computeIfAbsent(ref, this::create);
  }

  private ResolvedModel create(ModelRef ref) {
    return switch (ref.provider()) {
      case "openai" -> openAi(ref);
      case "anthropic" -> anthropic(ref);
      case "ollama" -> ollama(ref);
      default -> throw new ModelUnavailableException("unknown model provider '" + ref.provider() + "' in '" + ref
          + "'; use openai:, anthropic:, ollama: or replay:");
    };
  }

  private ResolvedModel openAi(ModelRef ref) {
    var p = providers.openai();
    String baseUrl = p.baseUrl();
    String key = p.apiKey();
    if (key == null && baseUrl == null) {
      throw new ModelUnavailableException("model " + ref + " needs an OpenAI API key: set OPENAI_API_KEY (or MAESTRO_OPENAI_API_KEY),"
          + " or point MAESTRO_OPENAI_BASE_URL at an OpenAI-compatible server such as vLLM or llama.cpp");
    }
    var builder = OpenAiChatModel.builder().modelName(ref.name()).apiKey(key == null ? "none" : key).timeout(TIMEOUT).maxRetries(1);
    if (baseUrl != null) {
      builder.baseUrl(baseUrl);
    }
    String where = baseUrl == null ? "the OpenAI API" : baseUrl;
    return new ResolvedModel(ref, new Guarded(builder.build(), ref, where, "MAESTRO_OPENAI_BASE_URL", "OPENAI_API_KEY"), true,
        ProviderModels::openAiUsage);
  }

  private ResolvedModel ollama(ModelRef ref) {
    String base = providers.ollama().baseUrl() == null ? OLLAMA_DEFAULT_URL : providers.ollama().baseUrl();
    String v1 = base.replaceAll("/+$", "") + (base.endsWith("/v1") ? "" : "/v1");
    var model = OpenAiChatModel.builder().modelName(ref.name()).apiKey("ollama").baseUrl(v1).timeout(TIMEOUT).maxRetries(1).build();
    return new ResolvedModel(ref, new Guarded(model, ref, v1, "MAESTRO_OLLAMA_BASE_URL", null), true, ProviderModels::openAiUsage);
  }

  private ResolvedModel anthropic(ModelRef ref) {
    var p = providers.anthropic();
    if (p.apiKey() == null) {
      throw new ModelUnavailableException("model " + ref + " needs an Anthropic API key: set ANTHROPIC_API_KEY (or MAESTRO_ANTHROPIC_API_KEY)");
    }
    var builder = AnthropicChatModel.builder().modelName(ref.name()).apiKey(p.apiKey()).timeout(TIMEOUT).maxRetries(1).maxTokens(4096);
    if (p.baseUrl() != null) {
      builder.baseUrl(p.baseUrl());
    }
    String where = p.baseUrl() == null ? "the Anthropic API" : p.baseUrl();
    return new ResolvedModel(ref, new Guarded(builder.build(), ref, where, "MAESTRO_ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"), true,
        ProviderModels::anthropicUsage);
  }

  /** OpenAI counts cached tokens inside the input tokens already. */
  static Usage openAiUsage(ChatResponse response) {
    TokenUsage u = response.tokenUsage();
    if (u instanceof OpenAiTokenUsage o && o.inputTokensDetails() != null && o.inputTokensDetails().cachedTokens() != null) {
      return new Usage(n(o.inputTokenCount()), n(o.outputTokenCount()), o.inputTokensDetails().cachedTokens());
    }
    return ResolvedModel.plainUsage(response);
  }

  /** Anthropic's input count leaves out cache reads and writes: add them, so input means all input. */
  static Usage anthropicUsage(ChatResponse response) {
    if (response.tokenUsage() instanceof AnthropicTokenUsage a) {
      long read = n(a.cacheReadInputTokens());
      long written = n(a.cacheCreationInputTokens());
      return new Usage(n(a.inputTokenCount()) + read + written, n(a.outputTokenCount()), read);
    }
    return ResolvedModel.plainUsage(response);
  }

  private static long n(Integer value) {
    return value == null ? 0 : value;
  }

  /** Wraps a provider's model so its failures say what to set or check. */
  private record Guarded(ChatModel delegate, ModelRef ref, String where, String urlVariable, String keyVariable) implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      try {
        return delegate.chat(request);
      } catch (AuthenticationException e) {
        throw new ModelUnavailableException(where + " refused the credentials for " + ref + ": " + e.getMessage()
            + (keyVariable == null ? "" : "; check " + keyVariable), false, e);
      } catch (ModelNotFoundException e) {
        throw new ModelUnavailableException(where + " has no model '" + ref.name() + "': " + e.getMessage(), false, e);
      } catch (RuntimeException e) {
        if (unreachable(e)) {
          throw new ModelUnavailableException("cannot reach " + where + " for " + ref + " (" + rootMessage(e) + "); check "
              + urlVariable + " and that the server is running", true, e);
        }
        throw e;
      }
    }

    private static boolean unreachable(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof HttpConnectTimeoutException) {
          return true;
        }
      }
      return false;
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null) {
        t = t.getCause();
      }
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
  }
}
