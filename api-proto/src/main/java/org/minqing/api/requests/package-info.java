/**
 * The API's rules for requests, shared by every transport: resource names (AIP-122), the checks
 * many methods share, and how a refusal names its offending fields. Nothing here knows gRPC; the
 * edge turns an {@link org.minqing.api.requests.InvalidRequestException} into its transport's answer.
 */
package org.minqing.api.requests;
