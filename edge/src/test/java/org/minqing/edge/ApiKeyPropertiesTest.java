package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

/** Keys whose identity would not fit the timeline's columns are refused at start-up, by property path. */
class ApiKeyPropertiesTest {

    private static final String HASH = "a".repeat(64);
    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void aKeyWithinTheLimitsIsValid() {
        assertThat(validator.validate(properties(new ApiKeyProperties.ApiKey(HASH, "p".repeat(200), "r".repeat(64),
                "o".repeat(200))))).isEmpty();
    }

    @Test
    void anOverlongPrincipalRoleOrOrganizationIsNamed() {
        assertThat(validator.validate(properties(new ApiKeyProperties.ApiKey(HASH, "p".repeat(201), "r".repeat(65),
                "o".repeat(201)))).stream().map(ConstraintViolation::getPropertyPath).map(Object::toString))
                .containsExactlyInAnyOrder("apiKeys[0].principal", "apiKeys[0].role", "apiKeys[0].organization");
    }

    private static ApiKeyProperties properties(ApiKeyProperties.ApiKey key) {
        return new ApiKeyProperties(List.of(key));
    }
}
