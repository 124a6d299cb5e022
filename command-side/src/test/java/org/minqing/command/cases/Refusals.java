package org.minqing.command.cases;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Hamcrest matchers for the fixture's {@code expectException}. */
final class Refusals {

    private Refusals() {
    }

    /** A {@link CaseRefusedException} for {@code action} in {@code status}, with its message naming both. */
    static Matcher<CaseRefusedException> refused(CaseStatus status, CaseAction action) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(CaseRefusedException e) {
                return e.status() == status && e.action() == action && e.allowed().equals(status.allowed())
                        && e.getMessage().contains("is " + status + ": " + action);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a refusal of " + action + " in " + status);
            }

            @Override
            protected void describeMismatchSafely(CaseRefusedException e, Description description) {
                description.appendText("was " + e.action() + " in " + e.status() + ": " + e.getMessage());
            }
        };
    }
}
