package dev.maestro.engine.tool.builtin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Killing a child process with everything it started. The child makes itself the leader of a new
 * process group; on Linux the group is found through {@code /proc}, which also reaches processes
 * that outlived their parent (and so are no longer its descendants). Elsewhere only the live
 * descendants are reached.
 */
final class ProcessTree {
  private static final Path PROC = Path.of("/proc");
  private static final int ROUNDS = 10;

  private ProcessTree() {}

  /** Kills the process, its descendants and the members of its process group, until none is left. */
  static void kill(Process process) {
    long group = process.pid();
    for (int round = 0; round < ROUNDS; round++) {
      Map<Long, ProcessHandle> victims = new LinkedHashMap<>();
      if (process.isAlive()) {
        victims.put(process.pid(), process.toHandle());
      }
      process.descendants().forEach(h -> victims.put(h.pid(), h));
      groupMembers(group).forEach(h -> victims.put(h.pid(), h));
      victims.values().removeIf(h -> !alive(h));
      if (victims.isEmpty()) {
        return;
      }
      victims.values().forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle h : victims.values()) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (alive(h) && System.nanoTime() < deadline) {
          try {
            h.onExit().get(20, TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            // not yet, or the wait was interrupted: check again until the deadline
          }
        }
      }
    }
  }

  /** Whether the process runs; a zombie (dead, not yet reaped) does not. */
  static boolean alive(ProcessHandle h) {
    return h.isAlive() && stat(h.pid()).map(s -> s.state() != 'Z' && s.state() != 'X').orElse(true);
  }

  /** The live processes whose process group is {@code group}; empty where there is no {@code /proc}. */
  static List<ProcessHandle> groupMembers(long group) {
    var members = new ArrayList<ProcessHandle>();
    if (!Files.isDirectory(PROC)) {
      return members;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          long pid = Long.parseLong(name);
          stat(pid).filter(s -> s.group() == group && s.state() != 'Z').flatMap(s -> ProcessHandle.of(pid)).ifPresent(members::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: fall back to descendants only
    }
    return members;
  }

  private record Stat(char state, long group) {}

  /** State and process group from {@code /proc/PID/stat}: "pid (comm) state ppid pgrp ...", where comm may hold spaces. */
  private static Optional<Stat> stat(long pid) {
    try {
      String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[2])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
