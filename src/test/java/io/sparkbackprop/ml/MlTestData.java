package io.sparkbackprop.ml;

import io.sparkbackprop.SparkTestSession;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Sample data for the Spark ML API tests, read from data-samples. */
final class MlTestData {
  static final String IRIS = "data-samples/iris/iris.csv";
  static final String DIABETES = "data-samples/diabetes/diabetes_standardized.csv";
  static final String[] IRIS_FEATURES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};

  private MlTestData() {
  }

  /** Iris with the species as names (a string column, as users have it), in two partitions. */
  static Dataset<Row> irisNamed() {
    Dataset<Row> iris = csv(IRIS);
    return iris.withColumn("species", functions.element_at(
        functions.array(functions.lit("setosa"), functions.lit("versicolor"), functions.lit("virginica")),
        iris.col("species").cast("int").plus(1))).repartition(2);
  }

  /** Breast cancer (binary, 30 standardised features) with a vector column "features" and "label". */
  static Dataset<Row> breastCancer() {
    Dataset<Row> df = csv("data-samples/breast-cancer/breast_cancer_standardized.csv");
    String[] columns = df.columns();
    String label = columns[columns.length - 1];
    return new VectorAssembler().setInputCols(java.util.Arrays.copyOf(columns, columns.length - 1))
        .setOutputCol("features").transform(df).withColumnRenamed(label, "label");
  }

  /** Iris with a vector column "features" and the class index as "label". */
  static Dataset<Row> irisAssembled() {
    return new VectorAssembler().setInputCols(IRIS_FEATURES).setOutputCol("features").transform(csv(IRIS))
        .withColumnRenamed("species", "label");
  }

  static Dataset<Row> csv(String path) {
    return SparkTestSession.get().read().option("header", "true").option("inferSchema", "true").csv(path);
  }
}
