package io.sparkbackprop.ml;

import java.util.Arrays;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Values for a grid over a string param from Java: Spark's
 * {@code ParamGridBuilder.addGrid(Param<T>, scala.collection.Iterable<T>)} wants a Scala collection,
 * e.g. {@code addGrid(nn.hiddenLayers(), ParamValues.of("16:relu", "64:relu,16:relu"))}. Numeric
 * params have Java overloads in Spark already ({@code addGrid(nn.learningRate(), new double[] {...})}).
 */
public final class ParamValues {
  private ParamValues() {
  }

  @SafeVarargs
  public static <T> scala.collection.Iterable<T> of(T... values) {
    return CollectionConverters.asScala(Arrays.asList(values));
  }
}
