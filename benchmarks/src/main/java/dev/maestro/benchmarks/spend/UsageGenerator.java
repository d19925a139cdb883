package dev.maestro.benchmarks.spend;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Writes a usage CSV in the spend pack's generic format with a fixed seed: a month of traffic over
 * a dozen models at several providers (one the catalog does not know), 2,000 users, 20 projects
 * and 30 tags (some of them offline work), 10% repeated prompts, 2% failures, and conversations.
 */
final class UsageGenerator {
  private static final String[][] MODELS = {
      {"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"openai", "gpt-4.1"}, {"anthropic", "claude-sonnet-4-5"}, {"anthropic", "claude-haiku-4-5"},
      {"google", "gemini-2.5-flash"}, {"google", "gemini-2.5-pro"}, {"together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"},
      {"fireworks", "accounts/fireworks/models/llama-v3p3-70b-instruct"}, {"mistral", "mistral-large-latest"}, {"deepseek", "deepseek-chat"},
      {"vllm", "in-house-7b"}};
  private static final double[] WEIGHTS = {0.25, 0.25, 0.05, 0.15, 0.08, 0.07, 0.03, 0.03, 0.03, 0.02, 0.02, 0.02};
  private static final String[] TAGS = new String[30];

  static {
    for (int i = 0; i < TAGS.length; i++) {
      TAGS[i] = i < 3 ? "nightly-eval-" + i : "feature-" + i;
    }
  }

  private UsageGenerator() {}

  static long write(Path file, long rows) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    long spacing = 30L * 86_400 * 1_000_000 / rows; // micro-seconds between requests: a month in all
    StringBuilder line = new StringBuilder(256);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("timestamp,provider,model,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,latency_ms,status,user,project,tag,prompt_hash,prompt,session\n");
      for (long i = 0; i < rows; i++) {
        double pick = random.nextDouble();
        int m = 0;
        for (double acc = WEIGHTS[0]; pick > acc && m < MODELS.length - 1; acc += WEIGHTS[++m]) {
          // cumulative weights
        }
        long micros = start * 1_000_000 + i * spacing;
        long input = 200 + (long) (Math.exp(random.nextDouble() * 9) * (random.nextInt(20) == 0 ? 4 : 1));
        long output = 20 + random.nextInt(random.nextInt(4) == 0 ? 2_000 : 300);
        long cacheRead = random.nextInt(4) == 0 ? input / 2 : 0;
        boolean error = random.nextInt(50) == 0;
        long hash = random.nextInt(10) == 0 ? random.nextInt(50_000) : random.nextLong();
        line.setLength(0);
        line.append(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000)).append(',').append(MODELS[m][0]).append(',')
            .append(MODELS[m][1]).append(',').append(input).append(',').append(output).append(',').append(cacheRead).append(",0,")
            .append(300 + random.nextInt(5_000)).append(',').append(error ? "error" : "ok").append(",user").append(random.nextInt(2_000)).append(",project")
            .append(random.nextInt(20)).append(',').append(TAGS[random.nextInt(TAGS.length)]).append(",h").append(Long.toHexString(hash)).append(",,");
        if (random.nextInt(5) == 0) {
          line.append('c').append(i / 8);
        }
        out.append(line).append('\n');
      }
    }
    return Files.size(file);
  }
}
