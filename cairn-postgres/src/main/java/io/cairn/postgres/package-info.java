/**
 * The state store on PostgreSQL ({@link io.cairn.postgres.PostgresStore}): the state of a Cairn in
 * one database that any number of processes on any machines share, coordinated by PostgreSQL's
 * transactions and locks alone. Blobs stay where the Cairn's blob store puts them.
 */
package io.cairn.postgres;
