package org.minqing.command.cases;

/** A command addressed to one case. */
public interface CaseCommand {

    String caseId();
}
