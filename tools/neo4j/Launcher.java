// ChainLead test Neo4j server: one embedded Neo4j 5.26 DBMS with a Bolt
// connector on 127.0.0.1:PORT, no authentication, data kept in HOME.
//
//   java <jvm flags> -cp "$(cat .cache/cp.txt)" Launcher.java HOME PORT
//       Serve. Prints "NEO4J READY bolt://127.0.0.1:PORT ..." on stdout once
//       the default database answers a query, then runs until the JVM is
//       told to stop (SIGTERM / SIGINT), when a shutdown hook closes the DBMS
//       cleanly so the next start on the same HOME finds a consistent store.
//
// start.sh is the normal way in (it compiles this file once into a jar, so
// that the JVM can keep a class-data-sharing archive of it); see README.md.

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

public class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final PrintStream OUT = System.out;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher HOME PORT");
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            System.err.println("Launcher: PORT must be 1..65535, got " + args[1]);
            System.exit(2);
        }
        serve(Path.of(args[0]).toAbsolutePath().normalize(), port);
    }

    private static DatabaseManagementService build(Path home, int port) throws Exception {
        Files.createDirectories(home);
        SocketAddress bolt = new SocketAddress(HOST, port);
        return new DatabaseManagementServiceBuilder(home)
                // Neo4j's user log (start/stop messages) goes to our stdout,
                // i.e. HOME/neo4j.log; its debug log is HOME/logs/debug.log.
                .setUserLogProvider(new Log4jLogProvider(OUT, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                // Routing tables (neo4j:// URIs) hand out the advertised
                // address; without it clients would be sent to :7687.
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 32L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                // Netty's graceful shutdown otherwise idles 5 s per Bolt
                // connector (there are two), making every stop take ~10 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(3))
                .build();
    }

    private static void serve(Path home, int port) throws Exception {
        long t0 = System.nanoTime();
        AtomicReference<DatabaseManagementService> dbmsRef = new AtomicReference<>();
        CountDownLatch built = new CountDownLatch(1);   // build() returned or failed
        CountDownLatch stopped = new CountDownLatch(1); // the hook has finished

        // Registered before the DBMS is built, so that a SIGTERM landing
        // during start-up waits for build() and then closes what it started.
        Thread hook = new Thread(() -> {
            try {
                built.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            DatabaseManagementService dbms = dbmsRef.getAndSet(null);
            if (dbms != null) {
                say("NEO4J STOPPING");
                try {
                    dbms.shutdown();
                    say("NEO4J STOPPED");
                } catch (Throwable t) {
                    say("NEO4J SHUTDOWN FAILED: " + t);
                    t.printStackTrace(OUT);
                }
            }
            stopped.countDown();
        }, "chainlead-neo4j-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        DatabaseManagementService dbms;
        try {
            dbms = build(home, port);
        } catch (Throwable t) {
            say("NEO4J FAILED: " + t);
            t.printStackTrace(OUT);
            built.countDown();
            System.exit(1);
            return;
        }
        dbmsRef.set(dbms);
        built.countDown();

        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            Object one = db.executeTransactionally("RETURN 1 AS one", Map.of(), r -> r.next().get("one"));
            if (!Long.valueOf(1L).equals(one)) {
                throw new IllegalStateException("RETURN 1 gave " + one);
            }
        } catch (Throwable t) {
            say("NEO4J FAILED: the default database does not answer: " + t);
            t.printStackTrace(OUT);
            System.exit(1); // runs the hook, which shuts the DBMS down
            return;
        }

        long ms = (System.nanoTime() - t0) / 1_000_000;
        say("NEO4J READY bolt://" + HOST + ":" + port + " (" + ms + " ms, pid "
                + ProcessHandle.current().pid() + ", home " + home + ")");
        stopped.await();
    }

    private static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }
}
