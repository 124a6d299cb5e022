package org.minqing.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.EventsProto;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.Location;
import org.minqing.api.v1.PersonalDataCipher;
import org.minqing.api.v1.PersonalDataState;
import org.minqing.api.v1.SealedPersonalData;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Sealing and opening personal fields, the key store's refusals, erasure and rotation. */
class EnvelopesTest {

    private static final CaseReported REPORT = CaseReported.newBuilder()
            .setCaseId("c1").setTitle("路灯不亮").setCategory("street-lights").setDescription("我家门口的路灯坏了")
            .setCitizen(Citizen.newBuilder().setName("王小明").setPhone("138-0013-8000").setIdNumber("11010519491231002x"))
            .setLocation(Location.newBuilder().setAddress("朝阳区幸福路 12 号").setDistrict("110105").setGrid("g-7")
                    .setPosition(GeoPoint.newBuilder().setLatitude(39.9).setLongitude(116.4)))
            .build();

    private static final PersonalDataCipher AES = PersonalDataCipher.PERSONAL_DATA_CIPHER_AES_256_GCM;
    private static final PersonalDataCipher SM4 = PersonalDataCipher.PERSONAL_DATA_CIPHER_SM4_GCM;

    private final JdbcTemplate jdbc = database();
    private final MasterKey master = MasterKey.parse(MasterKey.generate(), "test");
    private final DataKeys keys = keys(master, List.of());
    private final Envelopes envelopes = new Envelopes(keys);

    @Test
    void theContractMarksWhatIsPersonalAndEveryEventThatHoldsSomeHasAnEnvelope() {
        List<String> holding = EventsProto.getDescriptor().getMessageTypes().stream()
                .filter(PersonalFields::holdsPersonalData).map(Descriptor::getName).toList();
        assertThat(holding).containsExactlyInAnyOrder("CaseReported", "CitizenContacted", "VisitScheduled",
                "VisitRescheduled", "VisitCheckedIn", "FeedbackRecorded");
        for (Descriptor event : EventsProto.getDescriptor().getMessageTypes()) {
            assertThat(PersonalFields.envelope(event) != null).as(event.getName() + " has an envelope")
                    .isEqualTo(PersonalFields.holdsPersonalData(event));
            for (FieldDescriptor field : event.getFields()) {
                if (field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    assertThat(PersonalFields.holdsPersonalData(field.getMessageType()))
                            .as("%s.%s: personal data in a repeated field is not sealed", event.getName(), field.getName())
                            .isFalse();
                }
            }
        }
    }

    @Test
    void aSealedReportHoldsNoPersonalDataAndOpensToTheOriginal() {
        String citizen = keys.citizenOf(REPORT.getCitizen(), "c1");
        CaseReported sealed = (CaseReported) Envelopes.seal(REPORT, keys.liveKeyOf(citizen), AES);

        assertThat(sealed.getCitizen()).isEqualTo(Citizen.getDefaultInstance());
        assertThat(sealed.getDescription()).isEmpty();
        assertThat(sealed.getLocation().getAddress()).isEmpty();
        assertThat(sealed.getLocation().hasPosition()).isFalse();
        assertThat(sealed.getLocation().getDistrict()).as("not personal: stays").isEqualTo("110105");
        assertThat(sealed.getTitle()).isEqualTo("路灯不亮");
        String bytes = new String(sealed.toByteArray(), StandardCharsets.UTF_8);
        assertThat(bytes).doesNotContain("王小明", "13800138000", "138-0013-8000", "幸福路", "路灯坏了", "11010519491231002x");

        Envelopes.Opened opened = envelopes.open(sealed);
        assertThat(opened.state()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE);
        assertThat(opened.event()).isEqualTo(REPORT);
    }

    @Test
    void anSm4SealedReportOpensToTheOriginalAndATamperedOneDoesNot() {
        DataKeys.Key key = keys.liveKeyOf(keys.citizenOf(REPORT.getCitizen(), "c1"));
        CaseReported sealed = (CaseReported) Envelopes.seal(REPORT, key, SM4);

        assertThat(sealed.getPersonalData().getCipher()).isEqualTo(SM4);
        assertThat(new String(sealed.toByteArray(), StandardCharsets.UTF_8)).doesNotContain("王小明", "138-0013-8000");
        assertThat(envelopes.open(sealed).event()).isEqualTo(REPORT);
        CaseReported asAes = sealed.toBuilder().setPersonalData(sealed.getPersonalData().toBuilder().setCipher(AES)).build();
        assertThat(envelopes.open(asAes).state()).as("opened by the cipher it names")
                .isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE);
    }

    /** GB/T 32907-2016's example (key = plaintext = 0123456789abcdeffedcba9876543210): the block cipher is SM4. */
    @Test
    void theSm4BlockCipherIsTheStandardOne() {
        byte[] block = java.util.HexFormat.of().parseHex("0123456789abcdeffedcba9876543210");
        org.bouncycastle.crypto.engines.SM4Engine engine = new org.bouncycastle.crypto.engines.SM4Engine();
        engine.init(true, new org.bouncycastle.crypto.params.KeyParameter(block));
        byte[] out = new byte[16];
        engine.processBlock(block, 0, out, 0);
        assertThat(java.util.HexFormat.of().formatHex(out)).isEqualTo("681edf34d206965e86b3e94f536e4246");
    }

    @Test
    void aCitizenIsNamedByIdNumberElsePhoneElseTheCaseAndKeepsOneKeyAcrossCases() {
        String byId = keys.citizenOf(REPORT.getCitizen(), "c1");
        assertThat(keys.citizenOf(REPORT.getCitizen().toBuilder().setPhone("").setIdNumber("11010519491231002X").build(),
                "c2")).as("same ID number, another case and no phone").isEqualTo(byId);
        String byPhone = keys.citizenOf(Citizen.newBuilder().setPhone("13800138000").build(), "c3");
        assertThat(keys.citizenOf(Citizen.newBuilder().setPhone("138 0013 8000").build(), "c4")).isEqualTo(byPhone);
        assertThat(keys.citizenOf(Citizen.getDefaultInstance(), "c5"))
                .isNotEqualTo(keys.citizenOf(Citizen.getDefaultInstance(), "c6"));
        assertThat(byId).hasSize(32);
        assertThat(keys.liveKeyOf(byId).id()).isEqualTo(keys.liveKeyOf(byId).id());
    }

    @Test
    void afterErasureTheEnvelopeOpensToNothingAndTheCitizenGetsANewKeyForNewData() {
        String citizen = keys.citizenOf(REPORT.getCitizen(), "c1");
        DataKeys.Key key = keys.liveKeyOf(citizen);
        Message sealed = Envelopes.seal(REPORT, key, AES);

        assertThat(keys.erase(citizen, "officer-1", "citizen's request")).isTrue();
        assertThat(keys.erase(citizen, "officer-1", "again")).as("nothing left to erase").isFalse();

        Envelopes.Opened opened = envelopes.open(sealed);
        assertThat(opened.state()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
        assertThat(opened.event()).isEqualTo(PersonalFields.withoutPersonalData(REPORT));
        assertThat(jdbc.queryForMap("SELECT erased_by, erase_reason FROM personal_data_key WHERE key_id = ?", key.id()))
                .containsEntry("ERASED_BY", "officer-1").containsEntry("ERASE_REASON", "citizen's request");
        assertThat(keys.liveKeyOf(citizen).id()).isNotEqualTo(key.id());
    }

    @Test
    void aDamagedKeyOrEnvelopeReadsAsUnavailableNeverAsGarbage() {
        String citizen = keys.citizenOf(REPORT.getCitizen(), "c1");
        DataKeys.Key key = keys.liveKeyOf(citizen);
        CaseReported sealed = (CaseReported) Envelopes.seal(REPORT, key, AES);
        byte[] ciphertext = sealed.getPersonalData().getCiphertext().toByteArray();
        ciphertext[20] ^= 1;
        CaseReported tampered = sealed.toBuilder().setPersonalData(SealedPersonalData.newBuilder(sealed.getPersonalData())
                .setCiphertext(ByteString.copyFrom(ciphertext))).build();
        assertThat(envelopes.open(tampered).state()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE);
        assertThat(envelopes.open(tampered).event()).isEqualTo(PersonalFields.withoutPersonalData(REPORT));

        jdbc.update("UPDATE personal_data_key SET wrapped_key = ? WHERE key_id = ?", new byte[60], key.id());
        assertThat(envelopes.open(sealed).state()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE);
    }

    @Test
    void anEventWithoutPersonalFieldsOrStoredBeforeSealingIsAsStored() {
        CaseAccepted accepted = CaseAccepted.newBuilder().setCaseId("c1").setNote("受理").build();
        assertThat(Envelopes.seal(accepted, keys.liveKeyOf("x"), AES)).isSameAs(accepted);
        assertThat(envelopes.open(accepted).event()).isSameAs(accepted);
        assertThat(envelopes.open(REPORT).event()).as("a plaintext report of before").isSameAs(REPORT);
    }

    @Test
    void aWrongMasterKeyIsRefusedAtStartAndARotationReWrapsEveryKey() {
        String citizen = keys.citizenOf(REPORT.getCitizen(), "c1");
        Message sealed = Envelopes.seal(REPORT, keys.liveKeyOf(citizen), AES);

        MasterKey other = MasterKey.parse(MasterKey.generate(), "test");
        assertThatThrownBy(() -> keys(other, List.of())).isInstanceOf(MasterKeyException.class)
                .hasMessageContaining("did not wrap the personal-data keys in this database")
                .hasMessageContaining(master.id());

        DataKeys rotated = keys(other, List.of(master));
        assertThat(jdbc.queryForList("SELECT DISTINCT master_key_id FROM personal_data_key", String.class))
                .containsExactly(other.id());
        assertThat(new Envelopes(keys(other, List.of())).open(sealed).event()).as("the old master key is gone")
                .isEqualTo(REPORT);
        assertThat(rotated.citizenOf(REPORT.getCitizen(), "c9")).as("citizens keep their reference").isEqualTo(citizen);
    }

    @Test
    void aMasterKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> MasterKey.parse("c2hvcnQ=", "minqing.privacy.master-key"))
                .hasMessage("minqing.privacy.master-key holds 5 bytes: a master key is 32 random bytes in base64"
                        + " (make one with: openssl rand -base64 32)");
        assertThatThrownBy(() -> MasterKey.parse("not base64!", "minqing.privacy.master-key"))
                .hasMessageStartingWith("minqing.privacy.master-key is not base64");
    }

    private DataKeys keys(MasterKey key, List<MasterKey> previous) {
        DataKeys dataKeys = new DataKeys(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), key, previous,
                Clock.systemUTC());
        dataKeys.start();
        return dataKeys;
    }

    private static JdbcTemplate database() {
        DriverManagerDataSource h2 = new DriverManagerDataSource(
                "jdbc:h2:mem:privacy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        return new JdbcTemplate(h2);
    }
}
