/**
 * The publisher side of TUF update repositories: {@link org.edgesdk.ota.repo.RepositoryPublisher}
 * creates keys and a root, adds targets with their update fields
 * ({@link org.edgesdk.ota.repo.UpdateFields}), signs targets, snapshot and timestamp, delegates
 * paths to other roles and rotates keys. The repository it writes is static files that any HTTP
 * server, CDN or removable medium can serve as is.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException},
 * and no method returns null.
 */
@NullMarked
package org.edgesdk.ota.repo;

import org.jspecify.annotations.NullMarked;
