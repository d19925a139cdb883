package dev.maestro.packs.spend;

import java.math.BigDecimal;

/**
 * A model the user runs on their own GPUs, from the price overrides file: what it costs and, when
 * known, what sizes its KV cache (for the {@code kv_cache} finding).
 *
 * @param gpuHour US dollars per GPU-hour, or null
 * @param contextWindow the context length the deployment is configured for; 0 when not given
 * @param kvBytes bytes per KV-cache value (2 for fp16/bf16, 1 for fp8); null for 2
 */
public record SelfHostedDeployment(String provider, String model, BigDecimal gpuHour, int gpus, long contextWindow, Integer gpuMemoryGib,
    Integer layers, Integer kvHeads, Integer headDim, Integer kvBytes) {

  public boolean hasArchitecture() {
    return layers != null && kvHeads != null && headDim != null;
  }
}
