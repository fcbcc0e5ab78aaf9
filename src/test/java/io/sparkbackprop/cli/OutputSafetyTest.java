package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.overwrite}, version pruning and checkpoint clean-up delete only what the train job
 * itself wrote; version names and the LATEST pointer cannot lead outside output.root.
 */
class OutputSafetyTest {
  @TempDir
  Path dir;

  /** The XOR config, 5 epochs, with these overrides. */
  private static JobHarness.Result train(String... overrides) {
    List<String> a = new ArrayList<>(List.of("conf/xor.conf", "--set", "training.epochs=5"));
    for (String o : overrides) {
      a.add("--set");
      a.add(o);
    }
    return JobHarness.run(TrainJob::run, a.toArray(new String[0]));
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void overwriteRefusesADirectoryThatIsNotAModel() throws IOException {
    Path out = Files.createDirectories(dir.resolve("home"));
    Files.writeString(out.resolve("thesis.tex"), "precious");

    JobHarness.Result r = train("output.model=\"" + out + "\"", "output.overwrite=true");

    assertEquals(ExitCodes.CANNOT_WRITE, r.exitCode(), r.err());
    assertEquals("error: output.model " + out + " exists and is not a spark-backprop model (no model.json with"
        + " format spark-backprop-mlp); output.overwrite replaces only a model or an empty directory, so remove"
        + " it yourself or choose another path\n", r.err());
    assertEquals("precious", Files.readString(out.resolve("thesis.tex")));
    assertEquals(List.of("home"), names(dir), "nothing written beside it either");
  }

  @Test
  void overwriteRefusesAFile() throws IOException {
    Path out = dir.resolve("notes.txt");
    Files.writeString(out, "precious");

    JobHarness.Result r = train("output.model=\"" + out + "\"", "output.overwrite=true");

    assertEquals(ExitCodes.CANNOT_WRITE, r.exitCode(), r.err());
    assertEquals("error: output.model " + out + " is a file, not a model directory; refusing to replace it"
        + " (remove it or choose another path)\n", r.err());
    assertEquals("precious", Files.readString(out));
  }

  @Test
  void overwriteReplacesAnEmptyDirectoryAndAnEarlierModel() throws IOException {
    Path out = Files.createDirectories(dir.resolve("model"));

    JobHarness.Result first = train("output.model=\"" + out + "\"", "output.overwrite=true");
    assertEquals(0, first.exitCode(), first.err());
    JobHarness.Result second = train("output.model=\"" + out + "\"", "output.overwrite=true");
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(Files.exists(out.resolve("model.json")));
  }

  @Test
  void aVersionNameThatWouldLeaveTheRootIsABadConfig() throws IOException {
    for (String version : List.of("../escape", "a/b", "/etc", "..", "LATEST")) {
      JobHarness.Result r = JobHarness.runWithoutSpark(TrainJob::run, "conf/xor.conf", "--set", "output.model=null",
          "--set", "output.root=\"" + dir.resolve("root") + "\"", "--set", "output.version=\"" + version + "\"");
      assertEquals(ExitCodes.BAD_CONFIG, r.exitCode(), version + ": " + r.err());
      assertTrue(r.err().contains("output.version must be letters, digits, '.', '_' or '-' (and not LATEST), was '"
          + version + "'"), r.err());
    }
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aHandEditedLatestPointerCannotLeadOutsideTheRoot() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("LATEST"), "../../victim\n");

    JobHarness.Result init = JobHarness.run(TrainJob::run, "conf/xor.conf", "--set", "output.model=null",
        "--set", "output.root=\"" + root + "\"", "--set", "output.version=v3", "--init-model", "LATEST");
    JobHarness.Result r = train("output.model=null", "output.root=\"" + root + "\"", "output.version=v2");

    assertEquals(ExitCodes.BAD_DATA, init.exitCode(), init.err());
    assertEquals("error: " + root.resolve("LATEST") + ": '../../victim' is not a version name (letters, digits,"
        + " '.', '_' or '-')\n", init.err());
    assertEquals(0, r.exitCode(), "publishing replaces a bad pointer: " + r.err());
    assertEquals("v2", Files.readString(root.resolve("LATEST")).trim());
  }

  @Test
  void pruningDeletesOnlyPublishedVersionsAndCleanUpOnlyCheckpoints() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path foreign = Files.createDirectories(root.resolve("0-spark-output"));   // sorts first: "oldest"
    Files.writeString(foreign.resolve("_SUCCESS"), "");
    Files.writeString(foreign.resolve("part-00000.parquet"), "someone's data");
    Path checkpoints = Files.createDirectories(dir.resolve("shared"));
    Files.writeString(checkpoints.resolve("notes.txt"), "not a checkpoint");

    for (String version : List.of("v1", "v2")) {
      JobHarness.Result r = train("output.model=null", "output.root=\"" + root + "\"", "output.version=" + version,
          "output.keepVersions=1", "training.checkpoint.everyEpochs=2",
          "training.checkpoint.dir=\"" + checkpoints + "\"");
      assertEquals(0, r.exitCode(), r.err());
    }

    assertFalse(Files.exists(root.resolve("v1")), "keepVersions = 1 prunes the older published version");
    assertEquals("someone's data", Files.readString(foreign.resolve("part-00000.parquet")));
    assertEquals(List.of("notes.txt"), names(checkpoints), "only the checkpoints are cleaned up");
  }
}
