package dev.maestro.engine.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Files a tool may read: regular files inside the run's working directory, by real path. */
public final class WorkdirFiles {
  private WorkdirFiles() {}

  /**
   * The real path of the regular file {@code given} names inside the working directory: no
   * {@code ..} leading out, no symbolic link leading out, no directory or device.
   *
   * @param tool how the refusal names the tool ({@code read_file}, {@code the spend tools})
   * @throws ToolException saying what was refused and what to give instead
   */
  public static Path confine(String given, Path workdir, String tool) {
    if (workdir == null) {
      throw new ToolException("this run has no working directory, so " + tool + " cannot read files");
    }
    Path root;
    try {
      root = workdir.toRealPath();
    } catch (IOException e) {
      throw new ToolException("the working directory " + workdir + " does not exist, so there is nothing to read");
    }
    Path requested;
    try {
      requested = Path.of(given);
    } catch (InvalidPathException e) {
      throw new ToolException("'" + given + "' is not a valid path: " + e.getReason());
    }
    Path absoluteRoot = workdir.toAbsolutePath().normalize();
    Path lexical = absoluteRoot.resolve(requested).normalize();
    if (!lexical.startsWith(absoluteRoot) && !lexical.startsWith(root)) {
      throw new ToolException("path '" + given + "' leaves the working directory " + absoluteRoot + "; give a path inside it, relative to it");
    }
    Path real;
    try {
      // Resolved by the file system, so 'link/..' means what it means to the OS, not what normalize() thinks.
      real = absoluteRoot.resolve(requested).toRealPath();
    } catch (NoSuchFileException e) {
      throw new ToolException("there is no file '" + given + "' in the working directory " + absoluteRoot + "; check the name (paths are relative to the working directory)");
    } catch (IOException e) {
      throw new ToolException("could not resolve '" + given + "': " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      throw new ToolException("path '" + given + "' leads through a symbolic link to a place outside the working directory " + absoluteRoot + "; " + tool + " only reads files inside it");
    }
    if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException("'" + given + "' is a directory; give the path of a file inside it");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException("'" + given + "' is not a regular file (a device, socket or pipe); " + tool + " only reads regular files");
    }
    return real;
  }
}
