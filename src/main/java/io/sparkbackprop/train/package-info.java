/**
 * The distributed trainer: the driver loop of broadcast, per-partition forward/backward on shards
 * of the global mini-batch, {@code treeAggregate} of {@code (gradient sum, loss sum, count)} and
 * the optimizer step ({@link io.sparkbackprop.train.Trainer}); distributed evaluation; the Spark
 * session settings and Kryo registration training relies on.
 */
package io.sparkbackprop.train;
