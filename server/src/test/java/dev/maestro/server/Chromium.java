package dev.maestro.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through chromedriver, both found on the machine (Debian's
 * {@code chromium} and {@code chromium-driver}; {@code MAESTRO_CHROMIUM} and {@code
 * MAESTRO_CHROMEDRIVER} name others). Without them a test fails where a browser is required (CI
 * sets {@code MAESTRO_REQUIRE_BROWSER=1}; so does {@code CI=true}) and is skipped, with a notice
 * saying how to install them, elsewhere.
 */
final class Chromium {
  static final String REQUIRE = "MAESTRO_REQUIRE_BROWSER";

  private Chromium() {}

  static ChromeDriver start() {
    Optional<Path> browser = find("MAESTRO_CHROMIUM", List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
    Optional<Path> driver = find("MAESTRO_CHROMEDRIVER", List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"));
    if (browser.isEmpty() || driver.isEmpty()) {
      String missing = "no " + (browser.isEmpty() ? "Chromium" : "chromedriver") + " on this machine: install them with"
          + " 'apt-get install -y chromium chromium-driver' (or set MAESTRO_CHROMIUM and MAESTRO_CHROMEDRIVER)";
      if (required()) {
        throw new IllegalStateException("the console's browser tests must run here (" + REQUIRE + " or CI is set), but there is " + missing);
      }
      System.err.println("NOTICE: console browser tests skipped: " + missing);
      assumeTrue(false, "console browser tests skipped: " + missing);
    }
    var options = new ChromeOptions();
    options.setBinary(browser.get().toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
        "--window-size=1360,1000", "--force-prefers-reduced-motion");
    var service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile()).usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(60)).build();
    return new ChromeDriver(service, options);
  }

  private static boolean required() {
    return "1".equals(System.getenv(REQUIRE)) || "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static Optional<Path> find(String variable, List<String> places) {
    String named = System.getenv(variable);
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named)).filter(Files::isExecutable);
    }
    return places.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }
}
