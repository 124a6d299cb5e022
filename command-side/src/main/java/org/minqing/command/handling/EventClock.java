package org.minqing.command.handling;

import java.time.Clock;

import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Axon 4 stamps every new event with its static {@link GenericEventMessage#clock}, which no
 * configurer reaches. This sets it to the application's clock while the context runs (and puts
 * back the one it found on close), so the times the rules read and the times the events carry
 * come from one clock, and a test gives its clock to the application rather than to Axon.
 */
public final class EventClock implements InitializingBean, DisposableBean {

    private final Clock clock;
    private Clock previous;

    public EventClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void afterPropertiesSet() {
        previous = GenericEventMessage.clock;
        GenericEventMessage.clock = clock;
    }

    @Override
    public void destroy() {
        GenericEventMessage.clock = previous;
    }
}
