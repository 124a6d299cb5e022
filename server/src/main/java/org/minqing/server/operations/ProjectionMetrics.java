package org.minqing.server.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * {@code minqing.projection.behind{processor}}: positions between the head of the event log and
 * each processor (events on the JDBC engines), and {@code minqing.projection.failed{processor}}
 * (1 while a segment is in error). Registered once the processors run (Axon starts them with the
 * application's lifecycle).
 */
public class ProjectionMetrics implements ApplicationListener<ApplicationReadyEvent> {

    private final ProjectionLag lag;
    private final MeterRegistry meters;

    public ProjectionMetrics(ProjectionLag lag, MeterRegistry meters) {
        this.lag = lag;
        this.meters = meters;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        for (ProjectionLag.Processor processor : lag.now()) {
            String name = processor.name();
            Gauge.builder("minqing.projection.behind", lag,
                            l -> l.now(name).map(ProjectionLag.Processor::behind).orElse(0L))
                    .tag("processor", name).description("positions behind the head of the event log")
                    .register(meters);
            Gauge.builder("minqing.projection.failed", lag,
                            l -> l.now(name).filter(ProjectionLag.Processor::failed).isPresent() ? 1 : 0)
                    .tag("processor", name).description("1 while a segment of the processor is in error")
                    .register(meters);
        }
    }
}
