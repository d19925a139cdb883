package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.maestro.engine.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** Converts a tool's JSON Schema into LangChain4j's schema types, which providers turn into their own. */
final class Schemas {
  private Schemas() {}

  static ToolSpecification toolSpecification(ToolSpec spec) {
    return ToolSpecification.builder()
        .name(spec.name())
        .description(spec.description())
        .parameters((JsonObjectSchema) element(spec.parameters()))
        .build();
  }

  static JsonSchemaElement element(JsonNode schema) {
    String description = schema.path("description").isTextual() ? schema.get("description").asText() : null;
    if (schema.has("enum")) {
      var values = new ArrayList<String>();
      schema.get("enum").forEach(v -> values.add(v.asText()));
      return JsonEnumSchema.builder().enumValues(values).description(description).build();
    }
    if (schema.has("anyOf")) {
      var options = new ArrayList<JsonSchemaElement>();
      schema.get("anyOf").forEach(o -> options.add(element(o)));
      return JsonAnyOfSchema.builder().anyOf(options).description(description).build();
    }
    String type = schema.path("type").asText("string");
    return switch (type) {
      case "object" -> {
        var b = JsonObjectSchema.builder().description(description);
        schema.path("properties").properties().forEach(p -> b.addProperty(p.getKey(), element(p.getValue())));
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        if (!required.isEmpty()) {
          b.required(required);
        }
        if (schema.has("additionalProperties") && schema.get("additionalProperties").isBoolean()) {
          b.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        yield b.build();
      }
      case "array" -> JsonArraySchema.builder()
          .description(description)
          .items(schema.has("items") ? element(schema.get("items")) : JsonStringSchema.builder().build())
          .build();
      case "integer" -> JsonIntegerSchema.builder().description(description).build();
      case "number" -> JsonNumberSchema.builder().description(description).build();
      case "boolean" -> JsonBooleanSchema.builder().description(description).build();
      default -> JsonStringSchema.builder().description(description).build();
    };
  }
}
