/** Loads YAML files into fabric8 Istio model objects, with the file and line of every resource and field. */
@NullMarked
package io.meshgate.translator.load;

import org.jspecify.annotations.NullMarked;
