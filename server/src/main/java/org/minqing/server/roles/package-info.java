/**
 * One configuration per role ({@code minqing.roles.command|projections|query|audit}, all on by
 * default): each declares what its role needs, so a process that does not play a role builds none
 * of its beans. What every role shares (the event store, snapshots, the deadline policy, the gRPC
 * interceptors) is imported by the application itself.
 */
package org.minqing.server.roles;
