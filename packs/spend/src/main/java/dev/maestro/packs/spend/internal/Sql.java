package dev.maestro.packs.spend.internal;

import dev.maestro.engine.MaestroException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small helpers over the usage database. */
final class Sql {
  private Sql() {}

  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static <T> List<T> list(Connection c, String sql, Row<T> row) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.map(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new MaestroException("usage query failed: " + e.getMessage() + "\n" + sql, e);
    }
  }

  static void execute(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new MaestroException("usage query failed: " + e.getMessage() + "\n" + sql, e);
    }
  }

  static <T> T one(Connection c, String sql, Row<T> row) {
    return list(c, sql, row).getFirst();
  }

  /** Pico-dollars (a HUGEINT sum, read as text) to dollars, exact. */
  static BigDecimal usd(ResultSet rs, int column) throws SQLException {
    String v = rs.getString(column);
    return v == null ? BigDecimal.ZERO : new BigDecimal(v).movePointLeft(Rates.SCALE).stripTrailingZeros();
  }

  static BigDecimal usd(java.math.BigInteger picos) {
    return new BigDecimal(picos, Rates.SCALE).stripTrailingZeros();
  }

  static BigDecimal usd(long picos) {
    return BigDecimal.valueOf(picos, Rates.SCALE).stripTrailingZeros();
  }

  /** Dollars for a report: to the micro-dollar, so sums of small requests stay visible. */
  static BigDecimal money(BigDecimal usd) {
    BigDecimal r = usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return r.scale() < 0 ? r.setScale(0) : r;
  }

  /** Estimated savings: to the cent. */
  static BigDecimal cents(BigDecimal usd) {
    return usd.setScale(2, RoundingMode.HALF_UP);
  }

  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
