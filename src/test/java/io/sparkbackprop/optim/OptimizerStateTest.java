package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptimizerStateTest {

  /** Buffer names are part of the checkpoint format; they mirror torch's state keys. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "sgd,      ''",
      "momentum, momentumBuffer",
      "nesterov, momentumBuffer",
      "adam,     expAvg expAvgSq",
      "adamw,    expAvg expAvgSq",
      "rmsprop,  squareAvg",
      "adagrad,  sum"})
  void initCreatesTheNamedZeroBuffersOfEachType(String type, String names) {
    Optimizer opt = Optimizer.create(OptimizerSpec.defaults(OptimizerType.fromConfigName(type)));
    OptimizerState state = opt.init(3);
    List<String> expected = names.isEmpty() ? List.of() : List.of(names.split(" "));
    assertEquals(expected, state.bufferNames());
    assertEquals(0, state.step());
    for (String name : expected) {
      assertArrayEquals(new double[3], state.buffer(name));
    }
  }

  private static OptimizerState adamStateAfterTwoSteps() {
    Optimizer adam = Optimizer.create(OptimizerSpec.defaults(OptimizerType.ADAM));
    OptimizerState state = adam.init(2);
    double[] p = {1.0, -2.0};
    adam.step(p, new double[] {0.5, -1.5}, state, 0.01);
    adam.step(p, new double[] {-0.25, 3.0}, state, 0.01);
    return state;
  }

  private static byte[] bytesOf(OptimizerState state) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      state.writeTo(out);
    }
    return bytes.toByteArray();
  }

  private static OptimizerState read(byte[] bytes) throws IOException {
    return OptimizerState.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
  }

  @Test
  void stepCountsTheStepsTaken() {
    assertEquals(2, adamStateAfterTwoSteps().step());
  }

  @Test
  void readFromRestoresWhatWriteToWrote() throws IOException {
    OptimizerState state = adamStateAfterTwoSteps();
    OptimizerState restored = read(bytesOf(state));
    assertEquals(state, restored);
    assertEquals(state.hashCode(), restored.hashCode());
    assertArrayEquals(state.buffer("expAvgSq"), restored.buffer("expAvgSq"));
  }

  @Test
  void formatIsMagicVersionStepCountThenNamedBuffers() throws IOException {
    // magic 4 + version 4 + step 8 + count 4, then per buffer: UTF name (2 + length), int length,
    // 8 bytes per double.
    int expected = 4 + 4 + 8 + 4 + (2 + "expAvg".length() + 4 + 2 * 8)
        + (2 + "expAvgSq".length() + 4 + 2 * 8);
    byte[] bytes = bytesOf(adamStateAfterTwoSteps());
    assertEquals(expected, bytes.length);
    assertEquals(0x4F, bytes[0]);
    assertEquals(1, bytes[7], "version");
    assertEquals(2, bytes[15], "step");
  }

  @Test
  void readFromRejectsAnotherFormat() {
    byte[] bytes = "{\"not\": \"a state\"}".getBytes(StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertEquals("not an optimizer state: magic 0x7B226E6F, expected 0x4F505453", e.getMessage());
  }

  @Test
  void readFromRejectsAnUnknownVersion() throws IOException {
    byte[] bytes = bytesOf(adamStateAfterTwoSteps());
    bytes[7] = 9;
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertEquals("unsupported optimizer state version 9, this build reads 1", e.getMessage());
  }

  @Test
  void readFromRejectsATruncatedStreamAtAnyLength() throws IOException {
    byte[] bytes = bytesOf(adamStateAfterTwoSteps());
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      IOException e = assertThrows(IOException.class, () -> read(cut), "cut at " + n);
      assertTrue(e.getMessage().startsWith("truncated optimizer state: "), "cut at " + n + ": " + e.getMessage());
    }
  }

  @Test
  void aBufferLengthLargerThanTheBytesLeftIsRefusedBeforeItIsAllocated() throws IOException {
    byte[] bytes = bytesOf(adamStateAfterTwoSteps());
    int lengthAt = 4 + 4 + 8 + 4 + 2 + "expAvg".length();
    ByteBuffer.wrap(bytes).putInt(lengthAt, Integer.MAX_VALUE - 8);   // 16 GiB of doubles
    IOException e = assertThrows(IOException.class, () -> OptimizerState.read(bytes));
    assertEquals("truncated optimizer state: buffer 'expAvg' has length 2147483639, but only "
        + (bytes.length - lengthAt - 4) + " bytes remain", e.getMessage());
  }

  @Test
  void bytesAfterTheLastBufferAreRefused() throws IOException {
    byte[] bytes = Arrays.copyOf(bytesOf(adamStateAfterTwoSteps()), bytesOf(adamStateAfterTwoSteps()).length + 3);
    IOException e = assertThrows(IOException.class, () -> OptimizerState.read(bytes));
    assertEquals("corrupt optimizer state: 3 bytes after the last buffer", e.getMessage());
  }

  @Test
  void readFromRejectsANegativeBufferLength() throws IOException {
    byte[] bytes = bytesOf(adamStateAfterTwoSteps());
    int lengthAt = 4 + 4 + 8 + 4 + 2 + "expAvg".length();
    bytes[lengthAt] = (byte) 0xFF;
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertEquals("corrupt optimizer state: buffer 'expAvg' has length -16777214", e.getMessage());
  }

  @Test
  void equalityIsByContent() {
    OptimizerState a = adamStateAfterTwoSteps();
    OptimizerState b = adamStateAfterTwoSteps();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    b.buffer("expAvg")[1] = Math.nextUp(b.buffer("expAvg")[1]);
    assertNotEquals(a, b);
    OptimizerState c = adamStateAfterTwoSteps();
    c.advance();
    assertNotEquals(a, c);
  }

  @Test
  void copyIsDeep() {
    OptimizerState state = adamStateAfterTwoSteps();
    OptimizerState copy = state.copy();
    assertNotSame(state.buffer("expAvg"), copy.buffer("expAvg"));
    copy.buffer("expAvg")[0] = 42;
    assertNotEquals(42, state.buffer("expAvg")[0]);
  }

  @Test
  void unknownBufferNameListsTheKnownOnes() {
    OptimizerState state = adamStateAfterTwoSteps();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> state.buffer("sum"));
    assertEquals("optimizer state has no buffer 'sum', has [expAvg, expAvgSq]", e.getMessage());
  }

  @Test
  void stepRejectsTheStateOfAnotherKindOfOptimizer() {
    Optimizer momentum = Optimizer.create(OptimizerSpec.defaults(OptimizerType.MOMENTUM));
    OptimizerState adamState = adamStateAfterTwoSteps();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> momentum.step(new double[2], new double[2], adamState, 0.1));
    assertEquals("optimizer state has no buffer 'momentumBuffer', has [expAvg, expAvgSq]",
        e.getMessage());
  }

  @Test
  void stepRejectsAStateForAnotherParameterCount() {
    Optimizer adam = Optimizer.create(OptimizerSpec.defaults(OptimizerType.ADAM));
    OptimizerState state = adam.init(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.step(new double[3], new double[3], state, 0.1));
    assertEquals("optimizer state buffer 'expAvg' has length 2 but params have 3", e.getMessage());
  }

  @Test
  void initRejectsNegativeParameterCount() {
    Optimizer sgd = Optimizer.create(OptimizerSpec.defaults(OptimizerType.SGD));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.init(-1));
    assertEquals("numParams must be >= 0, was -1", e.getMessage());
  }
}
