package org.minqing.command.handling;

import java.util.List;

/**
 * What handling one command did to its case.
 *
 * @param caseId     the case the command addressed
 * @param revision   the number of events in the case's history afterwards
 * @param eventTypes the protobuf names of the events recorded, in order; empty if none were
 */
public record CommandOutcome(String caseId, long revision, List<String> eventTypes) {
}
