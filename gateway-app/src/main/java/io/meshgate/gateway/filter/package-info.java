/** Small single-purpose Spring Cloud Gateway filters, one per Istio action or policy, acting on the matched route. */
@NullMarked
package io.meshgate.gateway.filter;

import org.jspecify.annotations.NullMarked;
