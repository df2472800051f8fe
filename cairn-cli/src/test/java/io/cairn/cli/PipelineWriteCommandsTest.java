package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static io.cairn.cli.CliRun.cairnWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.pipeline.JobKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inject and launch: they change a pipeline's data and jobs. */
class PipelineWriteCommandsTest {
  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void injectWritesStdinAsANewInputThatTheNextRunPicksUp() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    chain.fix();
    CliRun r =
        cairnWithStdin(home, "injected\n", "inject", "-f", chain.file.toString(), "s1.src", "n1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("wrote 9 bytes for job n1 to s1.src");
    assertThat(dir.resolve("in/n1.txt")).hasContent("injected");

    assertThat(cairn(home, "run", "-f", chain.file.toString()).code()).isZero();
    assertThat(chain.output(5, "n1")).hasContent("injected");
  }

  @Test
  void injectOfAnInvalidKeyIsOneLineWithTheRule() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    CliRun r = cairnWithStdin(home, "x", "inject", "-f", chain.file.toString(), "s1.src", "a b");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("cairn: invalid job key 'a b': use " + JobKeys.RULE);
    assertThat(dir.resolve("in/a b.txt")).doesNotExist();
  }

  @Test
  void launchRunsOneReadyJobAndForceRunsACompletedOneAgain() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    String f = chain.file.toString();

    CliRun first = cairn(home, "launch", "-f", f, "s1", "a");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("s1/a  completed  attempts 1");
    assertThat(chain.takeLaunches()).containsExactly("s1 a");

    CliRun again = cairn(home, "launch", "-f", f, "s1", "a", "--force");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(chain.takeLaunches()).containsExactly("s1 a");

    CliRun notReady = cairn(home, "launch", "-f", f, "s4", "a");
    assertThat(notReady.code()).isEqualTo(1);
    assertThat(notReady.errLines()).hasSize(1);
    assertThat(notReady.errLines().get(0)).startsWith("cairn: ").contains("--force");
    assertThat(chain.takeLaunches()).isEmpty();
  }

  @Test
  void launchOfAFailingJobPrintsItsErrorAndExitsOne() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    String f = chain.file.toString();
    assertThat(cairn(home, "launch", "-f", f, "s1", "a").code()).isZero();
    assertThat(cairn(home, "launch", "-f", f, "s2", "a").code()).isZero();

    CliRun r = cairn(home, "launch", "-f", f, "s3", "a", "--json");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.json().get("task").asText()).isEqualTo("s3");
    assertThat(r.json().get("status").asText()).isIn("error", "aborted");

    CliRun human = cairn(home, "launch", "-f", f, "s3", "a", "--force");
    assertThat(human.code()).isEqualTo(1);
    assertThat(human.outLines()).anySatisfy(l -> assertThat(l).startsWith("error: "));
  }
}
