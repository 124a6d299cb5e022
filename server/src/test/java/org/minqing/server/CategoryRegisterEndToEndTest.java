package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.rpc.BadRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.Category;
import org.minqing.api.v1.CategoryServiceGrpc;
import org.minqing.api.v1.CreateCategoryRequest;
import org.minqing.api.v1.GetCategoryRequest;
import org.minqing.api.v1.ListCategoriesRequest;
import org.minqing.api.v1.ListUnregisteredCategoriesRequest;
import org.minqing.api.v1.UnregisteredCategory;
import org.minqing.api.v1.UpdateCategoryRequest;

/**
 * The category register over gRPC: operators create and change categories (with an etag against
 * lost updates), everyone lists them, the categories cases carry outside the register are listed
 * for migration, and once the register is enforced a report must carry a registered, unretired one.
 */
class CategoryRegisterEndToEndTest {

    @TempDir
    Path dataDir;

    static CategoryServiceGrpc.CategoryServiceBlockingStub categories(MinqingClient client, String key) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        return CategoryServiceGrpc.newBlockingStub(client.channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static Category streetlights() {
        return Category.newBuilder().setDisplayName("路灯").setEnglishName("Street lights").setGroup("城市管理")
                .addKeywords("路灯不亮").addKeywords("street light").setDefaultDepartment("roads-bureau")
                .setDescription("路灯不亮、灯杆损坏").build();
    }

    @Test
    void operatorsKeepTheRegisterAndEveryoneReadsIt() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            var operator = categories(client, MinqingClient.OPERATOR_KEY);
            var partner = categories(client, MinqingClient.PARTNER_KEY);

            Category created = operator.createCategory(CreateCategoryRequest.newBuilder().setCategoryId("streetlights")
                    .setCategory(streetlights()).build());
            assertThat(created.getName()).isEqualTo("categories/streetlights");
            assertThat(created.getUpdatedBy()).isEqualTo("dev-operator");
            assertThat(created.getEtag()).isNotEmpty();
            assertThat(partner.listCategories(ListCategoriesRequest.getDefaultInstance()).getCategoriesList())
                    .extracting(Category::getName).contains("categories/streetlights", "categories/water");
            assertThat(partner.getCategory(GetCategoryRequest.newBuilder().setName("categories/water").build())
                    .getDisplayName()).as("from the dev profile's seed").isEqualTo("供水");

            assertThat(code(() -> operator.createCategory(CreateCategoryRequest.newBuilder().setCategoryId("streetlights")
                    .setCategory(streetlights()).build()))).isEqualTo(Status.Code.ALREADY_EXISTS);
            StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class, () -> operator.createCategory(
                    CreateCategoryRequest.newBuilder().setCategoryId("no spaces").setCategory(Category.getDefaultInstance()).build()));
            assertThat(fields(invalid)).containsExactlyInAnyOrder("category_id", "category.display_name");

            Category renamed = operator.updateCategory(UpdateCategoryRequest.newBuilder().setCategory(
                    created.toBuilder().setDisplayName("路灯照明")).build());
            assertThat(renamed.getDisplayName()).isEqualTo("路灯照明");
            assertThat(renamed.getEtag()).isNotEqualTo(created.getEtag());
            assertThat(code(() -> operator.updateCategory(UpdateCategoryRequest.newBuilder().setCategory(
                    created.toBuilder().setDisplayName("lost update")).build())))
                    .as("an update from the first read, after the rename").isEqualTo(Status.Code.ABORTED);
            assertThat(code(() -> operator.updateCategory(UpdateCategoryRequest.newBuilder().setCategory(
                    streetlights().toBuilder().setName("categories/nothing-here")).build()))).isEqualTo(Status.Code.NOT_FOUND);

            operator.updateCategory(UpdateCategoryRequest.newBuilder().setCategory(renamed.toBuilder().setRetired(true)).build());
            assertThat(partner.listCategories(ListCategoriesRequest.getDefaultInstance()).getCategoriesList())
                    .extracting(Category::getName).doesNotContain("categories/streetlights");
            assertThat(partner.listCategories(ListCategoriesRequest.newBuilder().setShowRetired(true).build()).getCategoriesList())
                    .extracting(Category::getName).contains("categories/streetlights");
        }
    }

    @Test
    void freeTextCategoriesAreListedForMigrationAndRefusedOnceTheRegisterIsEnforced() throws Exception {
        String free = "potholes-and-more";
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("CAT-1").toBuilder().setCategory(free).build())
                    .getCase();
            client.awaitRevision(name, 1);
            List<UnregisteredCategory> unregistered = categories(client, MinqingClient.OPERATOR_KEY)
                    .listUnregisteredCategories(ListUnregisteredCategoriesRequest.getDefaultInstance()).getCategoriesList();
            assertThat(unregistered).containsExactly(UnregisteredCategory.newBuilder().setCode(free).setCaseCount(1).build());
        }
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.category-register.enforced=true");
             MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                    client.commands.reportCase(CaseLifecycleEndToEndTest.report("CAT-2").toBuilder().setCategory(free).build()));
            assertThat(fields(refused)).containsExactly("category");
            assertThat(client.commands.reportCase(CaseLifecycleEndToEndTest.report("CAT-3").toBuilder().setCategory("water")
                    .build()).getRevision()).isEqualTo(1);
        }
    }

    @Test
    void aCategoryFollowsTheDeadlineRulesOfItsDeadlineClass() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            var operator = categories(client, MinqingClient.OPERATOR_KEY);
            operator.createCategory(CreateCategoryRequest.newBuilder().setCategoryId("burst-main")
                    .setCategory(streetlights().toBuilder().setDisplayName("爆管").setDeadlineClass("water")).build());
            operator.createCategory(CreateCategoryRequest.newBuilder().setCategoryId("dripping-tap")
                    .setCategory(streetlights().toBuilder().setDisplayName("滴漏")).build());
            // the default rules: water 2 h to respond; a normal case of a category without a rule, 24 h.
            // The deadline is reckoned from the handler's reading of the clock, the dispatch time is
            // the event's own (kept to the millisecond), read a moment later: they may be a
            // millisecond apart, which whole seconds turned into a second now and then.
            assertThat(responseLimit(client, "burst-main")).isCloseTo(Duration.ofHours(2), Duration.ofMillis(50));
            assertThat(responseLimit(client, "dripping-tap")).isCloseTo(Duration.ofHours(24), Duration.ofMillis(50));
        }
    }

    private static Duration responseLimit(MinqingClient client, String category) {
        String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("DL-" + category).toBuilder()
                .setCategory(category).build()).getCase();
        client.commands.acceptCase(org.minqing.api.v1.AcceptCaseRequest.newBuilder().setName(name)
                .setRequestId(MinqingClient.requestId()).build());
        long revision = client.commands.dispatchCase(org.minqing.api.v1.DispatchCaseRequest.newBuilder().setName(name)
                .setRequestId(MinqingClient.requestId()).setDepartment("water-bureau").build()).getRevision();
        org.minqing.api.v1.Case dispatched = client.awaitRevision(name, revision);
        return Duration.between(java.time.Instant.ofEpochSecond(dispatched.getDispatchTime().getSeconds(),
                        dispatched.getDispatchTime().getNanos()),
                java.time.Instant.ofEpochSecond(dispatched.getResponseDeadline().getSeconds(),
                        dispatched.getResponseDeadline().getNanos()));
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static List<String> fields(StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(BadRequest.class)).flatMap(d -> {
            try {
                return d.unpack(BadRequest.class).getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField);
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new IllegalStateException(x);
            }
        }).toList();
    }
}
