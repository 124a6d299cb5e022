package org.minqing.server.roles;

import org.minqing.command.cases.Case;
import org.minqing.command.cases.MergeCaseHandler;
import org.minqing.command.deadlinewatch.DeadlineTimers;
import org.minqing.command.deadlinewatch.DeadlineWatch;
import org.minqing.command.handling.CommandHandlingConfiguration;
import org.minqing.command.handling.CommandMetadataProvider;
import org.minqing.command.privacy.PersonalDataConfiguration;
import org.minqing.edge.categories.CategoriesConfiguration;
import org.minqing.edge.commands.CaseCommandGrpcService;
import org.minqing.edge.commands.CommandExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The command role: the Case aggregate and the merge handler, command handling (request ledger,
 * gateway with retries, case cache, audit metadata), the deadline watch with its timers, and the
 * command API, which checks reports against the category register.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "minqing.roles.command", matchIfMissing = true)
@Import({Case.class, MergeCaseHandler.class, CommandHandlingConfiguration.class, CommandMetadataProvider.class,
        DeadlineTimers.class, DeadlineWatch.class, PersonalDataConfiguration.class, CommandExecution.class,
        CaseCommandGrpcService.class, CategoriesConfiguration.class})
public class CommandRole {
}
