package io.sparkbackprop.ml;

import io.sparkbackprop.SparkTestSession;
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

  static Dataset<Row> csv(String path) {
    return SparkTestSession.get().read().option("header", "true").option("inferSchema", "true").csv(path);
  }
}
