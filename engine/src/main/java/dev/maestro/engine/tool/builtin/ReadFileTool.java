package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.tool.WorkdirFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code read_file}: returns a text file from the run's working directory. The file must stay
 * inside that directory after resolving {@code ..} and symbolic links; binary files are refused and
 * large files are cut at a byte limit with a notice the model can see.
 *
 * <p>Known limitation: the confinement check and the read are two steps, so a process that swaps a
 * directory for a symbolic link between them could still redirect the read.
 */
public final class ReadFileTool implements Tool {
  public static final long DEFAULT_MAX_BYTES = 256 * 1024;

  static final String NAME = "read_file";

  private final int maxBytes;
  private final ToolSpec spec;

  /** A tool that returns at most {@link #DEFAULT_MAX_BYTES} of a file. */
  public ReadFileTool() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * @param maxBytes how many bytes of a file to return at most; larger files are truncated
   * @throws InvalidInputException if maxBytes is not between 1 and 1 GiB
   */
  public ReadFileTool(long maxBytes) {
    if (maxBytes < 1 || maxBytes > (1L << 30)) {
      throw new InvalidInputException("read_file max size " + maxBytes + " bytes is not valid; give a size between 1 byte and 1 GiB");
    }
    this.maxBytes = (int) maxBytes;
    this.spec = new ToolSpec(NAME,
        "Reads a UTF-8 text file from the working directory and returns its content. Files larger than "
            + this.maxBytes + " bytes are truncated with a notice. Binary files and directories are refused.",
        Json.tree("""
            {"type":"object",
             "properties":{"path":{"type":"string",
               "description":"path of the file, relative to the working directory (for example 'src/Main.java'); it may not leave that directory"}},
             "required":["path"]}"""),
        RiskLevel.LOW, true, Duration.ofSeconds(10));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    String given = ToolArguments.required(arguments, NAME, "path");
    Path file = confine(given, context.workdir());
    byte[] bytes;
    boolean truncated;
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes);
      truncated = bytes.length == maxBytes && in.read() >= 0;
      size = truncated ? Math.max(Files.size(file), maxBytes + 1L) : bytes.length;
    } catch (NoSuchFileException e) {
      throw new ToolException("there is no file '" + given + "' in the working directory");
    } catch (IOException e) {
      throw new ToolException("could not read '" + given + "': " + e.getMessage());
    }
    if (Text.looksBinary(bytes, bytes.length)) {
      throw new ToolException("'" + given + "' looks binary (it contains NUL bytes), so read_file does not return it; it reads text files only");
    }
    if (!truncated) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    int shown = Text.utf8Boundary(bytes, bytes.length);
    return Text.utf8Prefix(bytes, shown) + "\n[truncated: file is " + size + " bytes; showing the first " + shown + "]";
  }

  /** The real path of the file named by {@code given}, or a refusal saying why it may not be read. */
  static Path confine(String given, Path workdir) {
    return WorkdirFiles.confine(given, workdir, NAME);
  }
}
