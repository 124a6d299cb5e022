package org.minqing.bench;

/** Samples the server's resident memory twice a second while a load runs; keeps the peak. */
final class RssSampler implements AutoCloseable {

    private final Thread thread;
    private volatile long peakKiB;
    private volatile boolean running = true;

    RssSampler(ServerProcess server) {
        thread = new Thread(() -> {
            while (running) {
                peakKiB = Math.max(peakKiB, server.rssKiB());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    double peakMiB() {
        return peakKiB / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
