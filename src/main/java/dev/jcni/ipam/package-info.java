/**
 * Built-in IPAM: an {@link dev.jcni.ipam.Allocator} that hands out addresses round-robin from one
 * {@link dev.jcni.ipam.PoolRange} per IP family, recording each reservation in a
 * {@link dev.jcni.ipam.ReservationStore}.
 *
 * <p>Modelled on containernetworking/plugins host-local: the allocator knows nothing about files,
 * and the disk store keeps one file per address, created atomically under an exclusive lock that
 * holds across processes (runtimes run many ADDs for one network at once).
 */
package dev.jcni.ipam;
