package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectJobTest {
  @Test
  void describesTheGoldenModel() {
    JobHarness.Result r = JobHarness.runWithoutSpark(InspectJob::run, "--model", "src/test/resources/golden-models/xor-v1");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("architecture 2 -> 2 sigmoid -> 1 sigmoid"), r.out());
    assertTrue(r.out().contains("parameters   9 (F64)"), r.out());
  }

  @Test
  void aMissingModelIsExit66() {
    JobHarness.Result r = JobHarness.runWithoutSpark(InspectJob::run, "--model", "no/such/model");
    assertEquals(ExitCodes.INPUT_MISSING, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void aCorruptModelIsExit65WithOneLineNamingTheFile(@TempDir Path tmp) throws Exception {
    Path golden = Path.of("src/test/resources/golden-models/xor-v1");
    Path model = Files.createDirectory(tmp.resolve("xor"));
    Files.copy(golden.resolve("model.json"), model.resolve("model.json"));
    byte[] weights = Files.readAllBytes(golden.resolve("weights.safetensors"));
    weights[weights.length - 1] ^= (byte) 0x80;   // the sign bit of the last bias
    Files.write(model.resolve("weights.safetensors"), weights);

    JobHarness.Result r = JobHarness.runWithoutSpark(InspectJob::run, "--model", model.toString());

    assertEquals(ExitCodes.BAD_DATA, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("error: " + model.resolve("weights.safetensors")
        + ": integrity check failed: sha256 is "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
