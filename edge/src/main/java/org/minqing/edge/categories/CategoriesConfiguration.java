package org.minqing.edge.categories;

import java.time.Clock;

import org.minqing.command.deadlines.DeadlineClasses;
import org.minqing.query.cases.CaseCategories;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The category register and its API; imported by the command role (reports are checked against it) and the query role. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CategoryRegisterProperties.class)
public class CategoriesConfiguration {

    /** With the configured seed entered (after the migrations: it needs the data source). */
    @Bean
    CategoryRegister categoryRegister(JdbcTemplate jdbc, CategoryRegisterProperties properties, Clock clock) {
        CategoryRegister register = new CategoryRegister(jdbc, properties.enforced());
        register.seed(properties.seed(), clock.instant());
        return register;
    }

    /** The deadline rules a category follows are its deadline class's (the command role's deadline policy asks). */
    @Bean
    DeadlineClasses deadlineClasses(CategoryRegister register) {
        return register::deadlineClassOf;
    }

    @Bean
    CategoryGrpcService categoryGrpcService(CategoryRegister register, JdbcTemplate jdbc, Clock clock) {
        return new CategoryGrpcService(register, new CaseCategories(JdbcClient.create(jdbc)), clock);
    }
}
