package org.edgesdk.store.forward;

/** What a destination's forwarder knows of its connection. */
public enum ConnectionState {
  /** Nothing sent yet. */
  IDLE,
  /** The last send reached the destination. */
  CONNECTED,
  /** The last send could not reach the destination, or it asked to wait; retrying with backoff. */
  DISCONNECTED,
  /** The forwarder has stopped. */
  STOPPED
}
