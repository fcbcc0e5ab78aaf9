package io.sparkbackprop.model;

import java.util.Arrays;

/** Element types this project stores, named as in safetensors headers. */
public enum Dtype {
  /** IEEE 754 binary64, little-endian; the default, exact for the training parameters. */
  F64(8),
  /** IEEE 754 binary32, little-endian; values are rounded to nearest on write, widened on read. */
  F32(4);

  private final int byteSize;

  Dtype(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Parses a safetensors dtype name; the error lists the accepted names. */
  public static Dtype fromName(String name) {
    for (Dtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported dtype '" + name + "', expected one of " + Arrays.toString(values()));
  }
}
