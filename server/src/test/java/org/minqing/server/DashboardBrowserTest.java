package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.DispatchCaseRequest;
import org.minqing.api.v1.ListRatesRequest;
import org.minqing.api.v1.ListWorklistItemsRequest;
import org.minqing.api.v1.PeriodGranularity;
import org.minqing.api.v1.Rate;
import org.minqing.api.v1.RateRow;
import org.minqing.api.v1.WorklistItem;
import org.minqing.api.v1.WorklistStatus;

/**
 * The supervisors' dashboard in a real browser (Debian's Chromium driven by playwright-core,
 * dashboard/e2e/dashboard.mjs) against a server with seeded cases, whose clock the test moves so
 * that deadlines pass: logging in (a wrong key refused), the worklist as the API has it, a new
 * overdue case appearing without a reload, the CSV export, a case with its timeline and its chain's
 * verdict, the rates table agreeing with ListRates, and a department that sees only its own cases.
 * The screenshots stay in target/dashboard-screenshots.
 */
class DashboardBrowserTest {

    /** Real time moved forward by the test, so the page and the server agree on today. */
    static final class MovableClock extends Clock {
        volatile Duration ahead = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }

    @TempDir
    static Path dataDir;
    static final MovableClock clock = new MovableClock();
    static MinqingServer server;
    static MinqingClient centre;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir, clock, SupervisionEndToEndTest.FAST_WATCH);
        centre = server.client(MinqingClient.DEV_KEY);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        centre.close();
        server.close();
    }

    /** Reports and dispatches a case (water: two hours to respond under the default policy). */
    static String dispatched(String department, String title) {
        String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("DASH-" + requestId()).toBuilder()
                .setTitle(title).build()).getCase();
        centre.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        long revision = centre.commands.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setDepartment(department).build()).getRevision();
        centre.awaitRevision(name, revision);
        return name;
    }

    static List<WorklistItem> worklist(MinqingClient client) {
        return client.supervision.listWorklistItems(ListWorklistItemsRequest.newBuilder().setPageSize(500).build())
                .getWorklistItemsList();
    }

    @Test
    void aSupervisorWorksTheDashboardAndADepartmentSeesItsOwn() throws Exception {
        List<String> water = List.of(dispatched("water-bureau", "停水 3号楼"), dispatched("water-bureau", "水压低 5号楼"));
        String roads = dispatched("roads-bureau", "路面坑洼");
        clock.ahead = Duration.ofHours(3); // every response deadline has passed
        await("three overdue cases").atMost(Duration.ofSeconds(30)).until(() -> worklist(centre).stream()
                .filter(i -> i.getStatus() == WorklistStatus.WORKLIST_STATUS_OVERDUE).count() == 3);

        Path shots = Path.of("target", "dashboard-screenshots").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("node", "e2e/dashboard.mjs").directory(Path.of("..", "dashboard").toFile())
                .redirectErrorStream(true);
        builder.environment().put("MINQING_HTTP", "http://127.0.0.1:" + server.httpPort());
        builder.environment().put("SCREENSHOTS", shots.toString());
        builder.environment().put("MINQING_CLOCK_AHEAD_MS", Long.toString(clock.ahead.toMillis()));
        Process browser = builder.start();
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        List<String> everything = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    everything.add(line);
                    printed.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try (Writer stdin = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(next(browser, printed, "LOGIN_REFUSED", everything).getStringValue()).contains("密钥无效");
            List<Struct> rows = list(next(browser, printed, "WORKLIST", everything));
            assertThat(rows).extracting(r -> r.getFieldsOrThrow("case").getStringValue())
                    .containsExactlyInAnyOrderElementsOf(worklist(centre).stream().map(WorklistItem::getCase).toList())
                    .contains(water.get(0), water.get(1), roads);
            assertThat(rows).allSatisfy(r -> assertThat(r.getFieldsOrThrow("status").getStringValue()).isEqualTo("已超时"));

            next(browser, printed, "WAITING_FOR_NEW_CASE", everything);
            String late = dispatched("water-bureau", "燃气味 7号楼");
            clock.ahead = Duration.ofHours(6);
            // The page opens the rates later on: let the late case's missed response reach them first,
            // so that the page and ListRates below read the same state.
            await("the late case in the water bureau's response rate").atMost(Duration.ofSeconds(30))
                    .until(() -> responseRate("water-bureau").getDenominator() == 3);
            stdin.write(late + " " + clock.ahead.toMillis() + "\n");
            stdin.flush();
            assertThat(next(browser, printed, "LIVE", everything).getStringValue()).isEqualTo(late);

            String csv = new String(Base64.getDecoder().decode(next(browser, printed, "CSV", everything).getStringValue()), StandardCharsets.UTF_8);
            assertThat(csv).startsWith("\uFEFF工单,");
            assertThat(csv.lines().skip(1)).hasSize(4).anySatisfy(line -> assertThat(line).startsWith(late + ",燃气味 7号楼,"));

            Struct opened = next(browser, printed, "CASE", everything).getStructValue();
            assertThat(opened.getFieldsOrThrow("title").getStringValue()).isEqualTo("燃气味 7号楼");
            assertThat(opened.getFieldsOrThrow("timeline").getNumberValue()).as("reported, accepted, dispatched (and the breach, once recorded)")
                    .isBetween(3.0, 4.0);
            assertThat(opened.getFieldsOrThrow("verdict").getStringValue()).contains("完整");

            Struct rates = next(browser, printed, "RATES", everything).getStructValue();
            String period = rates.getFieldsOrThrow("period").getStringValue();
            YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
            List<RateRow> expected = centre.supervision.listRates(ListRatesRequest.newBuilder()
                    .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_MONTH).setStartDate(period)
                    .setEndDate(month.atEndOfMonth().toString()).setPageSize(1000).build()).getRatesList().stream()
                    .filter(r -> r.getPeriodStart().equals(period)).toList();
            Map<String, List<String>> shown = list(rates.getFieldsOrThrow("rows")).stream().collect(Collectors.toMap(
                    r -> r.getFieldsOrThrow("value").getStringValue(),
                    r -> r.getFieldsOrThrow("cells").getListValue().getValuesList().stream().map(Value::getStringValue).toList()));
            assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(RateRow::getValue).toList())
                    .contains("water-bureau", "roads-bureau");
            for (RateRow row : expected) {
                assertThat(shown.get(row.getValue())).as("the table's rates of %s", row.getValue()).containsExactly(
                        shown(row.getResponseRate()), shown(row.getResolutionRate()), shown(row.getSatisfactionRate()),
                        shown(row.getOnTimeResolutionRate()), shown(row.getReturnRate()), shown(row.getReopenRate()));
            }
            assertThat(shown.get("water-bureau").get(0)).as("no water-bureau case responded in time").isEqualTo("0.0 % (0/3)");

            next(browser, printed, "KEYBOARD", everything);
            List<Struct> departmentRows = list(next(browser, printed, "DEPARTMENT", everything));
            assertThat(departmentRows).extracting(r -> r.getFieldsOrThrow("case").getStringValue())
                    .containsExactlyInAnyOrder(water.get(0), water.get(1), late);
            assertThat(departmentRows).allSatisfy(r -> assertThat(r.getFieldsOrThrow("department").getStringValue())
                    .isEqualTo("water-bureau"));
        }
        assertThat(browser.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(browser.exitValue()).as("the browser script's exit; it printed:%n%s", String.join("\n", everything)).isZero();
        assertThat(everything).as("errors in the page").noneMatch(line -> line.startsWith("PAGE_ERROR"));
        for (String page : List.of("login", "worklist", "case", "rates", "department-tablet")) {
            assertThat(shots.resolve(page + ".png")).as("screenshot of " + page).isNotEmptyFile();
        }
    }

    /** "75.0 % (3/4)", as the page writes a rate. */
    /** The department's response rate this month, as ListRates has it now. */
    static Rate responseRate(String department) {
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        return centre.supervision.listRates(ListRatesRequest.newBuilder()
                        .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_MONTH).setStartDate(month.atDay(1).toString())
                        .setEndDate(month.atEndOfMonth().toString()).setPageSize(1000).build()).getRatesList().stream()
                .filter(r -> r.getValue().equals(department)).map(RateRow::getResponseRate).findFirst()
                .orElse(Rate.getDefaultInstance());
    }

    static String shown(Rate rate) {
        return rate.getDenominator() == 0 ? "— (0/0)"
                : String.format(java.util.Locale.ROOT, "%.1f %% (%d/%d)", rate.getValue() * 100, rate.getNumerator(), rate.getDenominator());
    }

    /** The value of the next line tagged {@code tag} (the page's script prints "TAG json"). */
    static Value next(Process browser, BlockingQueue<String> printed, String tag, List<String> everything) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < until) {
            String line = printed.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                if (!browser.isAlive() && printed.isEmpty()) {
                    break; // it ended without printing it
                }
                continue;
            }
            if (line.equals(tag)) {
                return Value.getDefaultInstance();
            }
            if (line.startsWith(tag + " ")) {
                Value.Builder value = Value.newBuilder();
                JsonFormat.parser().merge(line.substring(tag.length() + 1), value);
                return value.build();
            }
        }
        throw new AssertionError("the browser script printed no " + tag + "; it printed:\n" + String.join("\n", everything));
    }

    static List<Struct> list(Value value) {
        return value.getListValue().getValuesList().stream().map(Value::getStructValue).toList();
    }
}
