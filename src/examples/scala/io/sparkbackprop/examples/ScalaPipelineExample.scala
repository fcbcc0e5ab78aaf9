package io.sparkbackprop.examples

import io.sparkbackprop.ml.{NeuralNetClassificationModel, NeuralNetClassifier, NeuralNetRegressor}
import org.apache.spark.ml.{Pipeline, PipelineModel}
import org.apache.spark.ml.evaluation.{MulticlassClassificationEvaluator, RegressionEvaluator}
import org.apache.spark.ml.feature.{StringIndexer, VectorAssembler}
import org.apache.spark.ml.tuning.{ParamGridBuilder, TrainValidationSplit}
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions.{array, col, element_at, lit}

/**
 * spark-backprop in a Spark ML pipeline, from Scala: a classifier in a Pipeline, saved and loaded,
 * and a regressor tuned with TrainValidationSplit.
 *
 * In spark-shell (from the project directory, after `mvn -q package -DskipTests`):
 * {{{
 *   spark-shell --jars target/spark-backprop.jar
 *   scala> :paste -raw src/examples/scala/io/sparkbackprop/examples/ScalaPipelineExample.scala
 *   scala> io.sparkbackprop.examples.ScalaPipelineExample.run(spark, "data-samples", "target/scala-example")
 * }}}
 * (the tests compile and run it too: ExamplesTest).
 */
object ScalaPipelineExample {
  private val irisFeatures = Array("sepal_length", "sepal_width", "petal_length", "petal_width")

  /** Returns the reloaded classifier's accuracy and the tuned regressor's RMSE, on held-out rows. */
  def run(spark: SparkSession, samples: String, out: String): (Double, Double) = {
    val names = array(lit("setosa"), lit("versicolor"), lit("virginica"))
    val iris = spark.read.option("header", "true").option("inferSchema", "true")
      .csv(s"$samples/iris/iris.csv")
      .withColumn("species", element_at(names, col("species").cast("int") + 1))
    val Array(irisTrain, irisTest) = iris.randomSplit(Array(0.8, 0.2), seed = 42)

    val nn = new NeuralNetClassifier()
      .setHiddenLayers("16:relu")
      .setLearningRate(0.02)
      .setEpochs(60)
      .setBatchSize(32)
      .setStandardize(true)
      .setValidationFraction(0.2)      // per-epoch validation figures in the summary
    val pipeline = new Pipeline().setStages(Array(
      new StringIndexer().setInputCol("species").setOutputCol("label"),
      new VectorAssembler().setInputCols(irisFeatures).setOutputCol("features"),
      nn))
    val fitted = pipeline.fit(irisTrain)
    val summary = fitted.stages.last.asInstanceOf[NeuralNetClassificationModel].summary
    println(f"epochs ${summary.totalEpochs}, final validation accuracy " +
      f"${summary.validationAccuracyHistory.last}%.3f")

    fitted.write.overwrite().save(s"$out/iris-pipeline")
    val loaded = PipelineModel.load(s"$out/iris-pipeline")
    val accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
      .evaluate(loaded.transform(irisTest))

    val diabetes = spark.read.option("header", "true").option("inferSchema", "true")
      .csv(s"$samples/diabetes/diabetes_standardized.csv")
    val assembled = new VectorAssembler().setInputCols(diabetes.columns.filter(_ != "progression"))
      .setOutputCol("features").transform(diabetes).withColumnRenamed("progression", "label")
    val Array(dTrain, dTest) = assembled.randomSplit(Array(0.8, 0.2), seed = 42)
    val regressor = new NeuralNetRegressor().setEpochs(30).setBatchSize(32).setLearningRate(0.05)
    val grid = new ParamGridBuilder()
      .addGrid(regressor.hiddenLayers, Seq("8:relu", "16:tanh"))
      .addGrid(regressor.weightDecay, Array(0.0, 1e-3))
      .build()
    val tuned = new TrainValidationSplit().setEstimator(regressor).setEstimatorParamMaps(grid)
      .setEvaluator(new RegressionEvaluator()).setTrainRatio(0.8).setSeed(3).fit(dTrain)
    val rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(tuned.transform(dTest))
    println(f"classifier test accuracy $accuracy%.3f, regressor test RMSE $rmse%.1f")
    (accuracy, rmse)
  }

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().appName("spark-backprop Scala example").getOrCreate()
    try run(spark, args.headOption.getOrElse("data-samples"), args.lift(1).getOrElse("target/scala-example"))
    finally spark.stop()
  }
}
