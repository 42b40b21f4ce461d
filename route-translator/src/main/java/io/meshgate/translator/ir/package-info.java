/** The immutable routing IR: listeners, virtual hosts, routes and clusters, built once per config snapshot. */
@NullMarked
package io.meshgate.translator.ir;

import org.jspecify.annotations.NullMarked;
