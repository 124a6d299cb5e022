package org.minqing.edge.categories;

import static org.minqing.edge.Responses.respond;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.Category;
import org.minqing.api.v1.CategoryServiceGrpc;
import org.minqing.api.v1.CreateCategoryRequest;
import org.minqing.api.v1.GetCategoryRequest;
import org.minqing.api.v1.ListCategoriesRequest;
import org.minqing.api.v1.ListCategoriesResponse;
import org.minqing.api.v1.ListUnregisteredCategoriesRequest;
import org.minqing.api.v1.ListUnregisteredCategoriesResponse;
import org.minqing.api.v1.UnregisteredCategory;
import org.minqing.api.v1.UpdateCategoryRequest;
import org.minqing.edge.Caller;
import org.minqing.query.cases.CaseCategories;
import org.springframework.dao.DuplicateKeyException;

/** CategoryService: the register, read by all who report or read, kept by operators (docs/api.md, "Categories"). */
public class CategoryGrpcService extends CategoryServiceGrpc.CategoryServiceImplBase {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final String PREFIX = "categories/";

    private final CategoryRegister register;
    private final CaseCategories caseCategories;
    private final Clock clock;

    public CategoryGrpcService(CategoryRegister register, CaseCategories caseCategories, Clock clock) {
        this.register = register;
        this.caseCategories = caseCategories;
        this.clock = clock;
    }

    @Override
    public void listCategories(ListCategoriesRequest request, StreamObserver<ListCategoriesResponse> observer) {
        respond(observer, () -> ListCategoriesResponse.newBuilder().addAllCategories(register.list(request.getShowRetired())).build());
    }

    @Override
    public void getCategory(GetCategoryRequest request, StreamObserver<Category> observer) {
        respond(observer, () -> {
            String code = code("name", request.getName());
            return register.find(code).orElseThrow(() -> notFound(request.getName()));
        });
    }

    @Override
    public void createCategory(CreateCategoryRequest request, StreamObserver<Category> observer) {
        respond(observer, () -> {
            FieldViolations violations = new FieldViolations();
            String code = request.getCategoryId();
            violations.check(CODE.matcher(code).matches(), "category_id", "required: 1-128 letters, digits, '.', '_' or '-'");
            validate("category.", request.getCategory(), violations);
            violations.throwIfAny();
            try {
                return register.create(code, request.getCategory(), Caller.current().id(), clock.instant());
            } catch (DuplicateKeyException taken) {
                throw Status.ALREADY_EXISTS.withDescription("category " + PREFIX + code
                        + " exists (a retired code too: a code never changes meaning); UpdateCategory changes it").asRuntimeException();
            }
        });
    }

    @Override
    public void updateCategory(UpdateCategoryRequest request, StreamObserver<Category> observer) {
        respond(observer, () -> {
            FieldViolations violations = new FieldViolations();
            String name = request.getCategory().getName();
            String code = name.startsWith(PREFIX) && CODE.matcher(name.substring(PREFIX.length())).matches()
                    ? name.substring(PREFIX.length()) : null;
            violations.check(code != null, "category.name", "required: categories/{code}");
            validate("category.", request.getCategory(), violations);
            violations.throwIfAny();
            if (register.find(code).isEmpty()) {
                throw notFound(name);
            }
            return register.update(code, request.getCategory(), request.getCategory().getEtag(), Caller.current().id(),
                    clock.instant()).orElseThrow(() -> Status.ABORTED.withDescription("category " + name
                    + " changed since it was read (etag " + request.getCategory().getEtag() + "): read it again").asRuntimeException());
        });
    }

    @Override
    public void listUnregisteredCategories(ListUnregisteredCategoriesRequest request,
                                           StreamObserver<ListUnregisteredCategoriesResponse> observer) {
        respond(observer, () -> {
            Set<String> registered = new HashSet<>();
            register.list(true).forEach(c -> registered.add(c.getName().substring(PREFIX.length())));
            ListUnregisteredCategoriesResponse.Builder response = ListUnregisteredCategoriesResponse.newBuilder();
            for (Map.Entry<String, Long> used : caseCategories.counts().entrySet()) {
                if (!registered.contains(used.getKey())) {
                    response.addCategories(UnregisteredCategory.newBuilder().setCode(used.getKey()).setCaseCount(used.getValue()));
                }
            }
            return response.build();
        });
    }

    private static void validate(String prefix, Category category, FieldViolations violations) {
        violations.requireText(prefix + "display_name", category.getDisplayName(), 200);
        violations.limitText(prefix + "english_name", category.getEnglishName(), 200);
        violations.limitText(prefix + "group", category.getGroup(), 200);
        violations.limitText(prefix + "default_department", category.getDefaultDepartment(), 128);
        violations.limitText(prefix + "deadline_class", category.getDeadlineClass(), 128);
        violations.limitText(prefix + "description", category.getDescription(), 1000);
        violations.limitSize(prefix + "keywords", category.getKeywordsList(), 50);
        List<String> keywords = category.getKeywordsList();
        for (int i = 0; i < Math.min(keywords.size(), 50); i++) {
            violations.requireText(prefix + "keywords[" + i + "]", keywords.get(i), 64);
            violations.check(!keywords.get(i).contains("\n"), prefix + "keywords[" + i + "]", "one line");
        }
    }

    private static String code(String field, String name) {
        FieldViolations violations = new FieldViolations();
        boolean valid = name.startsWith(PREFIX) && CODE.matcher(name.substring(PREFIX.length())).matches();
        violations.check(valid, field, "required: categories/{code}");
        violations.throwIfAny();
        return name.substring(PREFIX.length());
    }

    private static io.grpc.StatusRuntimeException notFound(String name) {
        return Status.NOT_FOUND.withDescription("category " + name + " not found").asRuntimeException();
    }
}
