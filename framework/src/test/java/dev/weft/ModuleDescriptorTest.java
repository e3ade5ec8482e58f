package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor exports the API package to all, and nothing else but the internal
 * SPI to its two users and the wire's codec to the cluster engine.
 */
class ModuleDescriptorTest {

    /**
     * Module dev.weft exports only dev.weft to everyone, the internal SPI only to dev.weft.sts and
     * dev.weft.hazelcast, the wire only to dev.weft.hazelcast, uses the engine and cluster services,
     * and needs only slf4j and java.management beyond java.base, and jdk.jfr where it is there.
     */
    @Test
    void exportsOnlyTheApiPackage() {
        ModuleReference reference = ModuleFinder.of(Path.of("target", "classes")).find("dev.weft").orElseThrow();
        ModuleDescriptor descriptor = reference.descriptor();

        assertThat(descriptor.exports()).hasSize(4);
        assertThat(descriptor.exports()).filteredOn(e -> !e.isQualified())
                .extracting(ModuleDescriptor.Exports::source).containsExactly("dev.weft");
        assertThat(descriptor.exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
                .extracting(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets)
                .containsExactlyInAnyOrder(
                        tuple("dev.weft.spi", Set.of("dev.weft.sts", "dev.weft.hazelcast")),
                        tuple("dev.weft.internal.wire", Set.of("dev.weft.hazelcast")),
                        tuple("dev.weft.internal.cluster", Set.of("dev.weft.hazelcast")));
        assertThat(descriptor.uses()).containsExactlyInAnyOrder("dev.weft.spi.EngineProvider",
                "dev.weft.spi.ClusterProvider");
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "java.management", "org.slf4j", "jdk.jfr");
        assertThat(descriptor.requires()).filteredOn(r -> r.name().equals("jdk.jfr"))
                .extracting(ModuleDescriptor.Requires::modifiers)
                .as("Flight Recorder only where it is there: see FlightRecorderModuleTest")
                .containsExactly(Set.of(ModuleDescriptor.Requires.Modifier.STATIC));
    }

    /** The library's classes are compiled for Java 21 (class file major version 65), not newer. */
    @Test
    void classFilesTargetJava21() throws Exception {
        try (var in = ModuleDescriptorTest.class.getClassLoader().getResourceAsStream("dev/weft/ScopeImpl.class")) {
            assertThat(in).isNotNull();
            byte[] header = in.readNBytes(8);
            int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            int minor = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
            assertThat(major).isEqualTo(65);
            assertThat(minor).as("no preview features").isZero();
        }
    }
}
