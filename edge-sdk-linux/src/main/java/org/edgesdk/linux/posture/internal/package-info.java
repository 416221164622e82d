/**
 * Parsers and file access behind {@code org.edgesdk.linux.posture}. Not API: this package is not
 * exported and may change in any release.
 */
@NullMarked
package org.edgesdk.linux.posture.internal;

import org.jspecify.annotations.NullMarked;
