package dev.maestro.packs.spark.internal;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.ning.compress.lzf.LZFInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4BlockInputStream;
import org.xerial.snappy.SnappyInputStream;

/**
 * The compression codecs of Spark event logs, named by the file extension Spark gives them
 * ({@code spark.eventLog.compression.codec}). Spark writes lz4 with lz4-java's block stream and
 * snappy with snappy-java's stream format (not the frame formats), so those are what we read.
 */
public enum Codec {
  NONE(""),
  ZSTD("zstd", "zst"),
  LZ4("lz4"),
  SNAPPY("snappy"),
  LZF("lzf"),
  GZIP("gz");

  private final String[] extensions;

  Codec(String... extensions) {
    this.extensions = extensions;
  }

  /** The codec an extension (without its dot) names. */
  public static Optional<Codec> forExtension(String extension) {
    String ext = extension.toLowerCase(Locale.ROOT);
    for (Codec codec : values()) {
      if (codec != NONE && Arrays.asList(codec.extensions).contains(ext)) {
        return Optional.of(codec);
      }
    }
    return Optional.empty();
  }

  /** For error messages: ".zstd, .zst, .lz4, .snappy, .lzf, .gz or none". */
  public static String supported() {
    return Arrays.stream(values()).filter(c -> c != NONE).flatMap(c -> Arrays.stream(c.extensions)).map(e -> "." + e)
        .collect(Collectors.joining(", ")) + " or no extension (plain JSON lines)";
  }

  /** The codec whose magic bytes start a file, for files without an extension. */
  static Optional<Codec> sniff(byte[] head, int length) {
    if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return Optional.of(ZSTD);
    }
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Optional.of(GZIP);
    }
    if (length >= 8 && new String(head, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).equals("LZ4Block")) {
      return Optional.of(LZ4);
    }
    if (length >= 8 && (head[0] & 0xff) == 0x82 && new String(head, 1, 6, java.nio.charset.StandardCharsets.ISO_8859_1).equals("SNAPPY")) {
      return Optional.of(SNAPPY);
    }
    if (length >= 3 && head[0] == 'Z' && head[1] == 'V' && (head[2] == 0 || head[2] == 1)) {
      return Optional.of(LZF);
    }
    return Optional.empty();
  }

  /** Wraps a raw stream in this codec's decompressor. */
  public InputStream open(InputStream raw) throws IOException {
    return switch (this) {
      case NONE -> raw;
      case ZSTD -> new ZstdInputStreamNoFinalizer(raw);
      case LZ4 -> new LZ4BlockInputStream(raw);
      case SNAPPY -> new SnappyInputStream(raw);
      case LZF -> new LZFInputStream(raw);
      case GZIP -> new GZIPInputStream(raw, 8 * 1024);
    };
  }

  public String extension() {
    return extensions.length == 0 ? "" : extensions[0];
  }
}
