/**
 * The distributed trainer: the driver loop of broadcast, per-partition forward/backward on shards
 * of the global mini-batch, {@code treeAggregate} of {@code (gradient sum, loss sum, count)} and
 * the optimizer step ({@link io.sparkbackprop.train.Trainer}), or the same steps carried by
 * barrier tasks that stay running for an epoch and exchange sums and weights with the driver over
 * Spark's RPC ({@link io.sparkbackprop.train.PersistentTasks}); distributed evaluation; the Spark
 * session settings and Kryo registration training relies on.
 */
package io.sparkbackprop.train;
