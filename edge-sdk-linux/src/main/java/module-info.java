/**
 * Linux device control for the Edge SDK: host facts, CPU frequency and thermal state through sysfs,
 * real-time scheduling through JNA, and the device posture report.
 *
 * <p>Every reader takes its {@link org.edgesdk.api.HostRoot} per instance, so fixture trees and the
 * live system can be read side by side.
 */
module org.edgesdk.linux {
  requires transitive org.edgesdk.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.sun.jna;
  requires java.management;

  exports org.edgesdk.linux;
  exports org.edgesdk.linux.cpufreq;
  exports org.edgesdk.linux.fixture;
  exports org.edgesdk.linux.kernel;
  exports org.edgesdk.linux.posture;
  exports org.edgesdk.linux.rt;
  exports org.edgesdk.linux.thermal;

  // JNA reads the native method signatures and Structure fields of the bindings reflectively.
  opens org.edgesdk.linux.rt.internal to com.sun.jna;
}
