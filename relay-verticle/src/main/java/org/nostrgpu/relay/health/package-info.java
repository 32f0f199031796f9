/**
 * The relay's health endpoints on its client port, for container health checks, orchestrators and load balancers:
 * {@code GET /health/live} (the process serves HTTP) and {@code GET /health/ready} (it can take events: the store
 * is open and signatures can be verified, by a worker or the fallback). Each answers JSON, 200 or 503.
 */
package org.nostrgpu.relay.health;
