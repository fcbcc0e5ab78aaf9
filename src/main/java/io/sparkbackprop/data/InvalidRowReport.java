package io.sparkbackprop.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one or more partitions that could not be trained on: for each kind of problem
 * (e.g. "column 'x1' is NaN") how many rows had it and where the first few are. A row is counted
 * once, under the first problem found in it. Small and immutable: it travels back to the driver
 * with the packed blocks' row counts, so finding bad rows costs no extra pass over the data.
 */
public final class InvalidRowReport implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Offending rows named per kind of problem. */
  public static final int EXAMPLES = 3;
  private static final InvalidRowReport NONE = new InvalidRowReport(new String[0], new long[0], new String[0][]);

  /** Kinds of problem, in the order first seen. */
  private final String[] problems;
  private final long[] rows;
  /** Per problem: where its first {@link #EXAMPLES} rows are, e.g. "row 3 of partition 0 (NaN)". */
  private final String[][] examples;

  private InvalidRowReport(String[] problems, long[] rows, String[][] examples) {
    this.problems = problems;
    this.rows = rows;
    this.examples = examples;
  }

  public static InvalidRowReport none() {
    return NONE;
  }

  /** Number of invalid rows. */
  public long rows() {
    long n = 0;
    for (long r : rows) {
      n += r;
    }
    return n;
  }

  public boolean isEmpty() {
    return problems.length == 0;
  }

  /** This report and {@code other} together; examples keep this report's first. */
  public InvalidRowReport merge(InvalidRowReport other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Tally tally = new Tally();
    tally.add(this);
    tally.add(other);
    return tally.report();
  }

  /**
   * One line: every kind of problem with its row count and first rows, e.g. {@code column 'x1' is
   * NaN in 2 rows (row 3 of partition 0, row 7 of partition 1)}.
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < problems.length; i++) {
      if (i > 0) {
        s.append("; ");
      }
      s.append(problems[i]).append(" in ").append(rowsText(rows[i])).append(" (")
          .append(String.join(", ", examples[i])).append(rows[i] > examples[i].length ? ", ..." : "").append(')');
    }
    return s.toString();
  }

  /** Counts only, e.g. {@code column 'x1' is NaN: 2 rows; column 'label' is null: 1 row}. */
  public String counts() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < problems.length; i++) {
      s.append(i > 0 ? "; " : "").append(problems[i]).append(": ").append(rowsText(rows[i]));
    }
    return s.toString();
  }

  static String rowsText(long n) {
    return n + (n == 1 ? " row" : " rows");
  }

  /** Collects the problems of one partition's rows while they are packed (not serialisable). */
  static final class Tally {
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> where = new LinkedHashMap<>();

    void add(String problem, String example) {
      counts.computeIfAbsent(problem, p -> new long[1])[0]++;
      List<String> e = where.computeIfAbsent(problem, p -> new ArrayList<>(EXAMPLES));
      if (e.size() < EXAMPLES) {
        e.add(example);
      }
    }

    void add(InvalidRowReport r) {
      for (int i = 0; i < r.problems.length; i++) {
        counts.computeIfAbsent(r.problems[i], p -> new long[1])[0] += r.rows[i];
        List<String> e = where.computeIfAbsent(r.problems[i], p -> new ArrayList<>(EXAMPLES));
        for (String x : r.examples[i]) {
          if (e.size() < EXAMPLES) {
            e.add(x);
          }
        }
      }
    }

    InvalidRowReport report() {
      if (counts.isEmpty()) {
        return NONE;
      }
      String[] p = counts.keySet().toArray(new String[0]);
      long[] n = new long[p.length];
      String[][] e = new String[p.length][];
      for (int i = 0; i < p.length; i++) {
        n[i] = counts.get(p[i])[0];
        e[i] = where.get(p[i]).toArray(new String[0]);
      }
      return new InvalidRowReport(p, n, e);
    }
  }

  @Override
  public String toString() {
    return isEmpty() ? "no invalid rows" : describe();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InvalidRowReport r && Arrays.equals(problems, r.problems) && Arrays.equals(rows, r.rows)
        && Arrays.deepEquals(examples, r.examples);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(problems) * 31 + Arrays.hashCode(rows);
  }
}
