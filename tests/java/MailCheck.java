// MailCheck -- a real Java mail client for the end-to-end proof of
// smtpwiz's verification (tests/integration/test_verify_java.py, issue 11).
//
// Written against JavaMail 1.6 (package javax.mail); tests/java/build.sh
// compiles this file as it is against Debian's libmail-java and, with
// "javax.mail" replaced by "jakarta.mail" in a copy, against
// libjakarta-mail-java (Jakarta Mail 2.0).  Keep every reference to the
// mail API spelt "javax.mail" so that one replacement makes the variant.
//
//   java -cp OUT:JARS MailCheck --props FILE --from ADDR --to ADDR
//        [--deadline SECONDS] [--debug]
//
// It does what an application does with a settings block: reads FILE
// with java.util.Properties.load (no trimming, no fixing), builds a
// Session from it, takes the Transport of mail.transport.protocol (smtp
// when unset), connects with the user of mail.smtp.user and the password
// read from the file named by $MAILCHECK_PASSWORD_FILE (never argv; no
// variable or an unset user: connect without credentials, as an
// application without them would), and sends one small message from
// --from to --to.  The trust store is Java's own: the caller passes
// -Djavax.net.ssl.trustStore=... as an application's operator would.
//
// Prints exactly one line on stdout and exits:
//   OK                                              0
//   FAIL <exception class>: <message>[ <- cause]... 1
//   FAIL usage: ...                                 2
//   FAIL deadline: ...                              3
// --debug turns on the Session's protocol trace (stderr).
//
// The deadline (default 30 s) is a watchdog thread: with the block's
// timeouts unset, Java waits forever, and a test must not.

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

public final class MailCheck {
    static final String PASSWORD_ENV = "MAILCHECK_PASSWORD_FILE";

    private MailCheck() {
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\r", " ").replace("\n", " ").replaceAll(" {2,}", " ").trim();
    }

    /** "Class: message <- Class: message ..." along the cause chain. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = e; t != null && !seen.containsKey(t); t = t.getCause()) {
            seen.put(t, Boolean.TRUE);
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getName()).append(": ").append(oneLine(t.getMessage()));
        }
        return sb.toString();
    }

    static synchronized void finish(String line, int code) {
        System.out.println(line);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);   // no waiting for a stuck socket thread
    }

    static String readPassword() throws IOException {
        String path = System.getenv(PASSWORD_ENV);
        if (path == null || path.isEmpty()) {
            return null;
        }
        String pw = new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
        // One line, as smtpwiz's --password-file: the line end is not part of it.
        int nl = pw.indexOf('\n');
        if (nl >= 0) {
            pw = pw.substring(0, nl);
        }
        if (pw.endsWith("\r")) {
            pw = pw.substring(0, pw.length() - 1);
        }
        return pw;
    }

    public static void main(String[] args) {
        String propsFile = null;
        String from = null;
        String to = null;
        boolean debug = false;
        long deadline = 30;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--props": propsFile = args[++i]; break;
                    case "--from": from = args[++i]; break;
                    case "--to": to = args[++i]; break;
                    case "--deadline": deadline = Long.parseLong(args[++i]); break;
                    case "--debug": debug = true; break;
                    default: finish("FAIL usage: unknown argument " + args[i], 2);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            finish("FAIL usage: " + describe(e), 2);
        }
        if (propsFile == null || from == null || to == null) {
            finish("FAIL usage: MailCheck --props FILE --from ADDR --to ADDR"
                   + " [--deadline S] [--debug]", 2);
        }

        final long limit = deadline;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            finish("FAIL deadline: no result after " + limit + " s", 3);
        }, "deadline");
        watchdog.setDaemon(true);
        watchdog.start();

        try {
            Properties props = new Properties();
            try (InputStream in = new FileInputStream(propsFile)) {
                props.load(in);
            }
            String password = readPassword();
            Session session = Session.getInstance(props);
            session.setDebugOut(System.err);    // stdout holds only the result line
            session.setDebug(debug);
            String protocol = props.getProperty("mail.transport.protocol", "smtp");
            Transport transport = session.getTransport(protocol);
            String user = props.getProperty("mail." + protocol + ".user");
            try {
                if (user != null || password != null) {
                    transport.connect(user, password);
                } else {
                    transport.connect();
                }
                MimeMessage msg = new MimeMessage(session);
                msg.setFrom(new InternetAddress(from));
                msg.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
                msg.setSubject("smtpwiz MailCheck");
                msg.setText("Sent by tests/java/MailCheck.java.\n");
                msg.saveChanges();
                transport.sendMessage(msg, msg.getAllRecipients());
            } finally {
                try {
                    transport.close();
                } catch (Exception ignored) {
                    // the result is already decided
                }
            }
        } catch (Throwable e) {
            finish("FAIL " + describe(e), 1);
        }
        finish("OK", 0);
    }
}
