package io.sparkbackprop.model;

import java.util.Arrays;

/**
 * One tensor of a safetensors file (its name is the key it is stored under): element type, shape
 * and values in C (row-major) order. Values are held as doubles whatever the dtype; an {@link Dtype#F32} tensor
 * is rounded to float when written and widened when read.
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * @param shape dimensions, each >= 0; {@code []} is a scalar with one value
 * @param values {@code product(shape)} values, row-major
 */
public record Tensor(Dtype dtype, int[] shape, double[] values) {

  public Tensor {
    if (dtype == null) {
      throw new IllegalArgumentException("dtype must be given");
    }
    shape = shape.clone();
    values = values.clone();
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape dimensions must be >= 0, was " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
          + " values, was " + values.length);
    }
  }

  /** A 64-bit tensor. */
  public static Tensor f64(int[] shape, double... values) {
    return new Tensor(Dtype.F64, shape, values);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** Number of elements, {@code product(shape)}. */
  public int size() {
    return values.length;
  }

  /** Value {@code i} in row-major order, without copying the array. */
  public double value(int i) {
    return values[i];
  }

  /** Bytes this tensor's data takes in a safetensors file. */
  public long byteSize() {
    return (long) values.length * dtype.byteSize();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
