package org.minqing.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** Starts the assembled application the way its jar does, on a free port and a given data dir. */
final class MinqingServer implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final int port;

    private MinqingServer(ConfigurableApplicationContext context, int port) {
        this.context = context;
        this.port = port;
    }

    static MinqingServer start(Path dataDir, String... extraProperties) {
        return start(dataDir, null, extraProperties);
    }

    /** With {@code clock} as the application's Clock bean (null: the system clock). */
    static MinqingServer start(Path dataDir, java.time.Clock clock, String... extraProperties) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        AtomicInteger port = new AtomicInteger();
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=dev", "--minqing.data-dir=" + dataDir,
                "--spring.grpc.server.port=0", "--server.port=0", "--management.server.port=0"));
        if (java.util.Arrays.stream(extraProperties).noneMatch(p -> p.startsWith("logging.level.minqing.requests="))) {
            args.add("--logging.level.minqing.requests=WARN"); // a line per call would bury the test output
        }
        for (String property : TestDatabase.propertiesFor(dataDir)) {
            args.add("--" + property);
        }
        for (String property : extraProperties) {
            args.add("--" + property);
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(MinqingApplication.class);
        if (clock != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", clock));
        }
        ConfigurableApplicationContext context = builder
                .listeners(event -> {
                    if (event instanceof GrpcServerStartedEvent started && started.getPort() > 0) { // not the in-process one
                        port.set(started.getPort());
                    }
                })
                .run(args.toArray(String[]::new));
        return new MinqingServer(context, port.get());
    }

    /** The management port (HTTP: Actuator's probes and metrics). */
    int managementPort() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
    }

    /** The HTTP port (the API as HTTP and JSON). */
    int httpPort() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    MinqingClient client(String apiKey) {
        return new MinqingClient(port, apiKey);
    }

    @Override
    public void close() {
        context.close();
    }
}
