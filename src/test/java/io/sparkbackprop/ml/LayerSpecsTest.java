package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LayerSpecsTest {

  @Test
  void parsesUnitsActivationAndBias() {
    assertEquals(List.of(new LayerSpec(64, Activation.RELU, true), new LayerSpec(8, Activation.LEAKY_RELU, false),
            new LayerSpec(3, Activation.TANH, true)),
        LayerSpecs.parse(" 64:relu, 8:leakyRelu:nobias,3:tanh:bias "));
    assertEquals(List.of(), LayerSpecs.parse(""), "no hidden layers");
  }

  @Test
  void formatIsTheInverseOfParse() {
    List<LayerSpec> layers = List.of(new LayerSpec(5, Activation.SIGMOID, false), LayerSpec.dense(2, Activation.LINEAR));
    assertEquals("5:sigmoid:nobias,2:linear", LayerSpecs.format(layers));
    assertEquals(layers, LayerSpecs.parse(LayerSpecs.format(layers)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "16           | layer 0 '16' must look like units:activation[:nobias], e.g. 16:relu",
      "16:relu,x:tanh | layer 1 'x:tanh': units must be an integer, was 'x'",
      "0:relu       | layer 0 '0:relu': units must be >= 1, was 0",
      "4:swish      | layer 0 '4:swish': unknown activation 'swish', expected one of [sigmoid, tanh, relu, leakyRelu, softmax, linear]",
      "4:relu:yes   | layer 0 '4:relu:yes': the third part must be bias or nobias, was 'yes'",
      "'4:relu,'    | layer 1 '' must look like units:activation[:nobias], e.g. 16:relu",
  })
  void badLayersAreNamedWithTheReason(String text, String expected) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> LayerSpecs.parse(text)).getMessage());
  }
}
