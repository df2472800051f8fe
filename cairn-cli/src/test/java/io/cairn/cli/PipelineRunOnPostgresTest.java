package io.cairn.cli;

import org.junit.jupiter.api.extension.ExtendWith;

/** Every test of {@link PipelineRunTest} with --store on PostgreSQL (a fresh database per test). */
@ExtendWith(OnPostgresCli.class)
class PipelineRunOnPostgresTest extends PipelineRunTest {}
