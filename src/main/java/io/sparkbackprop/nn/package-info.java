/**
 * The Spark-free math core: layer and network descriptions ({@link io.sparkbackprop.nn.LayerSpec},
 * {@link io.sparkbackprop.nn.NetworkSpec}), the flat parameter layout, activations, losses fused
 * with the output layer, seeded initialisation, and forward/backward passes over a mini-batch as
 * BLAS matrix products ({@link io.sparkbackprop.nn.FeedForward}).
 *
 * <p>Descriptions are immutable records; everything mutable is explicit: parameter and gradient
 * arrays owned by the caller, and a {@link io.sparkbackprop.nn.Workspace} of scratch buffers.
 * Nothing here imports Spark.
 */
package io.sparkbackprop.nn;
