package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.maestro.engine.agent.AgentMemory;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.learning.FeedbackOutcome;
import dev.maestro.engine.learning.InMemoryFeedbackStore;
import dev.maestro.engine.learning.Insights;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.memory.InMemoryMemoryStore;
import dev.maestro.engine.memory.MemorySettings;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ResolvedModel;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.ToolRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The whole learning loop with real memory (embedding model, Lucene index) and the replay model:
 * a run, feedback with a lesson, and the next run whose model call carries the lesson.
 */
class LearningLoopTest {
  final InMemoryRunStore runs = new InMemoryRunStore();
  final InMemoryMemoryStore memoryRows = new InMemoryMemoryStore();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T08:00:00Z"));
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  static final AgentSpec AGENT = new AgentSpec("reporter", null, null, null, "replay:x", "You summarise finance reports.", List.of(), null);
  static final String LESSON = "Always convert report totals to euros before answering.";

  /** The replay model, with every request it is sent kept for the test to read. */
  ResolvedModel model(ReplayChatModel replay) {
    ChatModel recording = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        return replay.doChat(request);
      }
    };
    return new ResolvedModel(null, recording, true, ReplayChatModel::usage);
  }

  @Test
  void a_lesson_from_feedback_reaches_the_next_runs_context() throws InterruptedException {
    ReplayChatModel replay = ReplayChatModel.of(List.of(ReplayChatModel.Turn.text("Final Answer: the totals are 1,200 USD")));
    try (var memories = new IndexedMemories(memoryRows, new HashingEmbedder(), RankingWeights.DEFAULT, clock, null);
        var engine = RunEngine.builder().store(runs).tools(new ToolRegistry()).models(ref -> model(replay)).clock(clock)
            .memory(memories, MemorySettings.DEFAULT).build()) {
      var learning = new Learning(new InMemoryFeedbackStore(), memories, runs, clock);

      Run first = engine.start(AGENT, "Summarise the totals of the Q3 finance report", RunOptions.DEFAULT).await();
      assertThat(first.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(types(first.id())).doesNotContain("memory_recalled"); // nothing remembered yet
      // The episodic memory of a run's outcome is written by a thread of its own, just after the run ends.
      for (int i = 0; i < 500 && memories.list("reporter", MemoryType.EPISODIC, 10, 0).isEmpty(); i++) {
        Thread.sleep(10);
      }
      assertThat(memories.list("reporter", MemoryType.EPISODIC, 10, 0)).singleElement()
          .satisfies(m -> assertThat(m.content()).contains("Q3 finance report").contains("1,200 USD"));

      clock.advance(Duration.ofHours(2));
      learning.record(new Learning.Input(first.id(), null, FeedbackOutcome.CORRECTION, 0.3, "the totals are 1,100 EUR", "wrong currency",
          List.of(LESSON)));

      requests.clear();
      Run second = engine.start(AGENT, "Summarise the totals of the Q4 finance report", RunOptions.DEFAULT).await();

      assertThat(second.status()).isEqualTo(RunStatus.COMPLETED);
      List<RecordedEvent> log = runs.events(second.id(), 0);
      assertThat(types(second.id())).containsSubsequence("memory_recalled", "model_called");
      var recalled = (RunEvent.MemoryRecalled) log.stream().filter(e -> e.event() instanceof RunEvent.MemoryRecalled).findFirst().orElseThrow().event();
      assertThat(recalled.text()).contains("[procedural] " + LESSON).contains("[episodic] Run on \"Summarise the totals of the Q3 finance report\"");
      assertThat(recalled.memoryIds()).hasSize(2);
      String system = ((SystemMessage) requests.getFirst().messages().getFirst()).text();
      assertThat(system).startsWith("You summarise finance reports.").contains(LESSON);

      Insights insights = learning.insights("reporter");
      assertThat(insights.feedback()).isEqualTo(1);
      assertThat(insights.successRate()).isEqualTo(0.0);
      assertThat(insights.averageScore()).isEqualTo(0.3);
      assertThat(insights.failureReasons()).extracting(Insights.Reason::reason).containsExactly("wrong currency");
      assertThat(insights.lessons()).extracting(Insights.Lesson::text).containsExactly(LESSON);
    }
  }

  @Test
  void memories_are_recalled_once_per_run_and_episodic_memories_can_be_off() {
    ReplayChatModel replay = ReplayChatModel.of(List.of(ReplayChatModel.Turn.text("Final Answer: done")));
    try (var memories = new IndexedMemories(memoryRows, new HashingEmbedder(), RankingWeights.DEFAULT, clock, null);
        var engine = RunEngine.builder().store(runs).tools(new ToolRegistry()).models(ref -> model(replay)).clock(clock)
            .memory(memories, new MemorySettings(5, 500, false)).build()) {
      memories.remember(new dev.maestro.engine.memory.NewMemory("reporter", MemoryType.SEMANTIC, "Finance reports are due on the 5th.", 0.5, null, null));
      Run run = engine.start(AGENT, "When are finance reports due?", RunOptions.DEFAULT).await();
      assertThat(memories.list("reporter", MemoryType.EPISODIC, 10, 0)).isEmpty(); // episodic memories were turned off

      String firstSystem = ((SystemMessage) requests.getFirst().messages().getFirst()).text();
      assertThat(firstSystem).contains("Finance reports are due on the 5th.");
      assertThat(types(run.id()).stream().filter("memory_recalled"::equals)).hasSize(1);
    }
  }

  @Test
  void an_agent_turns_recall_and_episodic_memory_off_or_on_for_its_own_runs() {
    ReplayChatModel replay = ReplayChatModel.of(List.of(ReplayChatModel.Turn.text("Final Answer: done")));
    // The platform remembers no runs; the auditor asks for its own to be remembered, the reporter recalls nothing.
    AgentSpec quiet = new AgentSpec("reporter", null, null, null, "replay:x", "You summarise finance reports.", List.of(), null, null,
        new AgentMemory(0, null, null));
    AgentSpec keeper = new AgentSpec("auditor", null, null, null, "replay:x", "You audit.", List.of(), null, null,
        new AgentMemory(null, null, true));
    String fact = "Finance reports are due on the 5th.";
    Run quietRun;
    Run keeperRun;
    try (var memories = new IndexedMemories(memoryRows, new HashingEmbedder(), RankingWeights.DEFAULT, clock, null)) {
      try (var engine = RunEngine.builder().store(runs).tools(new ToolRegistry()).models(ref -> model(replay)).clock(clock)
          .memory(memories, new MemorySettings(5, 500, false)).build()) {
        for (String agent : List.of("reporter", "auditor")) {
          memories.remember(new dev.maestro.engine.memory.NewMemory(agent, MemoryType.SEMANTIC, fact, 0.5, null, null));
        }
        quietRun = engine.start(quiet, "When are finance reports due?", RunOptions.DEFAULT).await();
        keeperRun = engine.start(keeper, "When are finance reports due?", RunOptions.DEFAULT).await();
      } // closing the engine writes the episodic memories still queued

      assertThat(types(quietRun.id())).doesNotContain("memory_recalled");
      assertThat(((SystemMessage) requests.get(0).messages().getFirst()).text()).doesNotContain(fact);
      assertThat(types(keeperRun.id())).contains("memory_recalled");
      assertThat(((SystemMessage) requests.get(1).messages().getFirst()).text()).contains(fact);

      assertThat(memories.list("reporter", MemoryType.EPISODIC, 10, 0)).isEmpty();
      assertThat(memories.list("auditor", MemoryType.EPISODIC, 10, 0)).singleElement()
          .satisfies(m -> assertThat(m.runId()).isEqualTo(keeperRun.id()));
    }
  }

  private List<String> types(String runId) {
    return runs.events(runId, 0).stream().map(e -> e.event().type()).toList();
  }
}
