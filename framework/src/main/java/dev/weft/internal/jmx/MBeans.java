package dev.weft.internal.jmx;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;

/**
 * Registers Weft's MXBeans in the platform MBean server as {@code dev.weft:type=TYPE,name=NAME}, and
 * unregisters them, without ever throwing: a bean that cannot be registered is reported at debug
 * level and the caller carries on without it.
 *
 * <p>Names: a NAME that an {@link ObjectName} value cannot hold bare (it has {@code , = : " * ?} or
 * a line break) is quoted with {@link ObjectName#quote}; a NAME already registered gets {@code #2},
 * {@code #3}, ... appended, the first free, before it is quoted. Registering and unregistering go
 * straight to the server, which is thread-safe; this class keeps no state.
 */
public final class MBeans {
    /** The JMX domain of every Weft bean. */
    public static final String DOMAIN = "dev.weft";

    private MBeans() {
    }

    /**
     * Registers {@code bean} as {@code dev.weft:type=TYPE,name=NAME}, numbered if that is taken, and
     * returns the name it got; or, if it cannot be registered, says why to {@code log} at debug
     * level and returns null.
     */
    public static ObjectName register(Object bean, String type, String name, Supplier<Logger> log) {
        MBeanServer server;
        try {
            server = ManagementFactory.getPlatformMBeanServer();
        } catch (RuntimeException | LinkageError e) {
            return refused(type, name, e, log);
        }
        return register(server, bean, type, name, log);
    }

    /** {@link #register(Object, String, String, Supplier)} in {@code server}. */
    static ObjectName register(MBeanServer server, Object bean, String type, String name, Supplier<Logger> log) {
        try {
            for (int n = 1; ; n++) {
                ObjectName objectName = objectName(type, name, n);
                try {
                    server.registerMBean(bean, objectName);
                    return objectName;
                } catch (InstanceAlreadyExistsException taken) {
                    // another live bean has it: the next number
                }
            }
        } catch (JMException | RuntimeException | LinkageError e) {
            return refused(type, name, e, log);
        }
    }

    private static ObjectName refused(String type, String name, Throwable why, Supplier<Logger> log) {
        log.get().debug("the MXBean of {} '{}' is not registered, so JMX does not show it: {}", type, name, why.toString(), why);
        return null;
    }

    /**
     * Whether this JVM has an MBean server already: the platform one (which
     * {@code ManagementFactory.getPlatformMBeanServer()} makes through
     * {@link MBeanServerFactory#createMBeanServer()}, so that the factory knows it) or another.
     * Cheap, and never makes one.
     */
    public static boolean serverExists() {
        try {
            return !MBeanServerFactory.findMBeanServer(null).isEmpty();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Unregisters the bean {@link #register} registered as {@code objectName}; says why at debug level if it cannot. */
    public static void unregister(ObjectName objectName, Supplier<Logger> log) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (InstanceNotFoundException gone) {
            // someone unregistered it already
        } catch (JMException | RuntimeException | LinkageError e) {
            log.get().debug("the MXBean {} cannot be unregistered: {}", objectName, e.toString(), e);
        }
    }

    /** {@code dev.weft:type=TYPE,name=NAME}, the name numbered {@code #n} from 2 on, and quoted if it must be. */
    static ObjectName objectName(String type, String name, int n) throws MalformedObjectNameException {
        String value = n == 1 ? name : name + "#" + n;
        return new ObjectName(DOMAIN + ":type=" + type + ",name=" + (bare(value) ? value : ObjectName.quote(value)));
    }

    /** Whether {@code value} can stand unquoted as an ObjectName value. */
    private static boolean bare(String value) {
        for (int i = 0; i < value.length(); i++) {
            switch (value.charAt(i)) {
                case ',', '=', ':', '"', '*', '?', '\n', '\r' -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }
}
