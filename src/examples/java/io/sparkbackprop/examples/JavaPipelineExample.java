package io.sparkbackprop.examples;

import io.sparkbackprop.ml.NeuralNetClassificationModel;
import io.sparkbackprop.ml.NeuralNetClassifier;
import io.sparkbackprop.ml.ParamValues;
import java.io.IOException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * spark-backprop in a Spark ML pipeline, from Java: index a string label, assemble the features,
 * tune a neural network classifier with CrossValidator, evaluate it on held-out rows, save the
 * best PipelineModel and load it back.
 *
 * <p>Arguments: the iris csv (default {@code data-samples/iris/iris.csv}) and where to save the
 * model (default {@code target/example-model}). The tests run it: {@code mvn -q test -Dtest=ExamplesTest}.
 */
public final class JavaPipelineExample {
  private static final String[] FEATURES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};

  private JavaPipelineExample() {
  }

  public static void main(String[] args) throws IOException {
    String data = args.length > 0 ? args[0] : "data-samples/iris/iris.csv";
    String out = args.length > 1 ? args[1] : "target/example-model";
    SparkSession spark = SparkSession.builder().appName("spark-backprop Java example")
        .master(System.getProperty("spark.master", "local[*]")).getOrCreate();
    try {
      System.out.printf("test accuracy %.3f%n", run(spark, data, out));
    } finally {
      spark.stop();
    }
  }

  /** Trains, tunes, evaluates, saves and reloads; returns the reloaded model's test accuracy. */
  public static double run(SparkSession spark, String data, String out) throws IOException {
    // The iris sample has class indices; name them so that StringIndexer has something to do.
    Dataset<Row> iris = spark.read().option("header", "true").option("inferSchema", "true").csv(data)
        .withColumn("species", functions.element_at(functions.array(functions.lit("setosa"),
            functions.lit("versicolor"), functions.lit("virginica")), functions.col("species").cast("int").plus(1)));
    Dataset<Row>[] split = iris.randomSplit(new double[] {0.8, 0.2}, 42);

    StringIndexer indexer = new StringIndexer().setInputCol("species").setOutputCol("label");
    VectorAssembler assembler = new VectorAssembler().setInputCols(FEATURES).setOutputCol("features");
    NeuralNetClassifier nn = new NeuralNetClassifier()
        .setHiddenLayers(16)            // 16 relu units; or setHiddenLayers("16:relu,8:tanh:nobias")
        .setOptimizer("adam")
        .setEpochs(40)
        .setBatchSize(32)
        .setStandardize(true)
        .setSeed(7);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {indexer, assembler, nn});

    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(nn.learningRate(), new double[] {0.005, 0.02})
        .addGrid(nn.hiddenLayers(), ParamValues.of("16:relu", "8:tanh"))
        .build();
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
        .setNumFolds(2).setSeed(1);
    CrossValidatorModel tuned = cv.fit(split[0]);
    PipelineModel best = (PipelineModel) tuned.bestModel();

    NeuralNetClassificationModel network = (NeuralNetClassificationModel) best.stages()[2];
    NeuralNetClassifier chosen = (NeuralNetClassifier) network.parent();
    System.out.printf("best: learningRate %s, hiddenLayers %s; training loss per epoch %s...%n",
        chosen.getLearningRate(), chosen.getHiddenLayers(),
        java.util.Arrays.toString(java.util.Arrays.copyOf(network.summary().trainLossHistory(), 3)));

    best.write().overwrite().save(out);
    PipelineModel loaded = PipelineModel.load(out);
    Dataset<Row> predictions = loaded.transform(split[1]);
    // Class indices back to names, with the labels StringIndexer learnt.
    new IndexToString().setInputCol("prediction").setOutputCol("predictedSpecies")
        .setLabels(((StringIndexerModel) loaded.stages()[0]).labelsArray()[0])
        .transform(predictions).select("species", "predictedSpecies", "probability").show(5, false);
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
  }
}
