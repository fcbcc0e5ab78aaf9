package io.sparkbackprop.ml;

/**
 * Hands a uid to a Java subclass of a Spark ML class while the Scala superclass is being
 * constructed. Spark's shared params ({@code featuresCol}, ...) are trait fields created in the
 * superclass constructor with {@code new Param(this, ...)}, which calls {@code uid()} before any
 * Java constructor body runs. Scala classes assign their {@code uid} constructor field before the
 * super call; Java cannot, so a constructor taking a uid does
 * {@code this(PendingUid.of(uid), ...)} (the argument is evaluated before the superclass
 * constructor), {@code uid()} reads {@link #current} while its field is still unset, and the
 * constructor body calls {@link #done}. One pending uid per thread; constructions do not nest.
 */
final class PendingUid {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  final String uid;

  private PendingUid(String uid) {
    this.uid = uid;
  }

  static PendingUid of(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("uid must be a non-empty string, was " + uid);
    }
    PENDING.set(uid);
    return new PendingUid(uid);
  }

  /** The uid of the object under construction on this thread. */
  static String current() {
    String uid = PENDING.get();
    if (uid == null) {
      throw new IllegalStateException("uid() called outside construction before the uid was set");
    }
    return uid;
  }

  /** Ends the construction: returns the uid and forgets it. */
  String done() {
    PENDING.remove();
    return uid;
  }
}
