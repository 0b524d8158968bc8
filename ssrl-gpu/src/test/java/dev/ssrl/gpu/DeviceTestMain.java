package dev.ssrl.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs this module's tests without Maven (for device-check.sh on a machine that has a GPU and a
 * Java runtime but no Maven repository): every test of the packages dev.ssrl.gpu and dev.ssrl.tasks
 * on the class path, one line per test (skips with their reason), then the summary. Exit status 1
 * when a test failed or none ran.
 */
public final class DeviceTestMain {
  private DeviceTestMain() {}

  public static void main(String[] args) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectPackage("dev.ssrl.gpu"), selectPackage("dev.ssrl.tasks"))
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    TestExecutionListener lines =
        new TestExecutionListener() {
          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            System.out.println("SKIPPED " + id.getDisplayName() + " — " + reason);
          }

          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              return;
            }
            String where = id.getLegacyReportingName();
            String what =
                result.getStatus()
                    + " "
                    + id.getUniqueId().replaceAll(".*\\[class:([^\\]]*)\\].*", "$1")
                    + " "
                    + where;
            System.out.println(result.getThrowable().map(t -> what + " — " + t).orElse(what));
          }
        };
    launcher.execute(request, summary, lines);
    TestExecutionSummary s = summary.getSummary();
    s.printTo(new PrintWriter(System.out, true));
    s.printFailuresTo(new PrintWriter(System.out, true), 30);
    System.exit(s.getTotalFailureCount() > 0 || s.getTestsSucceededCount() == 0 ? 1 : 0);
  }
}
