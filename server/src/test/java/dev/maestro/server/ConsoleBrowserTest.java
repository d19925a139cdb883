package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.run.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium, end to end: sign in with the one-time link, add a
 * policy that holds file reads for approval, create an agent whose model replays a transcript
 * file, start a run, watch its steps arrive live, approve its held call in the trace, see it
 * complete and the dashboard count it; then every other page. A screenshot of each page is saved
 * under {@code target/screenshots/} for review.
 */
class ConsoleBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir Path workdir;
  TestServer t;
  ChromeDriver browser;
  WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    browser = Chromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    Files.writeString(workdir.resolve("note.txt"), "The deploy failed because the migration locked the orders table.");
    // Each turn waits a little, as a real model would: long enough to see the steps arrive.
    Files.writeString(workdir.resolve("analyst.jsonl"), """
        {"text": "Thought: the note should say what happened.", "tool_calls": [{"name": "read_file", "arguments": {"path": "note.txt"}}], "input_tokens": 420, "output_tokens": 38, "delay_ms": 2000}
        {"text": "Final Answer: the migration locked the orders table; run it with CREATE INDEX CONCURRENTLY.", "input_tokens": 510, "output_tokens": 24, "delay_ms": 2000}
        """);
    t = new TestServer(ConsoleBrowserTest::replayFromFile, workdir);
    Files.createDirectories(SCREENSHOTS);
  }

  /** {@code replay:PATH} read from its file, as {@code maestro serve} does. */
  private static dev.maestro.engine.model.ResolvedModel replayFromFile(ModelRef ref) {
    if (!ref.isReplay()) {
      throw new InvalidInputException("this test serves replay: models only, not " + ref);
    }
    return ReplayChatModel.load(Path.of(ref.name())).resolved(ref);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (t != null) {
      t.close();
    }
  }

  @Test
  void signs_in_creates_an_agent_runs_it_live_approves_its_call_and_counts_it() throws Exception {
    browser.get(t.server.oneTimeLoginUrl(t.token).toString());
    wait.until(ExpectedConditions.titleContains("Dashboard"));
    assertThat(text("header")).contains("Signed in as admin");
    assertThat(text("main")).contains("Nothing has run yet");
    shot("01-dashboard-empty");

    // A policy that holds every read_file call for one person.
    click(By.linkText("Governance"));
    wait.until(ExpectedConditions.titleContains("Governance"));
    shot("02-governance");
    click(By.linkText("New policy"));
    WebElement policy = browser.findElement(By.id("policy-text"));
    policy.clear();
    policy.sendKeys("id: hold-reads\ndescription: reading files needs a person\nmatch: {tools: [read_file]}\n"
        + "set: {risk: high, action: require_approval}\n");
    click(By.xpath("//button[text()='Check']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("policy-check"), "The policy is valid."));
    shot("03-policy-checked");
    click(By.xpath("//button[text()='Add policy']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Policy hold-reads"));
    assertThat(text("main")).contains("version 1");

    // An agent whose model replays the transcript file.
    click(By.linkText("Agents"));
    click(By.linkText("New agent"));
    WebElement yaml = browser.findElement(By.id("agent-yaml"));
    yaml.clear();
    yaml.sendKeys("id: incident-analyst\nname: Incident analyst\ndescription: reads the notes and says why the deploy failed\n"
        + "model: replay:" + workdir.resolve("analyst.jsonl") + "\ninstructions: Find out why the deploy failed.\ntools: [read_file]\n");
    shot("04-agent-form");
    click(By.xpath("//form[@id='agent-yaml-form']//button[text()='Create agent']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Incident analyst"));
    assertThat(text("main")).contains("Start a run", "read_file");

    // Start a run: the page follows it live.
    browser.findElement(By.id("run-input")).sendKeys("Why did the deploy fail?");
    click(By.xpath("//form[@id='start-run']//button"));
    wait.until(ExpectedConditions.urlContains("/maestro/runs/run_"));
    String runId = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
    int atLoad = browser.findElements(By.cssSelector("#trace > li")).size();
    assertThat(browser.findElements(By.cssSelector(".live-dot"))).isNotEmpty();

    // The first step arrives without a reload; the call is held and its approval box shows in the trace.
    WebElement approve = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#trace button[data-action='approve']")));
    assertThat(browser.findElements(By.cssSelector("#trace > li")).size()).isGreaterThan(atLoad);
    assertThat(text("#trace")).contains("Step 1 · model answered", "420 in / 38 out", "Calls read_file", "require_approval");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-status"), "waiting_approval"));
    shot("05-run-waiting-for-approval");
    int beforeApproval = browser.findElements(By.cssSelector("#trace > li")).size();
    browser.findElement(By.cssSelector("#trace .approval input[name='comment']")).sendKeys("reading a note is fine");
    approve.click();

    // The rest arrives live too: the approval, the result, the answer; the summary follows.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-status"), "completed"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trace li[data-type='run_completed']")));
    assertThat(browser.findElements(By.cssSelector("#trace > li")).size()).isGreaterThan(beforeApproval + 3);
    assertThat(text("#trace")).contains("Approved by admin", "Result of read_file", "locked the orders table", "Answer",
        "CREATE INDEX CONCURRENTLY");
    assertThat(text(".approval")).contains("approved", "reading a note is fine");
    assertThat(text("#run-summary")).contains("completed", "992"); // 420 + 38 + 510 + 24 tokens
    assertThat(browser.findElements(By.cssSelector("#timeline svg rect"))).hasSizeGreaterThanOrEqualTo(3);
    assertThat(browser.getCurrentUrl()).as("no reload was needed").endsWith("/maestro/runs/" + runId);
    assertThat(t.runs.find(runId).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    shot("06-run-completed");

    // The dashboard counts it.
    click(By.linkText("Dashboard"));
    wait.until(ExpectedConditions.titleContains("Dashboard"));
    assertThat(browser.findElement(By.id("runs-24h")).getText()).isEqualTo("1");
    assertThat(browser.findElement(By.id("completed-24h")).getText()).isEqualTo("1");
    assertThat(text("#feed")).contains(runId, "completed");
    shot("07-dashboard");

    // Every other page renders without an error.
    visit("/maestro/agents", "Agents", "08-agents");
    visit("/maestro/agents/incident-analyst", "Incident analyst", "09-agent");
    visit("/maestro/agents/incident-analyst/edit", "Edit Incident analyst", "10-agent-edit");
    visit("/maestro/runs", "Runs", "11-runs");
    visit("/maestro/hitl", "Approvals", "12-approvals-queue");
    visit("/maestro/hitl?tab=history", "Approvals", "13-approvals-history");
    assertThat(text("#history")).contains("approved", "read_file");
    visit("/maestro/hitl?tab=audit", "Approvals", "14-audit-trail");
    assertThat(text("#audit")).contains("maestro.agents.post", "maestro.hitl.approve.post");
    visit("/maestro/observability", "Observability", "15-observability");
    assertThat(text("main")).contains("Last 24 hours: 1 runs", "read_file");
    visit("/maestro/governance", "Governance", "16-governance");
    visit("/maestro/governance/policies/hold-reads", "Policy hold-reads", "17-policy");
    visit("/maestro/integrations", "Integrations", "18-integrations");
    visit("/maestro/no-such-page", "Not Found", "19-not-found");
    assertThat(text("main")).contains("there is no console page");

    // Knowledge: create a collection, ingest the note, search it and see the citation.
    visit("/maestro/knowledge", "Knowledge", "21-knowledge-empty");
    assertThat(text("main")).contains("No collections yet");
    browser.findElement(By.id("collection-name")).sendKeys("notes");
    browser.findElement(By.id("collection-description")).sendKeys("incident notes");
    click(By.xpath("//button[text()='Create collection']"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("collection-notes")));
    browser.findElement(By.id("sources-notes")).sendKeys("note.txt");
    click(By.xpath("//form[@id='ingest-notes']//button[text()='Ingest']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ingested-notes"), "1 added"));
    browser.findElement(By.id("search-query")).sendKeys("why did the migration lock");
    click(By.xpath("//button[text()='Search']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("search-results"), "note.txt"));
    assertThat(text("#search-results")).contains("orders table", "hybrid search");
    shot("22-knowledge-search");

    // Feedback on the run from the agent page: the insights and the lesson show, and the lesson is a memory to recall.
    visit("/maestro/agents/incident-analyst", "Incident analyst", "23-agent-before-feedback");
    assertThat(text("#memory")).contains("No memories yet");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("feedback-run"))).selectByValue(runId);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("feedback-outcome"))).selectByValue("correction");
    browser.findElement(By.id("feedback-score")).sendKeys("0.6");
    browser.findElement(By.id("feedback-reason")).sendKeys("no rollback plan");
    browser.findElement(By.id("feedback-lessons")).sendKeys("Always propose a rollback with the fix.");
    click(By.xpath("//button[text()='Record feedback']"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("success-rate")));
    assertThat(text("#learning")).contains("0%", "no rollback plan", "Always propose a rollback with the fix.");
    assertThat(text("#memories")).contains("Always propose a rollback", "procedural");
    browser.findElement(By.id("memory-query")).sendKeys("rollback");
    click(By.xpath("//button[text()='Recall']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("memory-found"), "1 memories recalled"));
    shot("24-agent-memory-and-insights");
  }

  @Test
  void a_viewer_sees_pages_without_buttons_that_change_anything() throws Exception {
    String viewer = t.token(Workspaces.DEFAULT, dev.maestro.engine.auth.Role.VIEWER);
    assertThat(t.post("/api/apa/agents", "{\"id\":\"reader\",\"model\":\"replay:" + workdir.resolve("analyst.jsonl") + "\"}").status())
        .isEqualTo(201);
    browser.get(t.uri("/maestro/login").toString());
    browser.findElement(By.id("token")).sendKeys(viewer);
    click(By.xpath("//button[text()='Sign in']"));
    wait.until(ExpectedConditions.titleContains("Dashboard"));
    assertThat(text("header")).contains("viewer");
    browser.get(t.uri("/maestro/agents/reader").toString());
    assertThat(text("main")).doesNotContain("Start a run", "Pause", "Delete", "Edit");
    shot("20-agent-as-viewer");
    click(By.xpath("//button[text()='Sign out']"));
    wait.until(ExpectedConditions.urlContains("/maestro/login"));
    browser.get(t.uri("/maestro").toString());
    assertThat(browser.getCurrentUrl()).as("signed out").contains("/maestro/login");
  }

  @Test
  void the_spark_page_analyses_an_event_log_and_shows_the_report() throws Exception {
    Path logs = ConsolePagesTest.sparkLogs();
    org.junit.jupiter.api.Assumptions.assumeTrue(logs != null, "shared/data/spark-eventlogs is absent: set MAESTRO_SPARK_EVENTLOGS");
    Files.copy(logs.resolve("aqeshuffle_eventlog.zstd"), workdir.resolve("aqeshuffle_eventlog.zstd"));
    new dev.maestro.packs.spark.SparkPack().tools(new dev.maestro.engine.pack.PackContext(workdir.resolve(".spark"), null, null))
        .forEach(t.tools::register);
    browser.get(t.uri("/maestro/login").toString());
    browser.findElement(By.id("token")).sendKeys(t.token);
    click(By.xpath("//button[text()='Sign in']"));
    wait.until(ExpectedConditions.titleContains("Dashboard"));
    click(By.linkText("Spark"));
    wait.until(ExpectedConditions.titleContains("Spark"));
    browser.findElement(By.id("spark-path")).sendKeys("aqeshuffle_eventlog.zstd");
    click(By.xpath("//button[text()='Analyse']"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("spark-cost")));
    assertThat(text("#spark-stages")).containsIgnoringCase("shuffleReadBytes").contains("COMPLETE");
    assertThat(text("#spark-application")).contains("Duration");
    shot("25-spark-report");
  }

  private void visit(String path, String title, String screenshot) throws Exception {
    browser.get(t.uri(path).toString());
    wait.until(ExpectedConditions.titleContains(title));
    assertThat(text("body")).doesNotContain("Exception");
    if (!title.equals("Not Found")) {
      assertThat(browser.findElements(By.cssSelector("main .problem"))).as(path).isEmpty();
    }
    shot(screenshot);
  }

  private void click(By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  /** Saves the whole page, beyond the window, through the DevTools protocol's screenshot. */
  @SuppressWarnings("unchecked")
  private void shot(String name) throws Exception {
    Map<String, Object> metrics = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    double width = ((Number) size.get("width")).doubleValue();
    double height = Math.min(((Number) size.get("height")).doubleValue(), 8000);
    Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
  }
}
