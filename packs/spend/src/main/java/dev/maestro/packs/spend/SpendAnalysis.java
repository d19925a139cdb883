package dev.maestro.packs.spend;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.run.RunStore;
import dev.maestro.packs.spend.internal.Analyzer;
import dev.maestro.packs.spend.internal.MaestroRuns;
import dev.maestro.packs.spend.internal.Pipeline;
import dev.maestro.packs.spend.internal.Problems;
import dev.maestro.packs.spend.internal.UsageReaders;
import dev.maestro.packs.spend.internal.UsageStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * One analysis: usage imported from files (and Maestro's own runs) into an embedded DuckDB
 * database, priced from the catalog, then reported on. Close it to free the database.
 */
public final class SpendAnalysis implements AutoCloseable {

  private final UsageStore store;
  private final Problems problems = new Problems();

  public SpendAnalysis(PriceCatalog catalog) {
    this.store = new UsageStore(catalog);
  }

  /**
   * Imports a usage export, plain or gzip-compressed.
   *
   * @param format null to detect it
   * @param bytesRead told how many bytes of the file have been read so far, for a progress bar
   * @return the format read
   * @throws InvalidInputException if the file is missing or is not a usage export
   */
  public UsageFormat importFile(Path file, UsageFormat format, LongConsumer bytesRead) {
    try (InputStream in = new Counting(Files.newInputStream(file), bytesRead == null ? n -> {} : bytesRead)) {
      return Pipeline.run(sink -> UsageReaders.read(file.toString(), in, format, sink, problems), store.sink());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("usage file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Imports the model calls of Maestro's own runs, newest runs first; returns how many runs were read. */
  public int importRuns(RunStore runs, int maxRuns) {
    return MaestroRuns.read(runs, maxRuns, store.sink(), problems);
  }

  /** Rows imported so far (bad rows excluded). */
  public long rows() {
    return store.rows();
  }

  /** Rows that could not be used so far. */
  public long badRows() {
    return problems.badRows();
  }

  public SpendReport report(AnalysisOptions options) {
    return new Analyzer(store, problems, options).report();
  }

  @Override
  public void close() {
    store.close();
  }

  private static final class Counting extends FilterInputStream {
    private final LongConsumer progress;
    private long count;
    private long reported;

    Counting(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        advance(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        advance(n);
      }
      return n;
    }

    private void advance(long n) {
      count += n;
      if (count - reported >= 1 << 20) {
        reported = count;
        progress.accept(count);
      }
    }

    @Override
    public void close() throws IOException {
      progress.accept(count);
      super.close();
    }
  }
}
