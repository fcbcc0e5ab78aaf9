package io.sparkbackprop.nn;

/** The float32 counterpart of {@link Workspace}, for {@link Precision#FLOAT32} passes. */
public final class FloatWorkspace extends Buffers<float[]> {
  public FloatWorkspace(NetworkSpec spec, int capacity) {
    super(Ops.F32, spec, capacity);
  }
}
