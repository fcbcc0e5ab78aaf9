/**
 * The Spark ML API: {@link io.sparkbackprop.ml.NeuralNetClassifier} and
 * {@link io.sparkbackprop.ml.NeuralNetRegressor} with their fitted models, for Pipelines,
 * CrossValidator / TrainValidationSplit, the standard evaluators and Spark ML persistence.
 *
 * <p>One engine: the estimators turn their params into the job's config keys and validate them
 * with {@link io.sparkbackprop.config.MapConfigLoader} (the file loader's defaults and checks), pack the DataFrame
 * as the job packs its files ({@link io.sparkbackprop.data.TrainingData}) and train with
 * {@link io.sparkbackprop.train.TrainRun}; the models score with
 * {@link io.sparkbackprop.score.ModelScorer}, the predict job's engine, and save the job's model
 * directory format under {@code path/data}. Written in Java against Spark's Scala classes; the
 * one trick this needs is {@link io.sparkbackprop.ml.PendingUid}.
 */
package io.sparkbackprop.ml;
