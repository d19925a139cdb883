package dev.maestro.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model that answers from a recorded transcript: deterministic tests, demos and regression runs
 * of agents without a provider. The transcript is JSON lines, one model turn per line:
 *
 * <pre>{"text": "...", "tool_calls": [{"name": "read_file", "arguments": {"path": "a.txt"}}], "input_tokens": 120, "output_tokens": 30}</pre>
 *
 * {@code text} may hold the text protocol instead of {@code tool_calls}; token fields, {@code
 * cached_tokens} and {@code delay_ms} (simulated latency) are optional. The turn served is chosen by
 * how many assistant messages the conversation already holds, so a resumed run continues where
 * the log left off.
 */
public final class ReplayChatModel implements ChatModel {

  /** One recorded model turn. */
  public record Turn(
      String text,
      List<Call> toolCalls,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      long delayMs) {
    public Turn {
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
      if ((text == null || text.isBlank()) && toolCalls.isEmpty()) {
        throw new InvalidInputException("a replay turn needs 'text' or 'tool_calls'");
      }
    }

    public static Turn text(String text) {
      return new Turn(text, List.of(), 0, 0, 0, 0);
    }

    public static Turn call(String tool, JsonNode arguments) {
      return new Turn(null, List.of(new Call(null, tool, arguments)), 0, 0, 0, 0);
    }
  }

  /** A recorded tool call; {@code arguments} is a JSON object (or a string holding one). */
  public record Call(String id, String name, JsonNode arguments) {}

  /** Token usage that also knows the cached part of the input. */
  static final class ReplayTokenUsage extends TokenUsage {
    final long cached;

    ReplayTokenUsage(long in, long out, long cached) {
      super((int) in, (int) out);
      this.cached = cached;
    }
  }

  private final String source;
  private final List<Turn> turns;

  private ReplayChatModel(String source, List<Turn> turns) {
    if (turns.isEmpty()) {
      throw new InvalidInputException("replay transcript " + source + " has no turns; write one JSON object per line");
    }
    this.source = source;
    this.turns = List.copyOf(turns);
  }

  public static ReplayChatModel of(List<Turn> turns) {
    return new ReplayChatModel("(in memory)", turns);
  }

  /**
   * Reads a transcript file.
   *
   * @throws InvalidInputException naming the file and line that is wrong
   */
  public static ReplayChatModel load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("replay transcript " + file + " does not exist; give the path of a .jsonl file, relative to the agent file");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read replay transcript " + file + ": " + e.getMessage());
    }
    var turns = new ArrayList<Turn>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        turns.add(normalise(Json.MAPPER.readValue(line, Turn.class)));
      } catch (JsonProcessingException e) {
        throw new InvalidInputException("replay transcript " + file + " line " + (i + 1) + " is not a turn: " + e.getOriginalMessage());
      } catch (InvalidInputException e) {
        throw new InvalidInputException("replay transcript " + file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new ReplayChatModel(file.toString(), turns);
  }

  private static Turn normalise(Turn t) {
    var calls = new ArrayList<Call>();
    for (Call c : t.toolCalls()) {
      if (c.name() == null || c.name().isBlank()) {
        throw new InvalidInputException("a tool call has no 'name'");
      }
      JsonNode args = c.arguments();
      if (args == null || args.isNull()) {
        args = Json.MAPPER.createObjectNode();
      } else if (args.isTextual()) {
        args = Json.tree(args.asText());
      }
      if (!args.isObject()) {
        throw new InvalidInputException("tool call '" + c.name() + "' arguments must be a JSON object");
      }
      calls.add(new Call(c.id(), c.name(), args));
    }
    return new Turn(t.text(), calls, t.inputTokens(), t.outputTokens(), t.cachedTokens(), t.delayMs());
  }

  public int size() {
    return turns.size();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    int index = (int) request.messages().stream().filter(m -> m instanceof AiMessage).count();
    if (index >= turns.size()) {
      throw new MaestroException(
          "replay transcript " + source + " has " + turns.size() + " turns; the run asked for turn " + (index + 1)
              + ". Record more turns, or raise no further steps from the agent");
    }
    Turn turn = turns.get(index);
    if (turn.delayMs() > 0) {
      try {
        Thread.sleep(turn.delayMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MaestroException("replay model interrupted", e);
      }
    }
    var requests = new ArrayList<ToolExecutionRequest>();
    for (int i = 0; i < turn.toolCalls().size(); i++) {
      Call c = turn.toolCalls().get(i);
      requests.add(ToolExecutionRequest.builder()
          .id(c.id() != null ? c.id() : "call_" + (index + 1) + "_" + (i + 1))
          .name(c.name())
          .arguments(Json.write(c.arguments()))
          .build());
    }
    AiMessage message = requests.isEmpty() ? AiMessage.from(turn.text()) : AiMessage.from(turn.text(), requests);
    return ChatResponse.builder()
        .aiMessage(message)
        .modelName("replay")
        .tokenUsage(new ReplayTokenUsage(turn.inputTokens(), turn.outputTokens(), turn.cachedTokens()))
        .finishReason(requests.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_EXECUTION)
        .build();
  }

  /** Token usage of a response from this model, cached tokens included. */
  public static Usage usage(ChatResponse response) {
    if (response.tokenUsage() instanceof ReplayTokenUsage u) {
      return new Usage(u.inputTokenCount(), u.outputTokenCount(), u.cached);
    }
    return ResolvedModel.plainUsage(response);
  }

  /** This model, ready for the engine: native tool calls, cached tokens read from the transcript. */
  public ResolvedModel resolved(ModelRef ref) {
    return new ResolvedModel(ref, this, true, ReplayChatModel::usage);
  }

}
