package dev.maestro.cli;

import dev.maestro.engine.MaestroException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The admin token a fresh installation creates, kept in {@code <data-dir>/admin-token}, readable by
 * its owner only: the command line on the same machine uses it to talk to the server.
 */
final class AdminToken {
  static final String FILE = "admin-token";

  private AdminToken() {}

  /** The saved token, or null when there is none (or it cannot be read). */
  static String read(Path dataDir) {
    try {
      String text = Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? null : text;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Saves the token, replacing any earlier one, with permissions rw------- where the file system has them. */
  static Path write(Path dataDir, String secret) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      Path temp = dataDir.resolve(FILE + ".tmp");
      Files.deleteIfExists(temp);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(temp);
      }
      Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new MaestroException("cannot save the admin token in " + file + ": " + e.getMessage()
          + "; make the data directory writable (--data-dir or MAESTRO_DATA_DIR)", e);
    }
  }
}
