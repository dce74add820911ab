/*
 * Oracle for smtpwiz's Java model (tests/unit/test_javasec.c and
 * test_javaprof.c): asks the running JDK itself how its
 * jdk.tls.disabledAlgorithms matching (DisabledAlgorithmConstraints +
 * SSLAlgorithmDecomposer) treats every cipher suite and protocol, and
 * what its default client context enables.  Output is committed next
 * to this file; regenerate with:
 *
 *   java --add-exports java.base/sun.security.util=ALL-UNNAMED \
 *        --add-opens java.base/sun.security.ssl=ALL-UNNAMED \
 *        JsseOracle.java tokens TOKENFILE > tokens-jdkNN.txt
 *   java JsseOracle.java defaults > defaults-jdkNN.txt
 *
 * "tokens": for each line of TOKENFILE (one jdk.tls.disabledAlgorithms
 * value per line), the suites (hex id) and protocols it disables, among
 * all suites the JDK implements.  "defaults": the default client
 * protocols and cipher suites after the JDK's own java.security.
 */
import java.lang.reflect.*;
import java.nio.file.*;
import java.security.*;
import java.util.*;
import javax.net.ssl.*;

public class JsseOracle {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("defaults")) {
            SSLParameters p = SSLContext.getDefault().getDefaultSSLParameters();
            System.out.println("java.version\t" + System.getProperty("java.version"));
            System.out.println("protocols\t" + String.join(" ", p.getProtocols()));
            System.out.println("suites\t" + String.join(" ", p.getCipherSuites()));
            return;
        }
        Class<?> csc = Class.forName("sun.security.ssl.CipherSuite");
        Field fid = csc.getDeclaredField("id"), fname = csc.getDeclaredField("name"),
              fprot = csc.getDeclaredField("supportedProtocols");
        fid.setAccessible(true); fname.setAccessible(true); fprot.setAccessible(true);
        Class<?> dec = Class.forName("sun.security.ssl.SSLAlgorithmDecomposer");
        Constructor<?> dc = dec.getDeclaredConstructor();
        dc.setAccessible(true);
        Class<?> dac = Class.forName("sun.security.util.DisabledAlgorithmConstraints");
        Constructor<?> cc = dac.getConstructor(String.class,
            Class.forName("sun.security.util.AlgorithmDecomposer"));
        String[] protos = {"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
        System.out.println("# java.version " + System.getProperty("java.version"));
        for (String line : Files.readAllLines(Paths.get(a[1]))) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Security.setProperty("jdk.tls.disabledAlgorithms", line);
            AlgorithmConstraints c;
            try {
                c = (AlgorithmConstraints) cc.newInstance("jdk.tls.disabledAlgorithms", dc.newInstance());
            } catch (InvocationTargetException e) {
                System.out.println(line + "\terror " + e.getCause().getMessage());
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (String pr : protos)
                if (!c.permits(EnumSet.of(CryptoPrimitive.KEY_AGREEMENT), pr, null))
                    sb.append(' ').append(pr);
            for (Object cs : csc.getEnumConstants()) {
                if (((Collection<?>) fprot.get(cs)).isEmpty()) continue;
                String n = (String) fname.get(cs);
                if (n.endsWith("_SCSV")) continue;
                if (!c.permits(EnumSet.of(CryptoPrimitive.KEY_AGREEMENT), n, null))
                    sb.append(String.format(" %04X", (Integer) fid.get(cs)));
            }
            System.out.println(line + "\t" + sb.toString().trim());
        }
    }
}
