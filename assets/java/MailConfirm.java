// MailConfirm -- the user's own Java confirms a settings block
// (smtpwiz check --confirm-with-java; src/block/confirm.c runs it).
//
// Compiled with `javac --release 8` (the Makefile does it when a JDK is
// there), so one class file runs on Java 8 to 25; a JDK 11+ can also
// run this file as it is (java MailConfirm.java).  It names no mail
// class at compile time: it loads javax.mail (JavaMail 1.6, what JS7
// runs) or jakarta.mail (Jakarta Mail 2.x, Angus) by reflection from the
// class path smtpwiz gives it -- the application's own mail jar.
//
//   java -cp DIR:MAILJAR[:ACTIVATIONJAR] MailConfirm [--debug]
//
// Everything else arrives on stdin, a java.util.Properties text (never
// argv, never the environment: the password is in it):
//   smtpwiz.api=javax|jakarta      which API to load
//   smtpwiz.password=...           the password; absent: none
//   smtpwiz.from=ADDR              MAIL FROM
//   smtpwiz.to=ADDR                RCPT TO; absent: none
//   smtpwiz.deadline=SECONDS       watchdog (default 60)
//   smtpwiz.sys.NAME=VALUE         System.setProperty(NAME, VALUE) first
//                                  (javax.net.ssl.trustStore and the
//                                  -D options of the application)
//   everything else                the Session's properties, the block
//
// It does what an application does: Session.getInstance(props), the
// Transport of mail.transport.protocol (smtp), connect(user, password)
// -- or connect() without credentials -- then MAIL FROM (and RCPT TO)
// with the transport's own issueCommand(), RSET, close.  No message is
// sent.  It prints on stdout:
//   INFO java=<java.version> home=<java.home> lib=<API> <version> <jar>
//   OK                                                exit 0
//   FAIL <exception class>: <message>[ <- cause]...   exit 1
//   FAIL usage: ... / FAIL setup: ...                 exit 2
//   FAIL deadline: ...                                exit 3

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public final class MailConfirm {
    private MailConfirm() {
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
        Map<Throwable, Boolean> seen = new IdentityHashMap<Throwable, Boolean>();
        for (Throwable t = e; t != null && !seen.containsKey(t); t = next(t)) {
            seen.put(t, Boolean.TRUE);
            if (t instanceof InvocationTargetException) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getName()).append(": ").append(oneLine(t.getMessage()));
        }
        return sb.toString();
    }

    /** getCause(), or MessagingException.getNextException() of old JavaMail. */
    static Throwable next(Throwable t) {
        if (t instanceof InvocationTargetException) {
            return ((InvocationTargetException) t).getTargetException();
        }
        Throwable c = t.getCause();
        if (c != null) {
            return c;
        }
        try {
            Method m = t.getClass().getMethod("getNextException");
            Object n = m.invoke(t);
            return n instanceof Throwable ? (Throwable) n : null;
        } catch (Exception ignored) {
            return null;
        }
    }

    static synchronized void finish(String line, int code) {
        System.out.println(line);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static Object call(Object target, String name, Class<?>[] types, Object[] args)
            throws Exception {
        Method m = target.getClass().getMethod(name, types);
        return m.invoke(target, args);
    }

    public static void main(String[] args) {
        boolean debug = args.length > 0 && "--debug".equals(args[0]);
        Properties in = new Properties();
        try {
            byte[] raw = readAll(System.in);
            in.load(new ByteArrayInputStream(raw));
            java.util.Arrays.fill(raw, (byte) 0);
        } catch (IOException e) {
            finish("FAIL setup: cannot read stdin: " + describe(e), 2);
        }
        String api = in.getProperty("smtpwiz.api", "javax");
        String password = in.getProperty("smtpwiz.password");
        String from = in.getProperty("smtpwiz.from", "postmaster@localhost");
        String to = in.getProperty("smtpwiz.to");
        long deadline = 60;
        try {
            deadline = Long.parseLong(in.getProperty("smtpwiz.deadline", "60"));
        } catch (NumberFormatException e) {
            finish("FAIL usage: smtpwiz.deadline is not a number", 2);
        }
        Properties props = new Properties();
        List<String> names = new ArrayList<String>(in.stringPropertyNames());
        for (String k : names) {
            if (k.startsWith("smtpwiz.sys.")) {
                System.setProperty(k.substring(12), in.getProperty(k));
            } else if (!k.startsWith("smtpwiz.")) {
                props.setProperty(k, in.getProperty(k));
            }
        }

        final long limit = deadline;
        Thread watchdog = new Thread(new Runnable() {
            public void run() {
                try {
                    Thread.sleep(limit * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                finish("FAIL deadline: no result after " + limit + " s", 3);
            }
        }, "deadline");
        watchdog.setDaemon(true);
        watchdog.start();

        Class<?> sessionClass;
        try {
            sessionClass = Class.forName(api + ".mail.Session");
        } catch (ClassNotFoundException e) {
            finish("FAIL setup: " + api + ".mail.Session is not on the class path", 2);
            return;
        }
        Package pkg = sessionClass.getPackage();
        String version = pkg != null && pkg.getImplementationVersion() != null
            ? pkg.getImplementationVersion() : "unknown";
        String jar = "";
        try {
            jar = sessionClass.getProtectionDomain().getCodeSource().getLocation().getPath();
        } catch (Exception ignored) {
            // a class without a code source: no jar to name
        }
        System.out.println("INFO java=" + System.getProperty("java.version")
            + " home=" + System.getProperty("java.home")
            + " lib=" + api + ".mail " + version + " " + jar);
        System.out.flush();

        try {
            Method getInstance = sessionClass.getMethod("getInstance", Properties.class);
            Object session = getInstance.invoke(null, props);
            call(session, "setDebugOut", new Class<?>[] {java.io.PrintStream.class},
                 new Object[] {System.err});
            call(session, "setDebug", new Class<?>[] {boolean.class}, new Object[] {debug});
            String protocol = props.getProperty("mail.transport.protocol", "smtp");
            Object transport = call(session, "getTransport", new Class<?>[] {String.class},
                                    new Object[] {protocol});
            String user = props.getProperty("mail." + protocol + ".user");
            try {
                if (user != null || password != null) {
                    call(transport, "connect", new Class<?>[] {String.class, String.class},
                         new Object[] {user, password});
                } else {
                    call(transport, "connect", new Class<?>[0], new Object[0]);
                }
                Class<?>[] cmd = new Class<?>[] {String.class, int.class};
                call(transport, "issueCommand", cmd, new Object[] {"MAIL FROM:<" + from + ">", 250});
                if (to != null) {
                    int code = (Integer) call(transport, "simpleCommand",
                        new Class<?>[] {String.class}, new Object[] {"RCPT TO:<" + to + ">"});
                    if (code != 250 && code != 251) {
                        Object reply = call(transport, "getLastServerResponse", new Class<?>[0],
                                            new Object[0]);
                        throw new IOException("RCPT TO refused: " + oneLine(String.valueOf(reply)));
                    }
                }
                call(transport, "issueCommand", cmd, new Object[] {"RSET", 250});
            } finally {
                try {
                    call(transport, "close", new Class<?>[0], new Object[0]);
                } catch (Exception ignored) {
                    // the result is decided
                }
            }
        } catch (Throwable e) {
            finish("FAIL " + describe(e), 1);
        }
        finish("OK", 0);
    }
}
