package org.minqing.kurrentdb.testserver;

/** The expected stream state of an append, as on the wire: a revision, or one of the special states. */
record Expected(Kind kind, long revision) {

    enum Kind { REVISION, NO_STREAM, ANY, STREAM_EXISTS }

    static Expected revision(long revision) {
        return new Expected(Kind.REVISION, revision);
    }

    static Expected of(Kind kind) {
        return new Expected(kind, -1);
    }
}
