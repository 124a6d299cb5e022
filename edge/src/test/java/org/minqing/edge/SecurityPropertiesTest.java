package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.Roles;

/** Keys whose identity would not fit the timeline's columns, or whose role the API does not know, are refused at start-up, by property path. */
class SecurityPropertiesTest {

    private static final String HASH = "a".repeat(64);
    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void aKeyWithinTheLimitsIsValid() {
        assertThat(validator.validate(properties(new SecurityProperties.ApiKey(HASH, "p".repeat(200), "grid_worker",
                "o".repeat(200), null)))).isEmpty();
    }

    @Test
    void anOverlongPrincipalOrOrganizationOrAnUnknownRoleIsNamed() {
        assertThat(validator.validate(properties(new SecurityProperties.ApiKey(HASH, "p".repeat(201), "administrator",
                "o".repeat(201), null))).stream().map(ConstraintViolation::getPropertyPath).map(Object::toString))
                .containsExactlyInAnyOrder("apiKeys[0].principal", "apiKeys[0].role", "apiKeys[0].organization");
    }

    @Test
    void theRolesAcceptedAreExactlyTheRolesOfTheContract() {
        assertThat(SecurityProperties.ApiKey.ROLES.split("\\|")).containsExactlyInAnyOrderElementsOf(Roles.names());
    }

    private static SecurityProperties properties(SecurityProperties.ApiKey key) {
        return new SecurityProperties(List.of(key), List.of(), null, null);
    }
}
