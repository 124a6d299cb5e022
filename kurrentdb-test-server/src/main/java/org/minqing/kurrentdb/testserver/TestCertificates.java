package org.minqing.kurrentdb.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A test CA and certificates it signs, made with the JDK's own keytool (as an operator without
 * OpenSSL would): PKCS#12 key stores for the server and clients, the CA's certificate as PEM.
 * Here, beside the test server that serves TLS with them, for every module's tests.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in {@code dir}: {@code ca.p12}, {@code ca.pem}, and {@code trust.p12} holding only the CA. */
    public static TestCertificates create(Path dir) throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Minqing Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        certificates.keytool("-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
        certificates.keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "trust.p12");
        return certificates;
    }

    /** A key store {@code name.p12} with a key pair whose certificate the CA signed for {@code subject}. */
    public Path issue(String name, String subject, String... extensions) throws Exception {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-validity", "2", "-keystore", store);
        keytool("-certreq", "-alias", name, "-file", name + ".csr", "-keystore", store);
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-infile", name + ".csr",
                "-outfile", name + ".crt", "-rfc", "-validity", "2", "-keystore", "ca.p12"));
        for (String extension : extensions) {
            sign.add("-ext");
            sign.add(extension);
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", store);
        keytool("-importcert", "-alias", name, "-file", name + ".crt", "-noprompt", "-keystore", store);
        return dir.resolve(store);
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The key managers of a client key store made by {@link #issue}. */
    public static KeyManager[] keyManagers(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
