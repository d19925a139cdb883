package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.temporal.TemporalAccessor;
import java.util.HexFormat;
import java.util.Locale;

/** JDBC values as JSON the model can read: numbers as numbers, times as ISO-8601 text, the rest as text. */
final class JdbcValues {
  /** Large objects and binary values are cut here; a query result is for reading, not for export. */
  static final int MAX_LOB_CHARS = 64 * 1024;

  private static final int MAX_HEX_BYTES = 256;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JdbcValues() {}

  static JsonNode column(ResultSet rs, int column, ResultSetMetaData meta) throws SQLException {
    String typeName = String.valueOf(meta.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
    try {
      Object temporal = switch (meta.getColumnType(column)) {
        case Types.DATE -> rs.getObject(column, LocalDate.class);
        case Types.TIME -> rs.getObject(column, LocalTime.class);
        case Types.TIME_WITH_TIMEZONE -> rs.getObject(column, OffsetTime.class);
        case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(column, OffsetDateTime.class);
        // PostgreSQL reports timestamptz as TIMESTAMP with its own type name.
        case Types.TIMESTAMP -> typeName.contains("tz") || typeName.contains("time zone")
            ? rs.getObject(column, OffsetDateTime.class) : rs.getObject(column, LocalDateTime.class);
        default -> NOT_TEMPORAL;
      };
      if (temporal != NOT_TEMPORAL) {
        return temporal == null ? NODES.nullNode() : NODES.textNode(temporal.toString());
      }
    } catch (SQLException | RuntimeException e) {
      // Values java.time cannot hold (PostgreSQL 'infinity', say): the database's own text.
      String text = rs.getString(column);
      return text == null ? NODES.nullNode() : NODES.textNode(text);
    }
    if (typeName.equals("json") || typeName.equals("jsonb")) {
      String text = rs.getString(column);
      return text == null ? NODES.nullNode() : NODES.textNode(text);
    }
    return value(rs.getObject(column));
  }

  private static final Object NOT_TEMPORAL = new Object();

  static JsonNode value(Object v) throws SQLException {
    return switch (v) {
      case null -> NODES.nullNode();
      case Boolean b -> NODES.booleanNode(b);
      case Integer n -> NODES.numberNode(n);
      case Long n -> NODES.numberNode(n);
      case Short n -> NODES.numberNode(n);
      case Byte n -> NODES.numberNode(n);
      case BigInteger n -> NODES.numberNode(n);
      case BigDecimal n -> NODES.numberNode(n);
      case Double d when Double.isFinite(d) -> NODES.numberNode(d);
      case Float f when Float.isFinite(f) -> NODES.numberNode(f);
      case byte[] bytes -> NODES.textNode(hex(bytes));
      case Array array -> array(array);
      case Object[] items -> items(items);
      case Clob clob -> NODES.textNode(clob.getSubString(1, (int) Math.min(clob.length(), MAX_LOB_CHARS)));
      case Blob blob -> NODES.textNode(hex(blob.getBytes(1, (int) Math.min(blob.length(), MAX_HEX_BYTES + 1))));
      case java.sql.Timestamp t -> NODES.textNode(t.toLocalDateTime().toString());
      case java.sql.Date d -> NODES.textNode(d.toLocalDate().toString());
      case java.sql.Time t -> NODES.textNode(t.toLocalTime().toString());
      case TemporalAccessor t -> NODES.textNode(t.toString());
      case java.util.Date d -> NODES.textNode(d.toInstant().toString());
      default -> NODES.textNode(v.toString());
    };
  }

  private static JsonNode array(Array array) throws SQLException {
    try {
      Object items = array.getArray();
      return items instanceof Object[] objects ? items(objects) : NODES.textNode(array.toString());
    } finally {
      try {
        array.free();
      } catch (SQLException | UnsupportedOperationException ignored) {
        // freeing is an optimisation some drivers do not offer
      }
    }
  }

  private static ArrayNode items(Object[] items) throws SQLException {
    ArrayNode out = NODES.arrayNode(items.length);
    for (Object item : items) {
      out.add(value(item));
    }
    return out;
  }

  private static String hex(byte[] bytes) {
    String shown = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, MAX_HEX_BYTES));
    return "\\x" + shown + (bytes.length > MAX_HEX_BYTES ? "... (" + bytes.length + " bytes)" : "");
  }
}
