package io.sparkbackprop.model;

import io.sparkbackprop.train.HadoopModelStore;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/** The store contract on Hadoop's local filesystem through {@code file:} URIs. */
class HadoopModelStoreTest extends ModelStoreContract {

  @Override
  ModelStore store() {
    return new HadoopModelStore(new Configuration());
  }

  @Override
  String name(Path p) {
    return p.toUri().toString();
  }
}
