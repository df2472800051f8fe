package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromium-driver): log in through
 * the one-time URL, read the overview's counts, open a task, read an ERROR resource's stack trace,
 * retry its error group, see the pipeline graph, trigger a job from the generated form and watch
 * its status change live. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "screenshots");

  // Selenium warns through java.util.logging that it has no CDP module for this Chromium; the
  // test does not use CDP. Held here because java.util.logging keeps loggers only weakly.
  private static final java.util.logging.Logger SELENIUM_LOG =
      java.util.logging.Logger.getLogger("org.openqa.selenium");

  private static DashboardFixture fixture;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
        .as(
            "the browser test needs Debian's chromium and chromium-driver (%s, %s);"
                + " install them with: apt-get install -y chromium chromium-driver",
            CHROMIUM, DRIVER)
        .isTrue();
    SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    fixture = new DashboardFixture();
    Path profile = Files.createTempDirectory("cairn-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    // Live updates re-render parts of the page while the test reads them.
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      shot("last");
      browser.quit();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aPersonLogsInReadsFailuresRetriesThemAndWatchesATriggeredJob() throws IOException {
    // Without the session the page asks for the printed URL instead of showing data.
    browser.get(fixture.server.baseUrl() + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    assertThat(text("#login")).contains("one-time login URL");

    browser.get(fixture.server.loginUrl());
    WebElement images = waitFor("#collections tr[data-collection='images']");
    wait.until(d -> images.findElement(By.cssSelector(".n-completed")).getText().equals("12"));
    assertThat(images.findElement(By.cssSelector(".n-error")).getText()).isEqualTo("3");
    assertThat(images.findElement(By.cssSelector(".total")).getText()).isEqualTo("15");
    wait.until(d -> !text(".tile.error .n").isEmpty());
    assertThat(text(".tile.error .n")).isEqualTo("3");
    wait.until(d -> isLive());
    shot("1-overview");

    // A task of the pipeline: its jobs are a collection with a resource table.
    browser.findElement(By.cssSelector("a[href='#/c/report.render']")).click();
    waitFor("#resources table");
    assertThat(text("#resources")).contains("completed");
    assertThat(text("h1")).contains("report.render");
    shot("2-task");

    // The collection with errors: filter ERROR, open one, read its stack trace.
    browser.get(fixture.server.baseUrl() + "/#/c/images");
    wait.until(d -> text("h1").startsWith("images"));
    waitFor("button.chip[data-status='error']").click();
    wait.until(d -> text("#resources").contains("bad-1"));
    assertThat(text("#resources")).doesNotContain("ok-1");
    wait.until(d -> !browser.findElements(By.cssSelector("#groups .group")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("#groups .group"))).hasSize(2);
    shot("3-errors");
    browser.findElement(By.linkText("bad-1")).click();
    WebElement trace = waitFor("#trace");
    assertThat(trace.getText())
        .contains("java.lang.IllegalStateException: cannot decode bad-1")
        .contains("at ");
    assertThat(text("#status")).isEqualTo("error");
    shot("4-resource");

    // Retry the group of that failure: both of its resources are queued again.
    browser.navigate().back();
    WebElement group =
        wait.until(
            d ->
                d.findElements(By.cssSelector("#groups .group")).stream()
                    .filter(g -> g.getText().contains("IllegalStateException"))
                    .findFirst()
                    .orElse(null));
    assertThat(group.getText()).contains("2");
    group.findElement(By.cssSelector("button.retry")).click();
    wait.until(d -> text("#toast").contains("requeued 2"));
    shot("5-retried");

    // The pipeline: the graph drawn left to right with per-task nodes, and the trigger form.
    browser.get(fixture.server.baseUrl() + "/#/p/report");
    wait.until(
        d ->
            Long.valueOf(2)
                .equals(js("return window.Cairn.graph ? window.Cairn.graph.nodes().length : 0")));
    assertThat(js("return window.Cairn.graph.edges().length")).isEqualTo(1L);
    assertThat(
            ((Number) js("return window.Cairn.graph.getElementById('fetch').position('x')"))
                    .doubleValue()
                < ((Number) js("return window.Cairn.graph.getElementById('render').position('x')"))
                    .doubleValue())
        .as("fetch is drawn left of render")
        .isTrue();
    assertThat((String) js("return window.Cairn.graph.getElementById('render').data('label')"))
        .contains("1 completed");
    shot("6-graph");

    WebElement form = waitFor("form.trigger[data-task='render']");
    form.findElement(By.name("name")).sendKeys("ada");
    WebElement pages = form.findElement(By.name("pages"));
    assertThat(pages.getAttribute("value")).isEqualTo("2");
    pages.clear();
    pages.sendKeys("5");
    form.findElement(By.cssSelector("button[type=submit]")).click();

    // The job page follows the job: not completed while the job is held, then completed with
    // its output link, without reloading the page.
    WebElement status = waitFor("#job-status");
    wait.until(d -> !status.getText().isEmpty());
    assertThat(status.getText()).isIn("scheduling", "queued", "running");
    wait.until(d -> status.getText().equals("running"));
    wait.until(d -> text("#job-log").contains("rendering the report of ada"));
    assertThat(text("dl.kv")).contains("\"pages\":5").contains("\"name\":\"ada\"");
    shot("7-job-running");
    DashboardFixture.release();
    wait.until(d -> status.getText().equals("completed"));
    WebElement output = waitFor("#outputs a.output");
    assertThat(browser.findElements(By.cssSelector("#outputs a.output")))
        .extracting(WebElement::getText)
        .contains("report.txt", "params.json");
    assertThat(output.getAttribute("href")).contains("/outputs/");
    assertThat(text("dl.kv")).contains("\"pages\":5");
    shot("8-job-done");
  }

  private static boolean isLive() {
    return text("#live").equals("live");
  }

  private static WebElement waitFor(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static String text(String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static void shot(String name) throws IOException {
    Files.write(
        SHOTS.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
