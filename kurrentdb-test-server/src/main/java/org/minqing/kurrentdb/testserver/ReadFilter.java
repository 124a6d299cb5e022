package org.minqing.kurrentdb.testserver;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadReq.Options.FilterOptions;

/**
 * A server-side {@code $all} filter: on the stream name or the event type, by prefixes (any of
 * them) or by a regular expression (matched anywhere in the name, as the server's .NET regex does
 * unless the pattern is anchored).
 */
final class ReadFilter {

    private ReadFilter() {
    }

    static Predicate<Recorded> of(FilterOptions options) {
        return switch (options.getFilterCase()) {
            case STREAM_IDENTIFIER -> {
                Predicate<String> names = matching(options.getStreamIdentifier());
                yield record -> names.test(record.stream());
            }
            case EVENT_TYPE -> {
                Predicate<String> types = matching(options.getEventType());
                yield record -> types.test(record.type());
            }
            case FILTER_NOT_SET -> record -> true;
        };
    }

    /**
     * Records scanned per checkpoint: the client's search window ({@code max}, 32 when it sends
     * none, as the server's default) times its checkpoint interval multiplier (1 when none).
     */
    static int checkpointInterval(FilterOptions options) {
        int window = options.getWindowCase() == FilterOptions.WindowCase.MAX && options.getMax() > 0 ? options.getMax() : 32;
        return window * Math.max(1, options.getCheckpointIntervalMultiplier());
    }

    private static Predicate<String> matching(FilterOptions.Expression expression) {
        List<String> prefixes = expression.getPrefixList();
        if (!prefixes.isEmpty()) {
            return value -> value != null && prefixes.stream().anyMatch(value::startsWith);
        }
        Pattern pattern = Pattern.compile(expression.getRegex());
        return value -> value != null && pattern.matcher(value).find();
    }
}
