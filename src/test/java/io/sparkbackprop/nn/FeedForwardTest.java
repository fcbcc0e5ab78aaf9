package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeedForwardTest {
  /** Hand-computed values below are exact to about 1e-15; allow a few ulps of slack. */
  private static final double EXACT = 1e-12;

  @Test
  void forwardMatchesHandComputation() {
    // One hidden relu layer (2 -> 2, bias) and a linear output (2 -> 1, no bias).
    NetworkSpec spec = new NetworkSpec(2, List.of(
        new LayerSpec(2, Activation.RELU, true), new LayerSpec(1, Activation.LINEAR, false)));
    // layers.0.weight (2,2) = [[1, 2], [-3, 4]], layers.0.bias = [0.5, -1], layers.1.weight (1,2) = [2, -1]
    double[] params = {1, 2, -3, 4, 0.5, -1, 2, -1};
    Workspace ws = new Workspace(spec, 2);
    ws.input[0] = 1;
    ws.input[1] = 1;   // row 0: z1 = [1+2+0.5, -3+4-1] = [3.5, 0] -> relu [3.5, 0] -> 7
    ws.input[2] = 2;
    ws.input[3] = -1;  // row 1: z1 = [2-2+0.5, -6-4-1] = [0.5, -11] -> relu [0.5, 0] -> 1
    new FeedForward(spec, LossType.MSE, Reduction.SUM).forward(params, ws, 2);
    assertEquals(7.0, ws.output()[0], EXACT);
    assertEquals(1.0, ws.output()[1], EXACT);
  }

  @Test
  void mseSumIsThePlainSumOfSquaredErrorsAndMeanDividesByEveryElement() {
    NetworkSpec spec = new NetworkSpec(1, List.of(new LayerSpec(2, Activation.LINEAR, false)));
    double[] params = {2, -1};           // outputs for x: [2x, -x]
    Workspace ws = new Workspace(spec, 1);
    ws.input[0] = 1;                       // outputs [2, -1]
    ws.labels[0] = 1;                      // one-hot target [0, 1]: errors [2, -2] -> SSE 8
    assertEquals(8.0, new FeedForward(spec, LossType.MSE, Reduction.SUM).lossSum(params, ws, 1), EXACT);
    assertEquals(4.0, new FeedForward(spec, LossType.MSE, Reduction.MEAN).lossSum(params, ws, 1), EXACT);
  }

  @Test
  void crossEntropyStaysFiniteForExtremeLogits() {
    NetworkSpec spec = new NetworkSpec(1, List.of(new LayerSpec(2, Activation.SOFTMAX, false)));
    double[] params = {1000, -1000};
    Workspace ws = new Workspace(spec, 2);
    ws.input[0] = 1;
    ws.labels[0] = 1;   // the wrong class by 2000 nats
    ws.input[1] = 1;
    ws.labels[1] = 0;   // the right class
    double[] grad = new double[2];
    double loss = new FeedForward(spec, LossType.CROSS_ENTROPY, Reduction.SUM)
        .lossAndGradient(params, ws, 2, grad);
    assertEquals(2000.0, loss, EXACT);
    assertArrayEquals(new double[] {1, -1}, grad, EXACT);
  }

  @Test
  void binaryCrossEntropyStaysFiniteForExtremeLogits() {
    NetworkSpec spec = new NetworkSpec(1, List.of(new LayerSpec(1, Activation.SIGMOID, false)));
    FeedForward net = new FeedForward(spec, LossType.BINARY_CROSS_ENTROPY, Reduction.SUM);
    Workspace ws = new Workspace(spec, 2);
    ws.input[0] = 1;
    ws.labels[0] = 0;   // logit +1000, label 0: loss 1000
    ws.input[1] = -1;
    ws.labels[1] = 0;   // logit -1000, label 0: loss ~0
    double[] grad = new double[1];
    double loss = net.lossAndGradient(new double[] {1000}, ws, 2, grad);
    assertEquals(1000.0, loss, EXACT);
    assertTrue(Double.isFinite(grad[0]));
    assertEquals(1.0, grad[0], EXACT);   // (1 - 0) * 1 + (0 - 0) * -1
  }

  @Test
  void lossMustSuitTheOutputLayer() {
    NetworkSpec linearOut = new NetworkSpec(2, List.of(new LayerSpec(3, Activation.LINEAR, true)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeedForward(linearOut, LossType.CROSS_ENTROPY, Reduction.MEAN));
    assertEquals("loss crossEntropy needs the last layer's activation to be softmax, was linear", e.getMessage());
    NetworkSpec twoSigmoid = new NetworkSpec(2, List.of(new LayerSpec(2, Activation.SIGMOID, true)));
    e = assertThrows(IllegalArgumentException.class,
        () -> new FeedForward(twoSigmoid, LossType.BINARY_CROSS_ENTROPY, Reduction.MEAN));
    assertEquals("loss binaryCrossEntropy needs 1 output unit, was 2", e.getMessage());
  }

  @Test
  void classLabelOutOfRangeIsRefused() {
    NetworkSpec spec = new NetworkSpec(1, List.of(new LayerSpec(3, Activation.SOFTMAX, true)));
    Workspace ws = new Workspace(spec, 1);
    ws.labels[0] = 3;
    double[] params = new double[spec.numParameters()];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeedForward(spec, LossType.CROSS_ENTROPY, Reduction.MEAN).lossSum(params, ws, 1));
    assertEquals("label must be a class index in 0..2, was 3.0", e.getMessage());
  }

  @Test
  void predictRunsInChunksOfTheWorkspaceCapacity() {
    NetworkSpec spec = new NetworkSpec(3, List.of(
        new LayerSpec(4, Activation.TANH, true), new LayerSpec(2, Activation.SOFTMAX, true)));
    FeedForward net = new FeedForward(spec, LossType.CROSS_ENTROPY, Reduction.MEAN);
    double[] params = Init.XAVIER.initialize(spec.layout(), 3);
    double[] x = new double[7 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(i);
    }
    double[] whole = net.predict(params, x, 7, new Workspace(spec, 7));
    double[] chunked = net.predict(params, x, 7, new Workspace(spec, 3));
    assertArrayEquals(whole, chunked, EXACT);
    for (int r = 0; r < 7; r++) {
      assertEquals(1.0, whole[2 * r] + whole[2 * r + 1], EXACT);
    }
  }
}
