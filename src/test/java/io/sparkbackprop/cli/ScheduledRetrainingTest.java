package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioned output with LATEST, keepVersions, status files, a quality gate and safe re-runs. */
class ScheduledRetrainingTest {
  @TempDir
  Path root;

  private JobHarness.Result run(String version, String... extra) {
    List<String> a = new ArrayList<>(List.of("conf/iris.conf", "--set", "training.epochs=15",
        "--set", "output.model=null", "--set", "output.root=\"" + root + "\"",
        "--set", "output.version=" + version, "--set", "output.keepVersions=2",
        "--set", "output.overwrite=false"));
    a.addAll(List.of(extra));
    return JobHarness.run(TrainJob::run, a.toArray(new String[0]));
  }

  private String latest() throws IOException {
    return Files.readString(root.resolve("LATEST")).trim();
  }

  private JsonNode status(String version) throws IOException {
    return new ObjectMapper().readTree(root.resolve(version + ".status.json").toFile());
  }

  @Test
  void versionsArePublishedThroughLatestPrunedAndSafeToRerun() throws IOException {
    JobHarness.Result v1 = run("2026-12-01");
    assertEquals(0, v1.exitCode(), v1.err());
    assertEquals("2026-12-01", latest());
    assertTrue(Files.exists(root.resolve("2026-12-01/_SUCCESS")));
    assertTrue(Files.size(root.resolve("2026-12-01/training-curves.png")) > 1000);
    assertEquals("succeeded", status("2026-12-01").get("status").asText());

    JobHarness.Result v2 = run("2026-12-02", "--init-model", "LATEST");
    assertEquals(0, v2.exitCode(), v2.err());
    assertEquals("2026-12-02", latest());
    JsonNode model = new ObjectMapper().readTree(root.resolve("2026-12-02/model.json").toFile());
    assertEquals(root.resolve("2026-12-01").toString(), model.get("provenance").get("initModel").asText(),
        "warm-started from the previous LATEST");

    FileTime written = Files.getLastModifiedTime(root.resolve("2026-12-02/model.json"));
    JobHarness.Result again = run("2026-12-02");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("already complete"), again.out());
    assertEquals(written, Files.getLastModifiedTime(root.resolve("2026-12-02/model.json")), "untouched");

    JobHarness.Result v3 = run("2026-12-03");
    assertEquals(0, v3.exitCode(), v3.err());
    assertFalse(Files.exists(root.resolve("2026-12-01")), "keepVersions = 2 removes the oldest");
    assertTrue(Files.exists(root.resolve("2026-12-02")));
    assertEquals("2026-12-03", latest());
  }

  @Test
  void aModelFailingTheGateIsKeptForInspectionButNotPublished() throws IOException {
    assertEquals(0, run("good").exitCode());
    JobHarness.Result bad = run("bad", "--set", "output.gate.metric=validationAccuracy",
        "--set", "output.gate.threshold=1.01");
    assertEquals(ExitCodes.QUALITY_GATE, bad.exitCode(), bad.err());
    assertTrue(bad.err().startsWith("error: quality gate failed: validationAccuracy is "), bad.err());
    assertTrue(bad.err().trim().endsWith("required >= 1.01; LATEST left unchanged"), bad.err());
    assertEquals("good", latest());
    assertTrue(Files.exists(root.resolve("bad/model.json")));
    assertFalse(Files.exists(root.resolve("bad/_SUCCESS")));
    JsonNode s = status("bad");
    assertEquals("failed", s.get("status").asText());
    assertEquals(ExitCodes.QUALITY_GATE, s.get("exitCode").asInt());

    JobHarness.Result relative = run("bad", "--set", "output.gate.metric=validationLoss",
        "--set", "output.gate.maxWorseThanLatest=1000");
    assertEquals(0, relative.exitCode(), "a re-run of a version that failed its gate trains it again: " + relative.err());
    assertEquals("bad", latest());
  }

  @Test
  void aFailedRunLeavesAFailureStatusBesideItsOutput() throws IOException {
    JobHarness.Result r = run("broken", "--set", "data.features=[nope]");
    assertEquals(ExitCodes.BAD_DATA, r.exitCode());
    JsonNode s = status("broken");
    assertEquals("failed", s.get("status").asText());
    assertEquals(ExitCodes.BAD_DATA, s.get("exitCode").asInt());
    assertTrue(s.get("message").asText().contains("no column 'nope'"));
    assertFalse(Files.exists(root.resolve("broken")));
    assertFalse(Files.exists(root.resolve("LATEST")));
  }
}
