package org.minqing.edge.categories;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The category register's settings (docs/api.md, "Categories").
 *
 * @param enforced whether reports must carry a registered, unretired category; off by default, so
 *                 that a platform with free-text categories registers them first
 *                 ({@code ListUnregisteredCategories}), then turns it on
 * @param seed     categories entered into the register at start-up when it lacks their code (the
 *                 dev profile has a sample); changes after that are the operators', through the API
 */
@ConfigurationProperties("minqing.category-register")
public record CategoryRegisterProperties(boolean enforced, List<Seed> seed) {

    public CategoryRegisterProperties {
        seed = seed == null ? List.of() : List.copyOf(seed);
    }

    /** A category as configuration gives it. */
    public record Seed(String code, String displayName, String englishName, String group, List<String> keywords,
                       String defaultDepartment, String deadlineClass, String description) {
    }
}
