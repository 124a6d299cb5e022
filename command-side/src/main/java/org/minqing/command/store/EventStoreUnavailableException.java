package org.minqing.command.store;

import org.axonframework.common.AxonTransientException;

/**
 * The event store could not be reached, or did not answer in time. Transient: the client should
 * retry with the same request id. Whether an append whose answer was lost took effect is settled
 * by that retry (see docs/eventstoredb.md).
 */
public class EventStoreUnavailableException extends AxonTransientException {

    public EventStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
