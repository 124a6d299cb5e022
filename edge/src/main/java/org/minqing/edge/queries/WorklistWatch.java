package org.minqing.edge.queries;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.stub.ServerCallStreamObserver;
import org.minqing.api.v1.WorklistChange;
import org.minqing.api.v1.WorklistFilter;
import org.minqing.api.v1.WorklistItem;
import org.minqing.query.supervision.Worklist;

/**
 * One WatchWorklist stream: re-reads the worklist every interval (items also move by the clock
 * alone, from at risk to overdue) and sends the differences from what the client last got. Only
 * what was sent is remembered, so a client that cannot keep up gets the changes later, merged.
 * Watches the first {@link #MAX_ITEMS} items of the list.
 */
public final class WorklistWatch extends PollingWatch<WorklistChange> {

    public static final int MAX_ITEMS = 1000;

    private final Worklist worklist;
    private final WorklistFilter filter;
    private final Map<String, WorklistItem> sent = new HashMap<>();

    /** @param onStop run when the stream ends, however it ends (it may run more than once) */
    public WorklistWatch(Worklist worklist, WorklistFilter filter, ServerCallStreamObserver<WorklistChange> observer,
                         Runnable onStop) {
        super(observer, onStop);
        this.worklist = worklist;
        this.filter = filter;
    }

    @Override
    protected void poll() {
        List<WorklistItem> items = worklist.read(filter, null, "", MAX_ITEMS);
        Set<String> current = new HashSet<>();
        for (WorklistItem item : items) {
            current.add(item.getCase());
            WorklistItem before = sent.get(item.getCase());
            if (!item.equals(before) && !send(before == null ? WorklistChange.Type.TYPE_ENTERED
                    : WorklistChange.Type.TYPE_CHANGED, item)) {
                return;
            }
        }
        for (WorklistItem gone : List.copyOf(sent.values())) {
            if (!current.contains(gone.getCase()) && !send(WorklistChange.Type.TYPE_LEFT, gone)) {
                return;
            }
        }
    }

    @Override
    protected String unavailable() {
        return "the worklist could not be read; watch again";
    }

    @Override
    public String toString() {
        return "worklist watch";
    }

    /** Sends one change if the client can take it; false to stop this round. */
    private boolean send(WorklistChange.Type type, WorklistItem item) {
        if (!observer.isReady()) {
            return false;
        }
        observer.onNext(WorklistChange.newBuilder().setType(type).setItem(item).build());
        if (type == WorklistChange.Type.TYPE_LEFT) {
            sent.remove(item.getCase());
        } else {
            sent.put(item.getCase(), item);
        }
        return true;
    }
}
