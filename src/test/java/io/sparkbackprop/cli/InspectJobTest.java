package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
}
