package org.minqing.api.v1;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.google.protobuf.Descriptors.MethodDescriptor;

/**
 * The roles of {@code access.proto} by the names configuration and event metadata use
 * ({@code dispatcher}, {@code grid_worker}, …), and the roles a method admits.
 */
public final class Roles {

    private static final String PREFIX = "ROLE_";

    private Roles() {
    }

    /** The role's name in configuration and in the {@link EventMetadata#ACTOR_ROLE} of events. */
    public static String name(Role role) {
        return role.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    /** The role of that name; empty for an unknown name (or "unspecified"). */
    public static Optional<Role> parse(String name) {
        return Arrays.stream(Role.values())
                .filter(role -> role != Role.ROLE_UNSPECIFIED && role != Role.UNRECOGNIZED && name(role).equals(name))
                .findFirst();
    }

    /** Every role's name, for messages that say what is accepted. */
    public static List<String> names() {
        return Arrays.stream(Role.values())
                .filter(role -> role != Role.ROLE_UNSPECIFIED && role != Role.UNRECOGNIZED)
                .map(Roles::name).toList();
    }

    /** The roles the method's {@code (minqing.v1.access)} option admits; none when it has no option. */
    public static List<Role> allowed(MethodDescriptor method) {
        return method.getOptions().getExtension(AccessProto.access).getRolesList();
    }

    /** Whether a caller acting in this role is a handling unit, limited to the cases it holds. */
    public static boolean handlesCases(String roleName) {
        return name(Role.ROLE_DEPARTMENT).equals(roleName) || name(Role.ROLE_GRID_WORKER).equals(roleName);
    }
}
