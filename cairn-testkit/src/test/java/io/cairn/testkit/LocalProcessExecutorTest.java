package io.cairn.testkit;

import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.spi.ResourceExecutor;

class LocalProcessExecutorTest extends ResourceExecutorContract {
  @Override
  protected ResourceExecutor newExecutor(int capacity) {
    return new LocalProcessExecutor(capacity);
  }

  @Override
  protected boolean runsScripts() {
    return true;
  }
}
