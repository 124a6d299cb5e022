package org.minqing.edge.open311;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

/**
 * An Open311 answer — a list of records, each an ordered map of fields — written as the spec gives
 * it in JSON ({@code [{…}, …]}) or XML ({@code <services><service>…</service></services>}). A field
 * is a string, a boolean, a number, null, a list of strings or of records.
 */
final class Open311Documents {

    /** The two formats, by the extension of the path. */
    enum Format {
        JSON("application/json; charset=utf-8"), XML("text/xml; charset=utf-8");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    /**
     * @param root   the XML root element (services, service_requests, errors …)
     * @param item   the XML element of each record (service, request, error …)
     */
    record Document(String root, String item, List<Map<String, Object>> records) {
    }

    private Open311Documents() {
    }

    static byte[] json(Document document) throws IOException {
        ListValue.Builder list = ListValue.newBuilder();
        document.records().forEach(record -> list.addValues(value(record)));
        return JsonFormat.printer().omittingInsignificantWhitespace().print(list.build()).getBytes(StandardCharsets.UTF_8);
    }

    /** A single record rather than a list (a service definition). */
    static byte[] json(Map<String, Object> record) throws IOException {
        return JsonFormat.printer().omittingInsignificantWhitespace().print(value(record).getStructValue())
                .getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Value value(Object field) {
        if (field == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (field instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (field instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (field instanceof Map<?, ?> map) {
            Struct.Builder struct = Struct.newBuilder();
            ((Map<String, Object>) map).forEach((k, v) -> struct.putFields(k, value(v)));
            return Value.newBuilder().setStructValue(struct).build();
        }
        if (field instanceof List<?> items) {
            ListValue.Builder list = ListValue.newBuilder();
            items.forEach(item -> list.addValues(value(item)));
            return Value.newBuilder().setListValue(list).build();
        }
        return Value.newBuilder().setStringValue(field.toString()).build();
    }

    static byte[] xml(Document document) throws IOException {
        try {
            StringWriter text = new StringWriter();
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement(document.root());
            for (Map<String, Object> record : document.records()) {
                element(xml, document.item(), record);
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
            return text.toString().getBytes(StandardCharsets.UTF_8);
        } catch (XMLStreamException e) {
            throw new IOException("the answer could not be written as XML", e);
        }
    }

    /** A single record as its own root element (a service definition). */
    static byte[] xml(String root, Map<String, Object> record) throws IOException {
        try {
            StringWriter text = new StringWriter();
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            element(xml, root, record);
            xml.writeEndDocument();
            xml.close();
            return text.toString().getBytes(StandardCharsets.UTF_8);
        } catch (XMLStreamException e) {
            throw new IOException("the answer could not be written as XML", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void element(XMLStreamWriter xml, String name, Object field) throws XMLStreamException {
        if (field instanceof List<?> items) {
            // a list: <keywords>a,b</keywords> for strings; <attributes><attribute>…</attribute></attributes> for records
            if (items.stream().allMatch(i -> i instanceof String)) {
                xml.writeStartElement(name);
                xml.writeCharacters(String.join(",", (List<String>) items));
                xml.writeEndElement();
                return;
            }
            xml.writeStartElement(name);
            for (Object item : items) {
                element(xml, singular(name), item);
            }
            xml.writeEndElement();
            return;
        }
        xml.writeStartElement(name);
        if (field instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
                element(xml, entry.getKey(), entry.getValue());
            }
        } else if (field != null) {
            xml.writeCharacters(field.toString());
        }
        xml.writeEndElement();
    }

    /** attributes → attribute, values → value, service_requests → service_request. */
    private static String singular(String plural) {
        return plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
    }
}
