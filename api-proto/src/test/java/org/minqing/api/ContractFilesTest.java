package org.minqing.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.protobuf.Descriptors.FileDescriptor;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.AuditServiceProto;
import org.minqing.api.v1.CaseCommandServiceProto;
import org.minqing.api.v1.CaseQueryServiceProto;
import org.minqing.api.v1.EventsProto;
import org.minqing.api.v1.SupervisionServiceProto;

/** The jar carries the .proto files of the contract, under their import paths, for clients to generate from. */
class ContractFilesTest {

    @Test
    void everyFileOfTheContractIsInTheJarUnderItsImportPath() throws IOException {
        List<FileDescriptor> services = List.of(CaseCommandServiceProto.getDescriptor(), CaseQueryServiceProto.getDescriptor(),
                SupervisionServiceProto.getDescriptor(), AuditServiceProto.getDescriptor(), EventsProto.getDescriptor());
        for (FileDescriptor file : services) {
            for (FileDescriptor each : withDependencies(file)) {
                if (each.getName().startsWith("google/")) {
                    continue; // protobuf's own, in protobuf-java
                }
                try (InputStream source = getClass().getClassLoader().getResourceAsStream(each.getName())) {
                    assertThat(source).as(each.getName() + " in the jar").isNotNull();
                    assertThat(new String(source.readAllBytes(), StandardCharsets.UTF_8)).contains("package minqing.v1;");
                }
            }
        }
    }

    private static List<FileDescriptor> withDependencies(FileDescriptor file) {
        List<FileDescriptor> all = new java.util.ArrayList<>(List.of(file));
        file.getDependencies().forEach(d -> all.addAll(withDependencies(d)));
        return all;
    }
}
