package org.minqing.command.deadlines;

/**
 * Which category's deadline rules a category follows: the category register's deadline class
 * (docs/api.md, "Categories"), so that many categories can share one rule. Without a register,
 * every category follows its own.
 */
@FunctionalInterface
public interface DeadlineClasses {

    DeadlineClasses OWN = category -> category;

    /** The category the rules are matched against for {@code category}. */
    String classOf(String category);
}
