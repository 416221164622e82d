/**
 * Implementation helpers of {@code org.edgesdk.linux}. Not API: this package is not exported and may
 * change in any release.
 */
@NullMarked
package org.edgesdk.linux.internal;

import org.jspecify.annotations.NullMarked;
