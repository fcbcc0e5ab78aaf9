package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OptimizerSpecTest {

  /** PyTorch's defaults, one row per optimizer: lr, momentum, epsilon, weightDecay. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "sgd,      0.01,  0.0, 1e-8,  0.0",
      "momentum, 0.01,  0.9, 1e-8,  0.0",
      "nesterov, 0.01,  0.9, 1e-8,  0.0",
      "adam,     0.001, 0.0, 1e-8,  0.0",
      "adamw,    0.001, 0.0, 1e-8,  0.01",
      "rmsprop,  0.01,  0.0, 1e-8,  0.0",
      "adagrad,  0.01,  0.0, 1e-10, 0.0"})
  void defaultsArePyTorchs(String name, double lr, double momentum, double epsilon, double wd) {
    OptimizerType type = OptimizerType.fromConfigName(name);
    OptimizerSpec expected = new OptimizerSpec(type, lr, momentum, 0.9, 0.999, epsilon, wd, 0.99);
    assertEquals(expected, OptimizerSpec.defaults(type));
  }

  @Test
  void withersReplaceOnlyTheirOwnField() {
    OptimizerSpec d = OptimizerSpec.defaults(OptimizerType.MOMENTUM);
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.5, 0.9, 0.9, 0.999, 1e-8, 0, 0.99),
        d.withLearningRate(0.5));
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.01, 0.5, 0.9, 0.999, 1e-8, 0, 0.99),
        d.withMomentum(0.5));
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.01, 0.9, 0.5, 0.999, 1e-8, 0, 0.99),
        d.withBeta1(0.5));
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.01, 0.9, 0.9, 0.5, 1e-8, 0, 0.99),
        d.withBeta2(0.5));
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.01, 0.9, 0.9, 0.999, 0.5, 0, 0.99),
        d.withEpsilon(0.5));
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.01, 0.9, 0.9, 0.999, 1e-8, 0.5, 0.99),
        d.withWeightDecay(0.5));
    assertEquals(new OptimizerSpec(OptimizerType.MOMENTUM, 0.01, 0.9, 0.9, 0.999, 1e-8, 0, 0.5),
        d.withAlpha(0.5));
  }

  @Test
  void nesterovNeedsPositiveMomentum() {
    OptimizerSpec d = OptimizerSpec.defaults(OptimizerType.NESTEROV);
    assertRejected("nesterov needs momentum > 0, was 0.0", () -> d.withMomentum(0));
  }

  @Test
  void sgdRejectsMomentumInsteadOfIgnoringIt() {
    OptimizerSpec d = OptimizerSpec.defaults(OptimizerType.SGD);
    assertRejected("sgd has no momentum (use 'momentum' or 'nesterov'), was 0.9",
        () -> d.withMomentum(0.9));
  }

  @Test
  void momentumTypeAcceptsMuZero() {
    assertEquals(0.0, OptimizerSpec.defaults(OptimizerType.MOMENTUM).withMomentum(0).momentum());
  }

  @Test
  void rejectsInfiniteValuesAndMissingType() {
    OptimizerSpec d = OptimizerSpec.defaults(OptimizerType.ADAM);
    assertRejected("learningRate must be finite, was Infinity",
        () -> d.withLearningRate(Double.POSITIVE_INFINITY));
    assertRejected("epsilon must be finite, was Infinity",
        () -> d.withEpsilon(Double.POSITIVE_INFINITY));
    assertRejected("type must be given", () -> OptimizerSpec.defaults(null));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(OptimizerType.class)
  void configNamesRoundTrip(OptimizerType type) {
    assertEquals(type, OptimizerType.fromConfigName(type.configName()));
  }

  @Test
  void unknownOptimizerNameListsTheAcceptedOnes() {
    assertRejected("unknown optimizer 'adamax', expected one of "
            + "[sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad]",
        () -> OptimizerType.fromConfigName("adamax"));
  }

  @Test
  void createdOptimizerKeepsItsSpec() {
    for (OptimizerType type : OptimizerType.values()) {
      OptimizerSpec spec = OptimizerSpec.defaults(type).withLearningRate(0.123);
      assertEquals(spec, Optimizer.create(spec).spec());
    }
  }

  @Test
  void createRejectsMissingSpec() {
    assertRejected("spec must be given", () -> Optimizer.create(null));
  }

  private static void assertRejected(String message, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(message, e.getMessage());
  }
}
