package org.minqing.command.store;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;

/**
 * Stores protobuf event payloads as protobuf's canonical JSON, typed by the message's full name
 * (e.g. {@code minqing.v1.CaseReported}), so the stored events are readable by any tool and decodable
 * from the published {@code .proto} files alone. Everything else (event metadata, tokens) goes to
 * the delegate.
 *
 * <p>The JSON is compact and prints fields in field-number order, so serializing the same message
 * always yields the same bytes. Unknown fields are ignored on read, so older code can read events
 * written by newer code.
 */
public class ProtobufJsonSerializer implements Serializer {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final Serializer delegate;
    private final Map<String, Class<? extends Message>> messageTypes = new ConcurrentHashMap<>();

    /**
     * @param delegate    serializes everything that is not a protobuf message
     * @param eventFiles  the .proto files whose messages may be stored
     */
    public ProtobufJsonSerializer(Serializer delegate, List<Descriptors.FileDescriptor> eventFiles) {
        this.delegate = delegate;
        for (Descriptors.FileDescriptor file : eventFiles) {
            for (Descriptors.Descriptor type : file.getMessageTypes()) {
                messageTypes.put(type.getFullName(), javaClass(file, type));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Message> javaClass(Descriptors.FileDescriptor file, Descriptors.Descriptor type) {
        String className = file.getOptions().getJavaPackage() + "." + type.getName();
        try {
            return (Class<? extends Message>) Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated class " + className + " for " + type.getFullName(), e);
        }
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (!(object instanceof Message message)) {
            return delegate.serialize(object, expectedRepresentation);
        }
        try {
            byte[] json = PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
            return new SimpleSerializedObject<>(getConverter().convert(json, expectedRepresentation),
                    expectedRepresentation, typeForClass(object.getClass()));
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return getConverter().canConvert(byte[].class, expectedRepresentation);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        Class<? extends Message> type = messageTypes.get(serializedObject.getType().getName());
        if (type == null) {
            return delegate.deserialize(serializedObject);
        }
        String json = new String(getConverter().convert(serializedObject.getData(), byte[].class),
                StandardCharsets.UTF_8);
        try {
            Message.Builder builder = (Message.Builder) type.getMethod("newBuilder").invoke(null);
            PARSER.merge(json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException | NoSuchMethodException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new SerializationException("cannot read a stored " + serializedObject.getType().getName(), e);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        Class<? extends Message> messageType = messageTypes.get(type.getName());
        return messageType != null ? messageType : delegate.classForType(type);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        if (Message.class.isAssignableFrom(type)) {
            return new SimpleSerializedType(descriptorOf(type).getFullName(), null);
        }
        return delegate.typeForClass(type);
    }

    private static Descriptors.Descriptor descriptorOf(Class<?> type) {
        try {
            return (Descriptors.Descriptor) type.getMethod("getDescriptor").invoke(null);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new SerializationException("not a generated protobuf message: " + type.getName(), e);
        }
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }
}
