package org.minqing.edge.http;

import com.google.protobuf.Descriptors.Descriptor;
import io.grpc.MethodDescriptor;

/**
 * One method of the API as the HTTP face calls it: the gRPC method with its messages as bytes, and
 * the message types a JSON body is read into and an answer written from.
 */
record Procedure(MethodDescriptor<byte[], byte[]> method, Descriptor input, Descriptor output) {

    boolean serverStreaming() {
        return method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
    }
}
