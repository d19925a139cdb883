package dev.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.pack.RunLogs;
import dev.maestro.engine.run.RunStore;
import dev.maestro.store.jdbc.JdbcStores;
import java.util.function.Function;
import dev.maestro.engine.tool.builtin.HttpToolConfig;
import dev.maestro.engine.tool.builtin.SqlDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything Maestro is configured with, read once at the edge: from an optional YAML file
 * ({@code <data-dir>/config.yaml}, or {@code --config} / {@code MAESTRO_CONFIG}), then the
 * environment, then command-line options. Nothing below the CLI reads the environment.
 */
record MaestroConfig(Path dataDir, Database database, Providers providers, Tools tools, Map<String, JsonNode> packs, Path home, Path workdir) {

  /** @param url a PostgreSQL JDBC URL, or null for the embedded H2 file under the data directory */
  record Database(String url, String user, String password) {}

  record Provider(String apiKey, String baseUrl) {}

  record Providers(Provider openai, Provider anthropic, Provider ollama) {}

  record Tools(HttpToolConfig http, long readFileMaxBytes, List<SqlDataSource> datasources) {}

  /** The shape of config.yaml: every part optional. */
  record FileConfig(Database database, Map<String, Provider> providers, FileTools tools, List<FileDataSource> datasources,
      Map<String, JsonNode> packs) {}

  record FileTools(FileHttp http, Long readFileMaxBytes) {}

  record FileHttp(List<String> allowedHosts, Long timeoutSeconds, Long maxResponseBytes) {}

  record FileDataSource(String name, String url, String user, String password, Integer maxRows, Long timeoutSeconds, Boolean allowWrites) {}

  static final long DEFAULT_READ_FILE_MAX_BYTES = 256 * 1024;

  /** What a pack is told about this installation: the data directory and its own section of the file. */
  PackContext packContext(String packId, Clock clock) {
    return new PackContext(dataDir, packs.get(packId), clock, new RunLogs() {
      @Override
      public <T> T read(Function<RunStore, T> reader) {
        try (JdbcStores stores = Application.openStores(MaestroConfig.this)) {
          return reader.apply(stores.runs(Application.WORKSPACE));
        }
      }
    });
  }

  /**
   * @param dataDirOption the --data-dir option, or null
   * @param configOption the --config option, or null
   */
  static MaestroConfig load(Path dataDirOption, Path configOption, Map<String, String> env) {
    Path dataDir = dataDirOption != null ? dataDirOption
        : env.containsKey("MAESTRO_DATA_DIR") ? Path.of(env.get("MAESTRO_DATA_DIR"))
        : Path.of(System.getProperty("user.home"), ".maestro");
    dataDir = dataDir.toAbsolutePath().normalize();
    Path configFile = configOption != null ? configOption
        : env.containsKey("MAESTRO_CONFIG") ? Path.of(env.get("MAESTRO_CONFIG"))
        : dataDir.resolve("config.yaml");
    FileConfig file = readFile(configFile, configOption != null || env.containsKey("MAESTRO_CONFIG"));

    Database fdb = file.database() == null ? new Database(null, null, null) : file.database();
    var database = new Database(
        first(env.get("MAESTRO_DB_URL"), fdb.url()),
        first(env.get("MAESTRO_DB_USER"), fdb.user()),
        first(env.get("MAESTRO_DB_PASSWORD"), fdb.password()));
    if (database.url() != null && !database.url().startsWith("jdbc:postgresql:") && !database.url().startsWith("jdbc:h2:")) {
      throw new InvalidInputException("MAESTRO_DB_URL '" + database.url()
          + "' is not a PostgreSQL JDBC URL; write it as jdbc:postgresql://HOST:5432/DB (or leave it unset for the embedded H2 database)");
    }

    Map<String, Provider> fp = file.providers() == null ? Map.of() : file.providers();
    var providers = new Providers(
        provider(fp.get("openai"), first(env.get("MAESTRO_OPENAI_API_KEY"), env.get("OPENAI_API_KEY")), env.get("MAESTRO_OPENAI_BASE_URL")),
        provider(fp.get("anthropic"), first(env.get("MAESTRO_ANTHROPIC_API_KEY"), env.get("ANTHROPIC_API_KEY")), env.get("MAESTRO_ANTHROPIC_BASE_URL")),
        provider(fp.get("ollama"), null, env.get("MAESTRO_OLLAMA_BASE_URL")));

    FileTools ft = file.tools() == null ? new FileTools(null, null) : file.tools();
    FileHttp fh = ft.http() == null ? new FileHttp(null, null, null) : ft.http();
    Set<String> allowed = new LinkedHashSet<>(fh.allowedHosts() == null ? List.of() : fh.allowedHosts());
    if (env.get("MAESTRO_HTTP_ALLOWED_HOSTS") != null) {
      Arrays.stream(env.get("MAESTRO_HTTP_ALLOWED_HOSTS").split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(allowed::add);
    }
    HttpToolConfig defaults = HttpToolConfig.defaults();
    var http = new HttpToolConfig(
        allowed,
        defaults.connectTimeout(),
        fh.timeoutSeconds() == null ? defaults.requestTimeout() : Duration.ofSeconds(fh.timeoutSeconds()),
        fh.maxResponseBytes() == null ? defaults.maxResponseBytes() : fh.maxResponseBytes());
    List<SqlDataSource> datasources = file.datasources() == null ? List.of()
        : file.datasources().stream().map(d -> dataSource(d, configFile)).toList();
    var tools = new Tools(http, ft.readFileMaxBytes() == null ? DEFAULT_READ_FILE_MAX_BYTES : ft.readFileMaxBytes(), datasources);
    // Where Maestro is installed (set by the launcher): its examples are installed by 'serve'.
    Path home = env.get("MAESTRO_HOME") == null ? null : Path.of(env.get("MAESTRO_HOME")).toAbsolutePath().normalize();
    // The directory runs started over the API may read files in: MAESTRO_WORKDIR, else where the server was started.
    Path workdir = Path.of(first(env.get("MAESTRO_WORKDIR"), "")).toAbsolutePath().normalize();
    return new MaestroConfig(dataDir, database, providers, tools, file.packs() == null ? Map.of() : Map.copyOf(file.packs()), home, workdir);
  }

  private static FileConfig readFile(Path file, boolean required) {
    if (!Files.exists(file)) {
      if (required) {
        throw new InvalidInputException("config file " + file + " does not exist");
      }
      return new FileConfig(null, null, null, null, null);
    }
    try {
      FileConfig config = Json.YAML.readValue(file.toFile(), FileConfig.class);
      return config == null ? new FileConfig(null, null, null, null, null) : config;
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException("config file " + file + ": unknown setting '" + e.getPropertyName() + "' at "
          + e.getPathReference() + "; known settings there are " + e.getKnownPropertyIds());
    } catch (IOException e) {
      throw new InvalidInputException("config file " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static SqlDataSource dataSource(FileDataSource d, Path file) {
    if (d.name() == null || d.url() == null) {
      throw new InvalidInputException("config file " + file + ": every entry under 'datasources' needs a 'name' and a JDBC 'url'");
    }
    return new SqlDataSource(d.name(), d.url(), d.user(), d.password(),
        d.maxRows() == null ? SqlDataSource.DEFAULT_MAX_ROWS : d.maxRows(),
        d.timeoutSeconds() == null ? SqlDataSource.DEFAULT_QUERY_TIMEOUT : Duration.ofSeconds(d.timeoutSeconds()),
        Boolean.TRUE.equals(d.allowWrites()));
  }

  private static Provider provider(Provider fromFile, String envKey, String envBaseUrl) {
    Provider f = fromFile == null ? new Provider(null, null) : fromFile;
    return new Provider(first(envKey, f.apiKey()), first(envBaseUrl, f.baseUrl()));
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
