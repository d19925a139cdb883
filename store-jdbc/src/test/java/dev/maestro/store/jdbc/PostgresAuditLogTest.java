package dev.maestro.store.jdbc;

class PostgresAuditLogTest extends JdbcAuditLogContract {
  private PostgresSchema schema;

  @Override
  JdbcStores openStores() {
    if (schema == null) {
      schema = PostgresSchema.create();
    }
    return schema.open();
  }

  @Override
  void dropDatabase() {
    if (schema != null) {
      schema.close();
    }
  }
}
