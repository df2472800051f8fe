package io.cairn.cli;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every test of {@link ReadCommandsTest} with --store on PostgreSQL (one database, as the tests
 * share one home).
 */
@ExtendWith(OnPostgresCli.PerClass.class)
class ReadCommandsOnPostgresTest extends ReadCommandsTest {}
