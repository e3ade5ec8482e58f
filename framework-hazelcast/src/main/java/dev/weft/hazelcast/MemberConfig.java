package dev.weft.hazelcast;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import dev.weft.internal.wire.AllowList;
import dev.weft.spi.ClusterProvider;
import java.io.ObjectInputFilter;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hazelcast member's configuration from a pool's {@link ClusterProvider.Settings}: explicit TCP/IP join
 * only, bound to one address, no phone-home, Weft's deserialization allow-list (for Hazelcast's
 * own Java deserialization, and for the tasks Weft reads itself), SLF4J logging.
 */
final class MemberConfig {
    private static final AtomicInteger MEMBERS = new AtomicInteger();
    /** The factory id of Weft's Hazelcast-serialized classes ({@link RemoteCall}, {@link Batches.Cancel}). */
    static final int FACTORY_ID = 0x57_45_46_54;       // "WEFT"
    static final DataSerializableFactory FACTORY = id -> switch (id) {
        case RemoteCall.CLASS_ID -> new RemoteCall(false);
        case RemoteCall.BATCH_CLASS_ID -> new RemoteCall(true);
        case Batches.Cancel.CLASS_ID -> new Batches.Cancel();
        default -> null;
    };
    /**
     * The member attribute by which a member says that it reads batches of tasks ({@link RemoteCall},
     * {@link Batches}): a member started by an earlier Weft lacks it, and is sent tasks one by one.
     */
    static final String BATCHES = "weft.batches";
    /** The allow-list of each member Weft configured, by instance name: what it reads of the tasks it is sent. */
    private static final Map<String, ObjectInputFilter> FILTERS = new ConcurrentHashMap<>();
    private static final ObjectInputFilter DEFAULT_FILTER = AllowList.filter(List.of());
    /**
     * The context class loader of the thread that configured each member, by instance name: where
     * the member looks up a task's classes first. A single-file program's classes exist
     * only in such a loader, so a member in their JVM finds them there. Weak: a member's record does
     * not keep an application's loader alive.
     */
    private static final Map<String, WeakReference<ClassLoader>> LOADERS = new ConcurrentHashMap<>();

    private MemberConfig() {
    }

    /** The allow-list of {@code member}: its configuration's, as it was started. */
    static ObjectInputFilter filterOf(HazelcastInstance member) {
        return FILTERS.getOrDefault(member.getName(), DEFAULT_FILTER);
    }

    /** Where {@code member} looks up a task's classes before the JDK's rule, or null. */
    static ClassLoader loaderOf(HazelcastInstance member) {
        WeakReference<ClassLoader> loader = LOADERS.get(member.getName());
        return loader == null ? null : loader.get();
    }

    static Config of(ClusterProvider.Settings c) {
        Config config = new Config();
        config.setInstanceName(c.memberName() != null ? c.memberName() : "weft-member-" + MEMBERS.incrementAndGet());
        FILTERS.put(config.getInstanceName(), AllowList.filter(c.allowedClasses()));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader != null) {
            LOADERS.put(config.getInstanceName(), new WeakReference<>(loader));
        } else {
            LOADERS.remove(config.getInstanceName());
        }
        config.getSerializationConfig().addDataSerializableFactory(FACTORY_ID, FACTORY);
        config.getMemberAttributeConfig().setAttribute(BATCHES, "1");
        config.setClusterName(c.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        long seconds = Math.max(2, c.memberTimeout().plusNanos(999_999_999).toSeconds());   // rounded up
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(seconds));
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        // A new member waits this long for others to join before it forms its cluster (default 5 s).
        config.setProperty("hazelcast.wait.seconds.before.join", "0");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(c.port()).setPortAutoIncrement(true).setPortCount(100);
        String address = addressOf(c.host());
        network.getInterfaces().setEnabled(true).addInterface(address);
        network.setPublicAddress(address);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
        c.members().forEach(join.getTcpIpConfig()::addMember);

        ClassFilter allowed = new ClassFilter().addPrefixes("java.", "dev.weft.");
        for (String pattern : c.allowedClasses()) {
            if (pattern.endsWith(".**")) {
                allowed.addPrefixes(pattern.substring(0, pattern.length() - 2));
            } else if (pattern.endsWith(".*")) {
                allowed.addPackages(pattern.substring(0, pattern.length() - 2));
            } else {
                allowed.addClasses(pattern);
            }
        }
        config.getSerializationConfig().setJavaSerializationFilterConfig(
                new JavaSerializationFilterConfig().setWhitelist(allowed));
        return config;
    }

    /** The address of {@code host}, which must be this machine's: the member binds to it. */
    private static String addressOf(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the cluster host '" + host + "' is not a known host name or address; "
                    + "pass this machine's address on the members' network to withHost", e);
        }
        boolean local;
        try {
            local = address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = true;       // cannot tell: let the member try, and say what it finds
        }
        if (!local) {
            throw new IllegalArgumentException("the cluster host '" + host + "' (" + address.getHostAddress()
                    + ") is not an address of this machine, and a member binds to the address it is given: pass "
                    + "this machine's address on the members' network to withHost (this machine's: " + localAddresses()
                    + "), and the other members' addresses to withMembers");
        }
        return address.getHostAddress();
    }

    /** This machine's addresses, loopback ones included, for a message. */
    private static String localAddresses() {
        try {
            List<String> all = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    all.add(a.getHostAddress());
                }
            }
            return String.join(", ", all);
        } catch (SocketException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
