package dev.maestro.store.jdbc;

class PostgresSharedDatabaseTest extends SharedDatabaseContract {
  private PostgresSchema schema;

  @Override
  JdbcStores open() {
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
