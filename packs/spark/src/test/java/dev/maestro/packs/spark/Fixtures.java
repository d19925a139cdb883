package dev.maestro.packs.spark;

import com.github.luben.zstd.ZstdOutputStream;
import com.ning.compress.lzf.LZFOutputStream;
import dev.maestro.packs.spark.internal.Logs;
import dev.maestro.packs.spark.internal.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4BlockOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The project's own small event log ({@code logs/small}, written by hand: one job of two stages,
 * six tasks plus a failed, a killed speculative attempt, a malformed line at 21, an unknown event,
 * an executor killed for exceeding its memory) and helpers to compress it as Spark does.
 */
final class Fixtures {
  private Fixtures() {}

  static byte[] small() {
    try (InputStream in = Fixtures.class.getResourceAsStream("/logs/small")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes compressed with the codec Spark names by {@code extension} ("" for none). */
  static byte[] compress(byte[] plain, String extension) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = switch (extension) {
      case "" -> bytes;
      case "zstd", "zst" -> new ZstdOutputStream(bytes);
      case "lz4" -> new LZ4BlockOutputStream(bytes, 32 * 1024); // Spark's spark.io.compression.lz4.blockSize default
      case "snappy" -> new SnappyOutputStream(bytes, 32 * 1024); // Spark's spark.io.compression.snappy.blockSize default
      case "lzf" -> new LZFOutputStream(bytes);
      case "gz" -> new GZIPOutputStream(bytes);
      default -> throw new IllegalArgumentException(extension);
    }) {
      out.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Path write(Path dir, String name, byte[] content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Logs.Result> analyze(Path... paths) {
    return Logs.analyze(Logs.find(List.of(paths)), SparkSettings.DEFAULTS, 2, n -> {});
  }

  static Report report(Path path) {
    List<Logs.Result> results = analyze(path);
    if (results.size() != 1 || results.getFirst().report() == null) {
      throw new AssertionError("expected one report for " + path + ", got " + results);
    }
    return results.getFirst().report();
  }

  static Report.Stage stage(Report r, int id, int attempt) {
    return r.stages().stream().filter(s -> s.stageId() == id && s.attemptId() == attempt).findFirst().orElseThrow();
  }

  static Report.Executor executor(Report r, String id) {
    return r.executors().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }
}
