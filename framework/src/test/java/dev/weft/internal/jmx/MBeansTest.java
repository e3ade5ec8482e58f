package dev.weft.internal.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An MXBean's name, and a registration that never throws: a server that refuses every bean leaves
 * the caller with no name and no exception, which is how a pool carries on without its bean.
 */
class MBeansTest {

    /** A name an ObjectName value can hold bare stays bare; others are quoted; numbers from 2 are appended before quoting. */
    @Test
    void namesAreBareQuotedOrNumbered() throws Exception {
        assertThat(MBeans.objectName("Pool", "cpu-1", 1)).isEqualTo(new ObjectName("dev.weft:type=Pool,name=cpu-1"));
        assertThat(MBeans.objectName("Pool", "fetch", 2)).isEqualTo(new ObjectName("dev.weft:type=Pool,name=fetch#2"));
        for (String odd : List.of("a,b", "a=b", "a:b", "a\"b", "a*", "a?", "two\nlines")) {
            ObjectName name = MBeans.objectName("Pool", odd, 1);
            assertThat(name.getKeyProperty("name")).as(odd).isEqualTo(ObjectName.quote(odd));
            assertThat(ObjectName.unquote(name.getKeyProperty("name"))).isEqualTo(odd);
            assertThat(name.isPattern()).isFalse();
        }
        assertThat(ObjectName.unquote(MBeans.objectName("Pool", "a,b", 3).getKeyProperty("name"))).isEqualTo("a,b#3");
    }

    /** A server that throws on every registration (as a security manager or a broken JMX setup may) makes register return null, not throw. */
    @Test
    void aRefusedRegistrationReturnsNullAndThrowsNothing() {
        List<String> asked = new ArrayList<>();
        MBeanServer refusing = (MBeanServer) Proxy.newProxyInstance(MBeanServer.class.getClassLoader(),
                new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    asked.add(method.getName());
                    throw new SecurityException("no MBeans here");
                });
        assertThat(MBeans.register(refusing, new Object(), "Pool", "refused", () -> LoggerFactory.getLogger(MBeansTest.class)))
                .isNull();
        assertThat(asked).containsExactly("registerMBean");
    }
}
