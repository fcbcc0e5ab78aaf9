package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.train.HadoopModelStore;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobs/inspect.sh --model DIR}: architecture, parameter count, training provenance and
 * final metrics of a saved model, without starting Spark.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Describe a saved spark-backprop model.")
public final class InspectJob implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
  String model;

  @Option(names = "--json", description = "print model.json's provenance as JSON too")
  boolean json;

  private final PrintStream out;

  InspectJob(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.run(new InspectJob(out), args, err);
  }

  @Override
  public Integer call() throws Exception {
    ModelStore store = model.contains("://") ? new HadoopModelStore(new Configuration()) : new LocalModelStore();
    SavedModel m = ModelCodec.decode(store, model);
    NetworkSpec n = m.network();
    out.println("model        " + model);
    out.println("task         " + (m.task() == null ? "(not recorded)" : m.task())
        + (m.loss() == null ? "" : ", loss " + m.loss() + " (" + m.reduction() + ")"));
    StringBuilder arch = new StringBuilder().append(n.inputSize());
    for (LayerSpec l : n.layers()) {
      arch.append(" -> ").append(l.units()).append(' ').append(l.activation()).append(l.bias() ? "" : " (no bias)");
    }
    out.println("architecture " + arch);
    out.printf("parameters   %,d (%s)%n", n.numParameters(), m.dtype());
    if (m.features() != null) {
      out.println("features     " + (m.features().isVector()
          ? "vector column '" + m.features().vectorColumn() + "' of size " + m.features().size()
          : m.features().columns()));
    }
    if (m.labels() != null) {
      out.println("classes      " + m.labels());
    }
    out.println("standardized " + (m.preprocessing() != null));
    Map<String, Object> p = m.provenance();
    if (p.isEmpty()) {
      out.println("provenance   (none recorded)");
      return ExitCodes.OK;
    }
    ObjectMapper mapper = new ObjectMapper();
    for (String key : new String[] {"createdAt", "seed", "epochs", "steps", "initModel", "versions", "data", "metrics"}) {
      if (p.containsKey(key) && p.get(key) != null) {
        out.printf("%-12s %s%n", key, mapper.writeValueAsString(p.get(key)));
      }
    }
    if (json) {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(p));
    }
    return ExitCodes.OK;
  }
}
