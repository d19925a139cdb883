package dev.maestro.store.jdbc;

class PostgresTokenStoreTest extends JdbcTokenStoreContract {
  private PostgresSchema schema;

  @Override
  JdbcStores openStores() {
    schema = PostgresSchema.create();
    return schema.open();
  }

  @Override
  void dropDatabase() {
    if (schema != null) {
      schema.close();
    }
  }
}
