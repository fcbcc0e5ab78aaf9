package io.sparkbackprop.score;

import io.sparkbackprop.data.DataException;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: reads up to {@link #BATCH_ROWS} rows into a workspace, runs them forward
 * as one matrix product per layer, and emits each input row with the score columns appended.
 * Lazy: a partition is never held in memory whole, only one batch of rows.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /**
   * Rows per forward pass: large enough that GEMM, not per-call overhead, dominates; small enough
   * that the buffers (rows x widest layer doubles, 8 MB at 1024 x 1024) stay modest per task.
   */
  static final int BATCH_ROWS = 1024;

  private final NetworkSpec spec;
  private final Broadcast<double[]> weights;
  private final InputFeatures features;
  /** Null without preprocessing; else per input feature, {@code x' = (x - mean) / std}. */
  private final double[] means;
  private final double[] stds;
  private final OutputKind kind;
  /** Class names for predictedLabel, or null to leave that column out. */
  private final String[] labels;
  private final boolean raw;
  private final boolean probability;
  private final boolean prediction;
  private final int inputWidth;
  private final String what;

  PartitionScorer(NetworkSpec spec, Broadcast<double[]> weights, InputFeatures features, double[] means,
      double[] stds, OutputKind kind, String[] labels, ScoreColumns columns, int inputWidth, String what) {
    this.spec = spec;
    this.weights = weights;
    this.features = features;
    this.means = means;
    this.stds = stds;
    this.kind = kind;
    this.labels = columns.predictedLabel() == null ? null : labels;
    this.raw = kind.isClassifier() && columns.rawPrediction() != null;
    this.probability = kind.isClassifier() && columns.probability() != null;
    this.prediction = columns.prediction() != null;
    this.inputWidth = inputWidth;
    this.what = what;
  }

  /** Number of columns appended to each row. */
  int addedColumns() {
    return (raw ? 1 : 0) + (probability ? 1 : 0) + (prediction ? 1 : 0) + (labels != null ? 1 : 0);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Batches(rows);
  }

  private final class Batches implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int partition = TaskContext.getPartitionId();
    private final int d = spec.inputSize();
    private final int k = spec.outputSize();
    private final int classes = kind.numClasses(k);
    private FeedForward net;
    private Workspace ws;
    private double[] params;
    private Row[] batch;
    private int size;
    private int next;
    private long rowNumber;

    Batches(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      return next < size || fill();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return output(next++);
    }

    private boolean fill() {
      size = 0;
      next = 0;
      while (size < BATCH_ROWS && rows.hasNext()) {
        if (ws == null) {
          // Allocated on the first row only, so empty partitions cost nothing.
          net = new FeedForward(spec, LossType.MSE, Reduction.SUM);   // forward only: the loss is unused
          ws = new Workspace(spec, BATCH_ROWS);
          params = weights.value();
          batch = new Row[BATCH_ROWS];
        }
        Row row = rows.next();
        read(row, size * d);
        batch[size++] = row;
        rowNumber++;
      }
      if (size == 0) {
        return false;
      }
      net.forward(params, ws, size);
      return true;
    }

    /** Copies the features of {@code row} into the workspace at {@code base}, checked and scaled. */
    private void read(Row row, int base) {
      double[] x = ws.input;
      if (features.vector()) {
        int p = features.positions()[0];
        if (row.isNullAt(p)) {
          throw problem(0, "is null");
        }
        Vector v = (Vector) row.get(p);
        if (v.size() != d) {
          throw problem(0, "has " + v.size() + " features, the model takes " + d);
        }
        if (v instanceof DenseVector dv) {
          System.arraycopy(dv.values(), 0, x, base, d);
        } else {
          SparseVector sv = (SparseVector) v;
          Arrays.fill(x, base, base + d, 0.0);
          int[] idx = sv.indices();
          double[] vals = sv.values();
          for (int i = 0; i < idx.length; i++) {
            x[base + idx[i]] = vals[i];
          }
        }
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(x[base + j])) {
            throw problem(0, "has " + x[base + j] + " at index " + j);
          }
        }
      } else {
        for (int j = 0; j < d; j++) {
          int p = features.positions()[j];
          if (row.isNullAt(p)) {
            throw problem(j, "is null");
          }
          double value = ((Number) row.get(p)).doubleValue();
          if (!Double.isFinite(value)) {
            throw problem(j, "is " + value);
          }
          x[base + j] = value;
        }
      }
      if (means != null) {
        for (int j = 0; j < d; j++) {
          // The trainer's rule: a constant feature (std 0) is only centred.
          double s = stds[j] > 0 ? stds[j] : 1.0;
          x[base + j] = (x[base + j] - means[j]) / s;
        }
      }
    }

    private DataException problem(int feature, String issue) {
      return new DataException(what + ": column '" + features.names()[feature] + "' in row "
          + rowNumber + " of partition " + partition + " " + issue);
    }

    private Row output(int r) {
      Row in = batch[r];
      Object[] values = new Object[inputWidth + addedColumns()];
      for (int i = 0; i < inputWidth; i++) {
        values[i] = in.get(i);
      }
      int c = inputWidth;
      if (raw) {
        double[] v = new double[classes];
        kind.rawPrediction(ws.logits(), r * k, k, v);
        values[c++] = Vectors.dense(v);
      }
      if (probability) {
        double[] v = new double[classes];
        kind.probability(ws.output(), r * k, k, v);
        values[c++] = Vectors.dense(v);
      }
      double predicted = kind.prediction(ws.output(), r * k, k);
      if (prediction) {
        values[c++] = predicted;
      }
      if (labels != null) {
        values[c] = labels[(int) predicted];
      }
      return RowFactory.create(values);
    }
  }
}
