package dev.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.Email;
import dev.maestro.engine.memory.MemorySettings;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.pack.RunLogs;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.builtin.HttpToolConfig;
import dev.maestro.engine.tool.builtin.PythonToolConfig;
import dev.maestro.engine.tool.builtin.SqlDataSource;
import dev.maestro.store.jdbc.JdbcStores;
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
import java.util.function.Function;

/**
 * Everything Maestro is configured with, read once at the edge: from an optional YAML file
 * ({@code <data-dir>/config.yaml}, or {@code --config} / {@code MAESTRO_CONFIG}), then the
 * environment, then command-line options. Nothing below the CLI reads the environment.
 */
record MaestroConfig(Path dataDir, Database database, Providers providers, Tools tools, Mail mail, Map<String, JsonNode> packs, Path home,
    Path workdir, SafetySettings safety, Knowledge knowledge, Memory memory) {

  /**
   * @param embeddings the embedding model of memories and collections: {@code hash} (built in, offline) or {@code openai:MODEL}
   *     (any OpenAI-compatible /v1/embeddings endpoint, through the openai provider's key and base URL)
   * @param maxFileBytes documents larger than this are cut to it when ingested
   */
  record Knowledge(String embeddings, long maxFileBytes) {}

  /** How runs use memory, and how recall ranks. */
  record Memory(MemorySettings settings, RankingWeights weights) {}

  record FileKnowledge(String embeddings, Long maxFileBytes) {}

  record FileMemory(Integer recallLimit, Integer tokenBudget, Boolean episodic, FileWeights weights) {}

  record FileWeights(Double relevance, Double importance, Double recency, Double decayPerHour) {}

  /** @param url a PostgreSQL JDBC URL, or null for the embedded H2 file under the data directory */
  record Database(String url, String user, String password) {}

  record Provider(String apiKey, String baseUrl) {}

  record Providers(Provider openai, Provider anthropic, Provider ollama) {}

  record Tools(HttpToolConfig http, long readFileMaxBytes, List<SqlDataSource> datasources, PythonToolConfig python) {}

  /**
   * How send_email's mails leave.
   *
   * @param smtp the mail server, or null when none is configured: mails are then only recorded, as held
   * @param from the sender address, or null for send_email's default
   */
  record Mail(Smtp smtp, String from) {}

  /**
   * An SMTP server to send mails through.
   *
   * @param username null for a server that needs no login
   * @param starttls whether to require STARTTLS before anything (login included) is sent
   */
  record Smtp(String host, int port, String username, String password, String from, boolean starttls) {
    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", user " + username + ", from " + from + ", starttls " + starttls + "]"; // never the password
    }
  }

  /** The shape of config.yaml: every part optional. */
  record FileConfig(Database database, Map<String, Provider> providers, FileTools tools, List<FileDataSource> datasources,
      FileMail mail, Map<String, JsonNode> packs, FileSafety safety, FileKnowledge knowledge, FileMemory memory) {}

  /** What the safety engine's built-in rules treat as inside the organisation. */
  record FileSafety(List<String> allowedHosts, List<String> internalEmailDomains) {}

  record FileTools(FileHttp http, Long readFileMaxBytes, FilePython python) {}

  record FilePython(String interpreter, Long timeoutSeconds, Long maxTimeoutSeconds, Long memoryMb, Long cpuSeconds, Long maxFileMb,
      Integer maxProcesses, Integer maxOutputBytes) {}

  record FileMail(FileSmtp smtp) {}

  record FileSmtp(String host, Integer port, String username, String password, String from, Boolean starttls) {}

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

    FileTools ft = file.tools() == null ? new FileTools(null, null, null) : file.tools();
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
    var tools = new Tools(http, ft.readFileMaxBytes() == null ? DEFAULT_READ_FILE_MAX_BYTES : ft.readFileMaxBytes(), datasources,
        python(ft.python(), env.get("MAESTRO_PYTHON"), configFile));
    Mail mail = mail(file.mail(), env.get("MAESTRO_SMTP_PASSWORD"), configFile);
    // Where Maestro is installed (set by the launcher): its examples are installed by 'serve'.
    Path home = env.get("MAESTRO_HOME") == null ? null : Path.of(env.get("MAESTRO_HOME")).toAbsolutePath().normalize();
    // The directory runs started over the API may read files in: MAESTRO_WORKDIR, else where the server was started.
    Path workdir = Path.of(first(env.get("MAESTRO_WORKDIR"), "")).toAbsolutePath().normalize();
    FileSafety fs = file.safety() == null ? new FileSafety(null, null) : file.safety();
    var safety = new SafetySettings(fs.allowedHosts() == null ? Set.of() : Set.copyOf(fs.allowedHosts()),
        fs.internalEmailDomains() == null ? Set.of() : Set.copyOf(fs.internalEmailDomains()));
    FileKnowledge fk = file.knowledge() == null ? new FileKnowledge(null, null) : file.knowledge();
    var knowledge = new Knowledge(first(env.get("MAESTRO_EMBEDDINGS"), first(fk.embeddings(), "bge")),
        fk.maxFileBytes() == null ? LuceneKnowledgeBase.DEFAULT_MAX_FILE_BYTES : fk.maxFileBytes());
    if (!knowledge.embeddings().equals("bge") && !knowledge.embeddings().equals("hash") && !knowledge.embeddings().startsWith("openai:")) {
      throw new InvalidInputException("knowledge.embeddings '" + knowledge.embeddings()
          + "' is not known; use 'bge' (the default: BGE small en v1.5, in process), 'hash' (built in, lexical only) or 'openai:MODEL'"
          + " (an OpenAI-compatible /v1/embeddings endpoint)");
    }
    if (knowledge.maxFileBytes() < 1) {
      throw new InvalidInputException("knowledge.max_file_bytes is " + knowledge.maxFileBytes() + "; give a positive number of bytes");
    }
    FileMemory fm = file.memory() == null ? new FileMemory(null, null, null, null) : file.memory();
    MemorySettings d = MemorySettings.DEFAULT;
    FileWeights fw = fm.weights() == null ? new FileWeights(null, null, null, null) : fm.weights();
    RankingWeights w = RankingWeights.DEFAULT;
    var memory = new Memory(
        new MemorySettings(fm.recallLimit() == null ? d.recallLimit() : fm.recallLimit(), fm.tokenBudget() == null ? d.tokenBudget() : fm.tokenBudget(),
            fm.episodic() == null ? d.episodic() : fm.episodic()),
        new RankingWeights(fw.relevance() == null ? w.relevance() : fw.relevance(), fw.importance() == null ? w.importance() : fw.importance(),
            fw.recency() == null ? w.recency() : fw.recency(), fw.decayPerHour() == null ? w.decayPerHour() : fw.decayPerHour()));
    return new MaestroConfig(dataDir, database, providers, tools, mail, file.packs() == null ? Map.of() : Map.copyOf(file.packs()), home, workdir,
        safety, knowledge, memory);
  }

  private static FileConfig readFile(Path file, boolean required) {
    if (!Files.exists(file)) {
      if (required) {
        throw new InvalidInputException("config file " + file + " does not exist");
      }
      return new FileConfig(null, null, null, null, null, null, null, null, null);
    }
    try {
      FileConfig config = Json.YAML.readValue(file.toFile(), FileConfig.class);
      return config == null ? new FileConfig(null, null, null, null, null, null, null, null, null) : config;
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

  private static PythonToolConfig python(FilePython p, String envInterpreter, Path file) {
    FilePython f = p == null ? new FilePython(null, null, null, null, null, null, null, null) : p;
    String interpreter = first(envInterpreter, f.interpreter());
    try {
      return new PythonToolConfig(
          interpreter == null ? null : Path.of(interpreter),
          f.timeoutSeconds() == null ? null : Duration.ofSeconds(f.timeoutSeconds()),
          f.maxTimeoutSeconds() == null ? null : Duration.ofSeconds(f.maxTimeoutSeconds()),
          f.memoryMb() == null ? 0 : f.memoryMb() * 1024 * 1024,
          f.cpuSeconds() == null ? 0 : f.cpuSeconds(),
          f.maxFileMb() == null ? 0 : f.maxFileMb() * 1024 * 1024,
          f.maxProcesses() == null ? 0 : f.maxProcesses(),
          f.maxOutputBytes() == null ? 0 : f.maxOutputBytes());
    } catch (InvalidInputException e) {
      throw new InvalidInputException("config file " + file + ", tools.python: " + e.getMessage());
    }
  }

  private static Mail mail(FileMail m, String envPassword, Path file) {
    FileSmtp s = m == null || m.smtp() == null ? new FileSmtp(null, null, null, null, null, null) : m.smtp();
    String from = s.from() == null || s.from().isBlank() ? null : s.from().strip();
    if (from != null) {
      try {
        from = Email.address("mail.smtp.from", from);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("config file " + file + ": " + e.getMessage());
      }
    }
    if (s.host() == null || s.host().isBlank()) {
      return new Mail(null, from);
    }
    if (from == null) {
      throw new InvalidInputException("config file " + file + ": mail.smtp.from is required when mail.smtp.host is set;"
          + " give the address mails are sent from, e.g. maestro@example.com");
    }
    boolean starttls = s.starttls() == null || s.starttls();
    int port = s.port() == null ? (starttls ? 587 : 25) : s.port();
    if (port < 1 || port > 65535) {
      throw new InvalidInputException("config file " + file + ": mail.smtp.port " + port + " is not a port; give 1 to 65535 (usually 587 or 25)");
    }
    String username = s.username() == null || s.username().isBlank() ? null : s.username();
    String password = first(envPassword, s.password());
    if (username != null && password == null) {
      throw new InvalidInputException("config file " + file + ": mail.smtp.username is set but no password; set MAESTRO_SMTP_PASSWORD"
          + " (or mail.smtp.password in the file)");
    }
    return new Mail(new Smtp(s.host().strip(), port, username, password, from, starttls), from);
  }

  private static Provider provider(Provider fromFile, String envKey, String envBaseUrl) {
    Provider f = fromFile == null ? new Provider(null, null) : fromFile;
    return new Provider(first(envKey, f.apiKey()), first(envBaseUrl, f.baseUrl()));
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
