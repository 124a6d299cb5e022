package org.minqing.command.handling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.minqing.api.v1.EventMetadata;

/**
 * Carries the command's audit metadata (actor, partner system, correlation and request ids) onto
 * every event it causes, and records the command's own id as the events' causation id.
 *
 * <p>Being a {@link CorrelationDataProvider} bean, it replaces Axon's default message-origin
 * provider, whose "correlationId" means the causing message and would contradict ours.
 */
public class CommandMetadataProvider implements CorrelationDataProvider {

    private static final List<String> CARRIED = List.of(
            EventMetadata.ACTOR_ID, EventMetadata.ACTOR_ROLE, EventMetadata.ACTOR_ORGANIZATION,
            EventMetadata.PARTNER_SYSTEM, EventMetadata.CORRELATION_ID, EventMetadata.REQUEST_ID,
            EventMetadata.METHOD);

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Map<String, Object> data = new HashMap<>();
        for (String key : CARRIED) {
            Object value = message.getMetaData().get(key);
            if (value != null) {
                data.put(key, value);
            }
        }
        data.put(EventMetadata.CAUSATION_ID, message.getIdentifier());
        return data;
    }
}
