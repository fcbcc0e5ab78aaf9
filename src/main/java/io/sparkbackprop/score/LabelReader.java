package io.sparkbackprop.score;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.data.LabelKind;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import scala.Product;
import scala.Tuple2;
import scala.Tuple4;

/**
 * Turns scored rows {@code (prediction, [probability,] label)} into the tuples Spark's mllib
 * metrics classes take, checking every label on the way: for a classifier
 * {@code (prediction, label, weight 1, probabilities)} with the label a class index (a number
 * 0..K-1, or a string mapped through the model's label names); for a regression
 * {@code (prediction, label)} with a finite label. A bad label fails the task with a
 * {@link DataException} naming the column and the row.
 */
final class LabelReader implements Function2<Integer, Iterator<Row>, Iterator<Product>> {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final boolean classifier;
  private final LabelKind kind;
  /** Label name to class index, or null for a numeric label column. */
  private final HashMap<String, Integer> indexByName;
  private final List<String> names;
  private final String what;

  /**
   * @param numClasses the model's classes, 0 for regression
   * @param names the label names when the label column holds strings, else null
   */
  LabelReader(String column, int numClasses, List<String> names, String what) {
    this.column = column;
    this.classifier = numClasses > 0;
    this.kind = classifier ? LabelKind.classes(numClasses) : LabelKind.regression();
    this.names = names == null ? null : List.copyOf(names);
    this.indexByName = names == null ? null : new HashMap<>();
    if (names != null) {
      for (int i = 0; i < names.size(); i++) {
        indexByName.put(names.get(i), i);
      }
    }
    this.what = what;
  }

  @Override
  public Iterator<Product> call(Integer partition, Iterator<Row> rows) {
    int labelAt = classifier ? 2 : 1;
    return new Iterator<>() {
      private long rowNumber;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Product next() {
        Row row = rows.next();
        double label = label(row, labelAt, partition, rowNumber++);
        double prediction = row.getDouble(0);
        if (!classifier) {
          return new Tuple2<>(prediction, label);
        }
        return new Tuple4<>(prediction, label, 1.0, ((Vector) row.get(1)).toArray());
      }
    };
  }

  private double label(Row row, int at, int partition, long rowNumber) {
    if (row.isNullAt(at)) {
      throw problem(partition, rowNumber, "is null");
    }
    if (indexByName != null) {
      String name = row.getString(at);
      Integer index = indexByName.get(name);
      if (index == null) {
        throw problem(partition, rowNumber, "is '" + name + "', not one of the model's labels " + names);
      }
      return index;
    }
    double label = ((Number) row.get(at)).doubleValue();
    String problem = kind.problem(label);
    if (problem != null) {
      throw problem(partition, rowNumber, problem + " (was " + label + ")");
    }
    return label;
  }

  private DataException problem(int partition, long rowNumber, String issue) {
    return new DataException(what + ": column '" + column + "' in row " + rowNumber + " of partition "
        + partition + " " + issue);
  }
}
