package org.edgesdk.api.store;

/** What a lane does with a new message that does not fit under its byte cap. */
public enum OverflowPolicy {
  /**
   * Remove the oldest messages of the lane until the new one fits, counting each as dropped (AWS
   * Greengrass calls this {@code OverwriteOldestData}). The right choice for telemetry where the
   * newest values matter most.
   */
  DROP_OLDEST,
  /**
   * Refuse the new message: the acknowledgement fails with
   * {@link org.edgesdk.api.ErrorCode#BUSY} and the message is counted as dropped. The right choice
   * for records that must not silently disappear, such as alarms or billing events.
   */
  REJECT_NEW
}
