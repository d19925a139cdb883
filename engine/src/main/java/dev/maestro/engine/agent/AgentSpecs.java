package dev.maestro.engine.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ModelRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Reads agent specs from YAML or JSON files, with errors that name the file, the field and the fix. */
public final class AgentSpecs {
  private AgentSpecs() {}

  /**
   * Loads a spec from a {@code .yaml}, {@code .yml} or {@code .json} file. A {@code replay:} model
   * path is taken relative to the file's directory.
   *
   * @throws InvalidInputException if the file is missing, does not parse, or describes an invalid agent
   */
  public static AgentSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("agent file " + file + " does not exist");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read agent file " + file + ": " + e.getMessage());
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".json") ? Json.MAPPER : Json.YAML;
    AgentSpec spec = parse(text, mapper, file.toString());
    ModelRef ref = spec.model() == null ? null : ModelRef.parse(spec.model());
    if (ref != null && ref.isReplay()) {
      Path base = file.toAbsolutePath().getParent();
      spec = spec.withModel(ModelRef.replay(base.resolve(ref.name()).normalize().toString()).toString());
    }
    return spec;
  }

  /** Parses a spec from JSON text (YAML is a superset, so YAML text is accepted too). */
  public static AgentSpec parse(String text, String source) {
    return parse(text, Json.YAML, source);
  }

  private static AgentSpec parse(String text, ObjectMapper mapper, String source) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(source + " is empty; an agent needs at least 'id' and 'model'");
    }
    try {
      AgentSpec spec = mapper.readValue(text, AgentSpec.class);
      if (spec == null) {
        throw new InvalidInputException(source + " is empty; an agent needs at least 'id' and 'model'");
      }
      return spec;
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException(
          source + ": unknown field '" + e.getPropertyName() + "'; known fields are " + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      MaestroException cause = findCause(e);
      if (cause != null) {
        throw new InvalidInputException(source + ": " + cause.getMessage());
      }
      throw new InvalidInputException(source + ": " + e.getOriginalMessage() + " at " + location(e));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(source + " is not valid YAML or JSON: " + e.getOriginalMessage() + " at " + location(e));
    }
  }

  private static MaestroException findCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MaestroException m) {
        return m;
      }
    }
    return null;
  }

  private static String location(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null ? "unknown position" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
