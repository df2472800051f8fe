package io.cairn.testkit;

import io.cairn.internal.exec.InProcessExecutor;
import io.cairn.spi.ResourceExecutor;

class InProcessExecutorTest extends ResourceExecutorContract {
  @Override
  protected ResourceExecutor newExecutor(int capacity) {
    return new InProcessExecutor(capacity);
  }

  @Override
  protected boolean runsScripts() {
    return false;
  }
}
