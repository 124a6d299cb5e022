package org.minqing.command.cases;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.minqing.api.v1.Channel;
import org.minqing.command.cases.CaseCommands.MergeCase;

/**
 * Merges a duplicate report into the case it duplicates (并单). Two cases change together, so this
 * runs outside either aggregate: both are loaded in the command's unit of work, every rule is checked
 * before anything is applied, and both events commit (or neither does) with the unit of work.
 */
public class MergeCaseHandler {

    private final Repository<Case> cases;

    public MergeCaseHandler(Repository<Case> cases) {
        this.cases = cases;
    }

    /**
     * @throws CaseRefusedException when merging a case into itself, into a rejected, merged or
     *                              closed case, or when the duplicate does not allow MERGE
     * @throws org.axonframework.modelling.command.AggregateNotFoundException when either case is unknown
     */
    @CommandHandler
    public void handle(MergeCase cmd) {
        Aggregate<Case> duplicate = cases.load(cmd.caseId());
        if (cmd.caseId().equals(cmd.targetCaseId())) {
            CaseStatus status = duplicate.invoke(Case::status);
            throw new CaseRefusedException(cmd.caseId(), status, CaseAction.MERGE,
                    "case " + cmd.caseId() + " cannot be merged into itself");
        }
        Aggregate<Case> target = cases.load(cmd.targetCaseId());
        target.execute(c -> c.requireTakesLinkedReports(cmd.caseId()));

        duplicate.execute(c -> c.mergeInto(cmd.targetCaseId(), cmd.reason()));
        Channel channel = duplicate.invoke(Case::channel);
        String partnerReference = duplicate.invoke(Case::partnerReference);
        target.execute(c -> c.linkReport(cmd.caseId(), channel, partnerReference));
    }
}
