/** High availability: leader election on a Lease so that only one replica writes. */
package io.secretsync.operator.ha;
