package io.catena.console.actions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WizardStepTest {

  @ParameterizedTest
  @CsvSource({
    "PLANNED, PREVIEW, false",
    "REFUSED, PREVIEW, true",
    "RUNNING, PROGRESS, false",
    "SUCCEEDED, RESULT, true",
    "FAILED, RESULT, true",
    "CANCELLED, RESULT, true",
    "SOMETHING_NEW, CONFIGURE, false"
  })
  void anOperationsStateDecidesTheStepShown(String state, WizardStep step, boolean terminal) {
    assertThat(WizardStep.of(state)).isEqualTo(step);
    assertThat(WizardStep.terminal(state)).isEqualTo(terminal);
  }
}
