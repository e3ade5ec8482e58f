package dev.weft.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A {@link AllowList.Filter} checks its limits itself, and remembers what its class patterns say
 * of each class: it must decide exactly as the JDK's pattern filter of the same patterns does.
 */
class FilterLimitsTest {

    private record Info(Class<?> serialClass, long arrayLength, long depth, long references, long streamBytes)
            implements ObjectInputFilter.FilterInfo {
    }

    /** Every combination of values at, under and over each limit, and negative ones, as the JDK decides it. */
    @Test
    void limitsDecideAsTheJdksPatternFilter() {
        List<String> limitSets = List.of(AllowList.DEFAULT_LIMITS,
                "maxdepth=3;maxrefs=5;maxarray=7;maxbytes=100",
                "maxdepth=0;maxrefs=0;maxarray=0;maxbytes=0",
                "maxarray=7",                                   // the others unlimited
                "maxdepth=9;maxdepth=3;maxrefs=5;maxarray=7;maxbytes=100");   // the last of a name holds
        List<Class<?>> types = Arrays.asList(null, String.class, Object[].class, int[].class, String[][].class);
        long[] depths = {-1, 0, 1, 3, 4, 20, 21};
        long[] references = {-1, 0, 5, 6};
        long[] bytes = {-1, 0, 100, 101};
        long[] lengths = {-1, 0, 7, 8};
        int rejected = 0;
        int checked = 0;
        for (String limits : limitSets) {
            AllowList.Filter filter = new AllowList.Filter(AllowList.pattern(limits, List.of()), false, "hint", "limits");
            ObjectInputFilter jdk = ObjectInputFilter.Config.createFilter(limits);
            for (Class<?> type : types) {
                for (long depth : depths) {
                    for (long refs : references) {
                        for (long size : bytes) {
                            for (long length : lengths) {
                                Info info = new Info(type, length, depth, refs, size);
                                String[] why = new String[1];
                                boolean weft = filter.check(info, Set.of(), why) == Status.REJECTED;
                                boolean expected = jdk.checkInput(info) == Status.REJECTED;
                                assertThat(weft).as("%s under %s", info, limits).isEqualTo(expected);
                                if (weft) {
                                    assertThat(why[0]).startsWith("the stream exceeds the deserialization limits");
                                    rejected++;
                                }
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(rejected).isPositive().isLessThan(checked);
    }

    /** A malformed limit is refused when the filter is made, as the JDK's pattern filter refuses it. */
    @Test
    void badLimitsAreRefusedAsTheJdkRefusesThem() {
        for (String limit : List.of("maxdepth=-1", "maxfoo=1", "maxdepth=x", "maxdepth=", "maxrefs=1;maxarray=-5")) {
            assertThatThrownBy(() -> ObjectInputFilter.Config.createFilter(limit))
                    .as("the JDK, %s", limit).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new AllowList.Filter(AllowList.pattern(limit, List.of()), false, "hint", "limits"))
                    .as("Weft, %s", limit).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The class patterns' answer, asked again and again (it is remembered), stays the JDK's. */
    @Test
    void classesDecideAsTheJdksPatternFilterEachTimeTheyAreAsked() {
        String classes = "java.lang.*;com.example.**;!*";
        AllowList.Filter filter = new AllowList.Filter(AllowList.DEFAULT_LIMITS + ";" + classes, false, "hint", null);
        ObjectInputFilter jdk = ObjectInputFilter.Config.createFilter(AllowList.DEFAULT_LIMITS + ";" + classes);
        List<Class<?>> types = new ArrayList<>(List.of(String.class, Integer.class, java.util.List.class,
                java.util.concurrent.Future.class, Status.class, Info.class, AllowList.class, int[].class,
                String[].class, java.util.Map[].class));
        for (int round = 0; round < 3; round++) {
            for (Class<?> type : types) {
                Info info = new Info(type, type.isArray() ? 1 : -1, 1, 1, 10);
                boolean weft = filter.check(info, Set.of(), new String[1]) == Status.REJECTED;
                boolean expected = jdk.checkInput(info) != Status.ALLOWED && !isPrimitiveArray(type);
                assertThat(weft).as("%s, round %d", type, round).isEqualTo(expected);
            }
        }
    }

    /**
     * A pool's filter, whose patterns begin with {@code java.**} and {@code dev.weft.**}, answers
     * those classes itself, without the JDK's pattern filter (a worker whose streams hold only such
     * classes never makes it), and every class as that filter would.
     */
    @Test
    void aPoolsFilterDecidesAsTheJdksPatternFilterWhetherOrNotItAsksIt() throws Exception {
        String pattern = AllowList.pattern(List.of("com.example.weft.*"));
        AllowList.Filter filter = AllowList.Filter.checkedBefore(pattern, false, "hint", null);
        ObjectInputFilter jdk = ObjectInputFilter.Config.createFilter(pattern);
        List<Class<?>> types = new ArrayList<>(List.of(String.class, java.util.List.class, Object[].class,
                int[][].class, AllowList.class, dev.weft.Pool.class, Info.class, javax.management.ObjectName.class,
                org.slf4j.Logger.class, Class.forName("com.example.weft.Programs"),
                Class.forName("com.example.weft.Programs$Output")));
        for (Class<?> type : types) {
            Info info = new Info(type, type.isArray() ? 1 : -1, 1, 1, 10);
            boolean weft = filter.check(info, Set.of(), new String[1]) == Status.REJECTED;
            boolean expected = jdk.checkInput(info) != Status.ALLOWED && !isPrimitiveArray(type);
            assertThat(weft).as("%s", type).isEqualTo(expected);
        }
        assertThat(filter.check(new Info(org.slf4j.Logger.class, -1, 1, 1, 10), Set.of(), new String[1]))
                .as("a class no pattern allows").isEqualTo(Status.REJECTED);
    }

    private static boolean isPrimitiveArray(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return type.isPrimitive();
    }
}
