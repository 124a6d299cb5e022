package org.minqing.projections;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import org.minqing.api.v1.Attachment;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.Location;
import org.minqing.api.v1.Urgency;

/** Events as the Case aggregate would record them, with recognisable personal data. */
public final class SampleEvents {

    public static final String CITIZEN_NAME = "王小明";
    public static final String CITIZEN_PHONE = "13800138000";
    public static final String CITIZEN_ID_NUMBER = "110101199001011234";
    public static final String ADDRESS = "北京市东城区和平里七区12号楼3单元401";

    private SampleEvents() {
    }

    public static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static CaseReported.Builder reported(String caseId, Instant reportTime) {
        return CaseReported.newBuilder()
                .setCaseId(caseId)
                .setChannel(Channel.CHANNEL_HOTLINE_12345)
                .setPartnerReference("ref-" + caseId)
                .setCitizen(Citizen.newBuilder().setName(CITIZEN_NAME).setPhone(CITIZEN_PHONE)
                        .setIdNumber(CITIZEN_ID_NUMBER))
                .setCategory("water")
                .setUrgency(Urgency.URGENCY_URGENT)
                .setTitle("No water since this morning")
                .setDescription("The whole building has had no water since 6 am.")
                .setLocation(Location.newBuilder().setAddress(ADDRESS).setDistrict("dongcheng").setGrid("hpl-07")
                        .setPosition(GeoPoint.newBuilder().setLatitude(39.9612).setLongitude(116.4187)))
                .addAttachments(Attachment.newBuilder().setUri("https://files.example/p1.jpg")
                        .setSha256("a".repeat(64)).setMediaType("image/jpeg"))
                .setReportTime(ts(reportTime));
    }

    public static CaseDispatched.Builder dispatched(String caseId, String department, Instant respondBy,
                                                    Instant resolveBy) {
        return CaseDispatched.newBuilder().setCaseId(caseId).setDepartment(department)
                .setDeadlines(deadlines(respondBy, resolveBy));
    }

    public static Deadlines deadlines(Instant respondBy, Instant resolveBy) {
        Deadlines.Builder d = Deadlines.newBuilder();
        if (respondBy != null) {
            d.setResponseDeadline(ts(respondBy));
        }
        if (resolveBy != null) {
            d.setResolutionDeadline(ts(resolveBy));
        }
        return d.build();
    }
}
