package dev.polgraph.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Development/test Neo4j for polgraph: Neo4j Community embedded, reachable over Bolt.
 *
 * <p>All diagnostics go to stderr. Stdout carries exactly one line, {@code NEO4J_READY bolt://HOST:PORT},
 * printed once the default database is available, the Bolt connector is listening and the full-text
 * {@code arabic} analyzer has been found. The process then runs until it gets SIGTERM/SIGINT, when a
 * shutdown hook stops the DBMS cleanly.
 *
 * <p>Configuration: command-line flags override environment variables, which override defaults. See
 * {@link #usage()} and tools/neo4j/README.md.
 */
public final class Launcher {

    /** Exit codes. */
    static final int EXIT_USAGE = 2;
    static final int EXIT_START_FAILED = 3;
    static final int EXIT_NO_ARABIC = 4;
    static final int EXIT_AUTH_FAILED = 5;

    static final PrintStream ERR = System.err;

    private Launcher() {}

    /** Resolved configuration. */
    static final class Options {
        String host = "127.0.0.1";
        int port = 7687;
        Path dataDir = Path.of(".neo4j", "data");
        String pageCache = "1g";
        String txTimeout = "60s";
        String txMemoryMax = "1g";
        String txMemoryTotal = "2g";
        String password = null;
        String logLevel = "WARN";
        Path confFile = null;
        final Map<String, String> extra = new LinkedHashMap<>();
    }

    static String usage() {
        return String.join("\n",
                "usage: java -cp 'target/classes:target/lib/*' dev.polgraph.neo4j.Launcher [flags]",
                "",
                "flags (each overrides the environment variable in brackets):",
                "  --host HOST            Bolt listen host                    [NEO4J_HOST, default 127.0.0.1]",
                "  --port PORT            Bolt listen port                    [NEO4J_PORT, default 7687]",
                "  --data-dir DIR         Neo4j home: data/, logs/ live here  [NEO4J_DATA_DIR, default .neo4j/data]",
                "  --pagecache SIZE       server.memory.pagecache.size        [NEO4J_PAGECACHE, default 1g]",
                "  --tx-timeout DURATION  db.transaction.timeout              [NEO4J_TX_TIMEOUT, default 60s; 0 = none]",
                "  --tx-memory-max SIZE   db.memory.transaction.max           [NEO4J_TX_MEMORY_MAX, default 1g; 0 = none]",
                "  --tx-memory-total SIZE dbms.memory.transaction.total.max   [NEO4J_TX_MEMORY_TOTAL, default 2g; 0 = none]",
                "  --password-env NAME    read the neo4j user's password from env var NAME",
                "                         (default: NEO4J_PASSWORD; unset or empty = no auth)",
                "  --no-auth              disable auth even if NEO4J_PASSWORD is set",
                "  --conf KEY=VALUE       any other Neo4j setting (repeatable; applied last)",
                "  --conf-file FILE       neo4j.conf-style file of settings  [NEO4J_CONF_FILE]",
                "  --log-level LEVEL      Neo4j user-log level on stderr      [NEO4J_LOG_LEVEL, default WARN]",
                "  --help");
    }

    static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static Options parse(String[] args) {
        Options o = new Options();
        // Environment first, then flags.
        if (env("NEO4J_HOST") != null) o.host = env("NEO4J_HOST");
        if (env("NEO4J_PORT") != null) o.port = parsePort(env("NEO4J_PORT"));
        if (env("NEO4J_DATA_DIR") != null) o.dataDir = Path.of(env("NEO4J_DATA_DIR"));
        if (env("NEO4J_PAGECACHE") != null) o.pageCache = env("NEO4J_PAGECACHE");
        if (env("NEO4J_TX_TIMEOUT") != null) o.txTimeout = env("NEO4J_TX_TIMEOUT");
        if (env("NEO4J_TX_MEMORY_MAX") != null) o.txMemoryMax = env("NEO4J_TX_MEMORY_MAX");
        if (env("NEO4J_TX_MEMORY_TOTAL") != null) o.txMemoryTotal = env("NEO4J_TX_MEMORY_TOTAL");
        if (env("NEO4J_LOG_LEVEL") != null) o.logLevel = env("NEO4J_LOG_LEVEL");
        if (env("NEO4J_CONF_FILE") != null) o.confFile = Path.of(env("NEO4J_CONF_FILE"));
        String passwordEnv = "NEO4J_PASSWORD";
        boolean noAuth = false;

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && !a.startsWith("--conf=") ) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            } else if (a.startsWith("--conf=")) {
                value = a.substring("--conf=".length());
                a = "--conf";
            }
            switch (a) {
                case "--help", "-h" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                case "--no-auth" -> noAuth = true;
                case "--host", "--port", "--data-dir", "--pagecache", "--tx-timeout", "--tx-memory-max",
                        "--tx-memory-total", "--password-env", "--conf", "--conf-file", "--log-level" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) fail(EXIT_USAGE, "missing value for " + a + "\n" + usage());
                        value = args[++i];
                    }
                    switch (a) {
                        case "--host" -> o.host = value;
                        case "--port" -> o.port = parsePort(value);
                        case "--data-dir" -> o.dataDir = Path.of(value);
                        case "--pagecache" -> o.pageCache = value;
                        case "--tx-timeout" -> o.txTimeout = value;
                        case "--tx-memory-max" -> o.txMemoryMax = value;
                        case "--tx-memory-total" -> o.txMemoryTotal = value;
                        case "--password-env" -> passwordEnv = value;
                        case "--conf-file" -> o.confFile = Path.of(value);
                        case "--log-level" -> o.logLevel = value;
                        case "--conf" -> {
                            int k = value.indexOf('=');
                            if (k <= 0) fail(EXIT_USAGE, "--conf wants KEY=VALUE, got: " + value);
                            o.extra.put(value.substring(0, k).trim(), value.substring(k + 1).trim());
                        }
                        default -> throw new IllegalStateException(a);
                    }
                }
                default -> fail(EXIT_USAGE, "unknown argument: " + args[i] + "\n" + usage());
            }
        }
        if (!noAuth) {
            // The password is only ever read from the environment, never from argv (argv shows in ps).
            o.password = env(passwordEnv);
            if (o.password != null && o.password.length() < 8) {
                fail(EXIT_USAGE, "the Neo4j password (" + passwordEnv + ") must be at least 8 characters");
            }
        }
        return o;
    }

    static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            fail(EXIT_USAGE, "bad port: " + s);
            return -1;
        }
    }

    static void fail(int code, String msg) {
        ERR.println("neo4j-launcher: ERROR: " + msg);
        ERR.flush();
        System.exit(code);
    }

    static void info(String msg) {
        ERR.println("neo4j-launcher: " + msg);
        ERR.flush();
    }

    /** The Neo4j settings, by their 5.26 names. Later entries win. */
    static Map<String, String> settings(Options o) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("server.bolt.enabled", "true");
        s.put("server.bolt.listen_address", formatAddress(o.host, o.port));
        s.put("server.bolt.advertised_address", formatAddress(o.host, o.port));
        s.put("server.bolt.tls_level", "DISABLED");
        s.put("server.http.enabled", "false");
        s.put("server.https.enabled", "false");
        s.put("server.memory.pagecache.size", o.pageCache);
        s.put("db.transaction.timeout", o.txTimeout);
        s.put("db.memory.transaction.max", o.txMemoryMax);
        s.put("dbms.memory.transaction.total.max", o.txMemoryTotal);
        s.put("dbms.cypher.forbid_exhaustive_shortestpath", "true");
        s.put("dbms.security.auth_enabled", o.password != null ? "true" : "false");
        // A dev/test server: keep transaction logs from piling up.
        s.put("db.tx_log.rotation.retention_policy", "2 files");
        // No usage reports (there is no network to send them to anyway).
        s.put("dbms.usage_report.enabled", "false");
        // Netty waits a 5 s quiet period per event-loop group on shutdown (~10 s per stop);
        // a test server has no clients left to drain by then.
        s.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
        s.putAll(o.extra);
        return s;
    }

    static String formatAddress(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    public static void main(String[] args) {
        Options o = parse(args);
        Path home = o.dataDir.toAbsolutePath().normalize();
        Map<String, String> settings = settings(o);

        Path generated = home.resolve("conf").resolve("polgraph-launcher.conf");
        try {
            Files.createDirectories(generated.getParent());
            try (Writer w = Files.newBufferedWriter(generated, StandardCharsets.UTF_8)) {
                w.write("# Written by dev.polgraph.neo4j.Launcher at each start; edits are overwritten.\n");
                for (Map.Entry<String, String> e : settings.entrySet()) {
                    w.write(e.getKey() + "=" + e.getValue() + "\n");
                }
            }
        } catch (IOException e) {
            fail(EXIT_START_FAILED, "cannot write " + generated + ": " + e);
        }

        info("home " + home);
        info("settings " + settings);

        Level level;
        try {
            level = Level.valueOf(o.logLevel.toUpperCase());
        } catch (IllegalArgumentException e) {
            fail(EXIT_USAGE, "bad log level: " + o.logLevel);
            return;
        }

        long t0 = System.nanoTime();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (o.confFile != null) {
            if (!Files.isRegularFile(o.confFile)) fail(EXIT_USAGE, "no such conf file: " + o.confFile);
            builder.loadPropertiesFromFile(o.confFile);
        }
        builder.loadPropertiesFromFile(generated);
        builder.setUserLogProvider(new Log4jLogProvider(ERR, level));

        final DatabaseManagementService dbms;
        try {
            dbms = builder.build();
        } catch (Throwable e) {
            // Stack trace first, summary last: scripts/neo4j.sh shows the tail of the log.
            e.printStackTrace(ERR);
            boolean portInUse = false;
            ERR.println("neo4j-launcher: ERROR: Neo4j failed to start: " + e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                ERR.println("neo4j-launcher:   caused by: " + c);
                portInUse |= String.valueOf(c.getMessage()).contains("Address already in use")
                        || c.getClass().getSimpleName().contains("PortBind");
            }
            if (portInUse) {
                ERR.println("neo4j-launcher: ERROR: Bolt port " + o.port + " on " + o.host
                        + " is already in use (another Neo4j?)");
            }
            ERR.flush();
            System.exit(EXIT_START_FAILED);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            info("shutting down");
            try {
                dbms.shutdown();
                info("stopped");
            } catch (Throwable t) {
                ERR.println("neo4j-launcher: ERROR: shutdown failed: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            GraphDatabaseService db = dbms.database("neo4j");
            if (!db.isAvailable(TimeUnit.MINUTES.toMillis(3))) {
                throw new IllegalStateException("database 'neo4j' did not become available in 3 minutes");
            }
            GraphDatabaseService system = dbms.database("system");
            if (!system.isAvailable(TimeUnit.MINUTES.toMillis(1))) {
                throw new IllegalStateException("database 'system' did not become available");
            }

            String version = db.executeTransactionally(
                    "CALL dbms.components() YIELD name, versions, edition "
                            + "RETURN name + ' ' + versions[0] + ' ' + edition AS v",
                    Map.of(), r -> r.hasNext() ? String.valueOf(r.next().get("v")) : "?");
            info("running " + version);

            List<String> analyzers = db.executeTransactionally(
                    "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer RETURN analyzer",
                    Map.of(), Launcher::column);
            if (!analyzers.contains("arabic")) {
                ERR.println("neo4j-launcher: ERROR: the full-text analyzer 'arabic' is not available; found: "
                        + analyzers);
                ERR.flush();
                System.exit(EXIT_NO_ARABIC); // the shutdown hook stops the DBMS
            }
            info(analyzers.size() + " full-text analyzers, including 'arabic'");

            if (o.password != null) {
                setPassword(system, o.password);
                info("auth enabled for user 'neo4j'");
            } else {
                info("auth disabled");
            }
        } catch (Throwable e) {
            e.printStackTrace(ERR);
            ERR.println("neo4j-launcher: ERROR: start-up checks failed: " + e);
            ERR.flush();
            System.exit(EXIT_START_FAILED);
        }

        info(String.format("started in %.1f s", (System.nanoTime() - t0) / 1e9));
        System.out.println("NEO4J_READY bolt://" + formatAddress(o.host, o.port));
        System.out.flush();

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> column(Result r) {
        List<String> out = new ArrayList<>();
        while (r.hasNext()) out.add(String.valueOf(r.next().get(r.columns().get(0))));
        return out;
    }

    /** Sets the neo4j user's password (creating the user if the system graph has none). */
    static void setPassword(GraphDatabaseService system, String password) {
        List<String> users = system.executeTransactionally("SHOW USERS YIELD user RETURN user", Map.of(),
                Launcher::column);
        if (!users.contains("neo4j")) {
            system.executeTransactionally("CREATE USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
            return;
        }
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
        } catch (RuntimeException e) {
            // Re-setting the password it already has is refused; that is fine, but the
            // "change required" flag must still be cleared.
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Old password and new password cannot be the same")) {
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
            } else {
                throw e;
            }
        }
    }
}
