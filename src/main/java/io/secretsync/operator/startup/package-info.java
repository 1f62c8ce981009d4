/**
 * How the process starts: with a cluster configured, the operator on that cluster; without one,
 * the demo ({@code io.secretsync.operator.demo}). The only production code that may import the
 * demo. It also bounds how long a stop may take ({@code StopDeadline}).
 */
package io.secretsync.operator.startup;
