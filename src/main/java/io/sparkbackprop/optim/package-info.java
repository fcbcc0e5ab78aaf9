/**
 * Optimizers, learning-rate schedules and gradient clipping over flat {@code double[]} parameter
 * vectors, following the formulas of PyTorch's {@code torch.optim}.
 *
 * <p>The shape is optax's: an {@link io.sparkbackprop.optim.Optimizer} is immutable
 * hyperparameters ({@link io.sparkbackprop.optim.OptimizerSpec}); everything that changes from
 * step to step lives in a separately owned {@link io.sparkbackprop.optim.OptimizerState}, which
 * the trainer keeps on the driver, checkpoints and restores. The sign convention is written down
 * once, on {@link io.sparkbackprop.optim.Optimizer#step}.
 *
 * <p>This package imports nothing outside the JDK (a test checks it), so it can be reasoned
 * about and tested without Spark. Hot loops are plain indexed loops that allocate nothing.
 */
package io.sparkbackprop.optim;
