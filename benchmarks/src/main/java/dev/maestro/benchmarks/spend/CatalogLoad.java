package dev.maestro.benchmarks.spend;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maestro.packs.spend.PriceCatalog;
import dev.maestro.packs.spend.internal.CatalogBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long the pricing catalog takes to load: {@code benchmarks/run.sh spend.CatalogLoad [--sources DIR]}. Compares the
 * compact resource the pack ships (built from the sources ahead of time) with parsing and converting
 * the two source catalogs at start-up, the alternative (DIR defaults to ../shared/data/pricing).
 */
public final class CatalogLoad {
  private CatalogLoad() {}

  public static void main(String[] args) throws Exception {
    Path sources = args.length == 2 && args[0].equals("--sources") ? Path.of(args[1]) : Path.of("../shared/data/pricing");
    System.out.println("command: benchmarks/run.sh spend.CatalogLoad" + (args.length == 2 ? " --sources " + args[1] : ""));
    long t0 = System.nanoTime();
    PriceCatalog first = PriceCatalog.builtIn();
    double cold = (System.nanoTime() - t0) / 1e6;
    double[] warm = new double[15];
    for (int i = 0; i < warm.length; i++) {
      t0 = System.nanoTime();
      PriceCatalog.builtIn();
      warm[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(warm);
    System.out.printf(Locale.ROOT, "built-in compact catalog (%d models): first load %.0f ms (JVM cold), then median %.1f ms%n", first.models().size(), cold,
        warm[warm.length / 2]);
    Path genai = sources.resolve("genai-prices-data.json");
    Path litellm = sources.resolve("litellm-model-prices.json");
    if (!Files.exists(genai) || !Files.exists(litellm)) {
      System.out.println("sources not found under " + sources + "; no baseline (give --sources DIR)");
      return;
    }
    ObjectMapper mapper = new ObjectMapper();
    double[] parse = new double[15];
    double[] convert = new double[15];
    for (int i = 0; i < parse.length; i++) {
      t0 = System.nanoTime();
      mapper.readTree(genai.toFile());
      mapper.readTree(litellm.toFile());
      parse[i] = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      CatalogBuilder.build(genai, litellm);
      convert[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(parse);
    Arrays.sort(convert);
    System.out.printf(Locale.ROOT, "baseline: parsing the two source files (%.1f MB) median %.1f ms; converting them as the builder does median %.1f ms%n",
        (Files.size(genai) + Files.size(litellm)) / 1e6, parse[parse.length / 2], convert[convert.length / 2]);
    System.out.printf(Locale.ROOT, "compact load / source conversion at start-up: %.2f%n", warm[warm.length / 2] / convert[convert.length / 2]);
  }
}
