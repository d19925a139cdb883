package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;

/**
 * Streams the elements of a JSON export with the line each starts on: the elements of a top-level
 * array, of a top-level object's array field ({@code data}, {@code resourceSpans}), or the objects
 * of a JSON-lines file. Only one element is in memory at a time.
 */
final class JsonElements {
  private JsonElements() {}

  interface Visitor {
    void element(JsonNode element, long line, long index);
  }

  static void read(Reader reader, String arrayField, Visitor visitor) throws IOException {
    try (JsonParser p = CatalogBuilder.MAPPER.createParser(reader)) {
      long index = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_ARRAY) {
          index = elements(p, visitor, index);
        } else if (t == JsonToken.START_OBJECT) {
          long line = p.currentTokenLocation().getLineNr();
          ObjectNode rest = CatalogBuilder.MAPPER.createObjectNode();
          boolean found = false;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(arrayField) && value == JsonToken.START_ARRAY) {
              index = elements(p, visitor, index);
              found = true;
            } else {
              rest.set(name, p.readValueAsTree());
            }
          }
          if (!found) {
            visitor.element(rest, line, index++);
          }
        } else {
          throw new Values.BadValue("line " + p.currentTokenLocation().getLineNr() + " holds " + t + " where a JSON object or array was expected");
        }
      }
    }
  }

  private static long elements(JsonParser p, Visitor visitor, long index) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      long line = p.currentTokenLocation().getLineNr();
      JsonNode node = p.readValueAsTree();
      visitor.element(node, line, index++);
    }
    return index;
  }
}
