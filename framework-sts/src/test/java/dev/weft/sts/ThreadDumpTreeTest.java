package dev.weft.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.testing.Await;
import dev.weft.testing.ThreadDump;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On the sts engine a scope is a container in the JSON thread dump ({@code jcmd <pid>
 * Thread.dump_to_file -format=json}; here the same dump in-process, through
 * {@code HotSpotDiagnosticMXBean.dumpThreads}): named after the scope, owned by the scope's owner,
 * holding exactly its subtask threads; a scope opened in a subtask is a child container owned by
 * that subtask. The core engine starts its threads in the root container, where none of this shows.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadDumpTreeTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The dump as {@code jcmd} writes it, with only what these tests read. */
    private record Dump(Body threadDump) {
    }

    private record Body(List<Container> threadContainers) {
    }

    /** One container of the dump: its name, its parent container's name and its owner's thread id (null for none). */
    private record Container(@JsonProperty("container") String name, String parent, String owner,
                             List<DumpedThread> threads) {
        Set<String> threadIds() {
            return threads.stream().map(DumpedThread::tid).collect(Collectors.toSet());
        }
    }

    private record DumpedThread(String tid) {
    }

    private static List<Container> containers() throws IOException {
        return JSON.readValue(ThreadDump.json(), Dump.class).threadDump().threadContainers();
    }

    /** The containers whose name is the scope's: the JDK names them NAME/identity. */
    private static List<Container> named(List<Container> all, String scopeName) {
        return all.stream().filter(c -> c.name().startsWith(scopeName + "/")).toList();
    }

    private static String tid(Thread thread) {
        return Long.toString(thread.threadId());
    }

    /** A scope is a container owned by its owner that holds its subtask threads; a nested scope is its child, owned by the subtask. */
    @Test
    void scopeTreeAppearsInTheThreadDump() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> outerThreads = ConcurrentHashMap.newKeySet();
        Set<Thread> innerThreads = ConcurrentHashMap.newKeySet();
        Thread[] nestingSubtask = new Thread[1];
        try (var scope = TaskScope.open(Joiner.<String>awaitAll(), c -> c.withName("dump-outer"))) {
            scope.fork(() -> {
                outerThreads.add(Thread.currentThread());
                Await.latch(release);
                return "leaf";
            });
            scope.fork(() -> {
                nestingSubtask[0] = Thread.currentThread();
                outerThreads.add(Thread.currentThread());
                try (var inner = TaskScope.open(Joiner.<String>awaitAll(), c -> c.withName("dump-inner"))) {
                    for (int i = 0; i < 2; i++) {
                        inner.fork(() -> {
                            innerThreads.add(Thread.currentThread());
                            Await.latch(release);
                            return "inner";
                        });
                    }
                    inner.join();
                }
                return "nesting";
            });
            Await.until("every subtask blocks", () -> outerThreads.size() == 2 && innerThreads.size() == 2
                    && outerThreads.stream().allMatch(Await::isBlocked) && innerThreads.stream().allMatch(Await::isBlocked));

            List<Container> all = containers();
            release.countDown();
            scope.join();

            assertThat(named(all, "dump-outer")).singleElement().satisfies(outer -> {
                assertThat(outer.owner()).isEqualTo(tid(Thread.currentThread()));
                assertThat(outer.threadIds()).containsExactlyInAnyOrderElementsOf(
                        outerThreads.stream().map(ThreadDumpTreeTest::tid).toList());
                assertThat(named(all, "dump-inner")).singleElement().satisfies(inner -> {
                    assertThat(inner.parent()).isEqualTo(outer.name());
                    assertThat(inner.owner()).isEqualTo(tid(nestingSubtask[0]));
                    assertThat(inner.threadIds()).containsExactlyInAnyOrderElementsOf(
                            innerThreads.stream().map(ThreadDumpTreeTest::tid).toList());
                });
            });
        }
        assertThat(named(containers(), "dump-outer")).as("the container ends with the scope").isEmpty();
    }

    /**
     * Under a concurrency limit the scope's container holds the dispatcher, owned by the owner, and
     * the dispatcher's container of the same name holds the running subtasks (queued ones have no thread).
     */
    @Test
    void limitedScopeShowsItsDispatcherAndRunningSubtasks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> running = ConcurrentHashMap.newKeySet();
        try (var scope = TaskScope.open(Joiner.<Integer>allSuccessful(),
                c -> c.withName("dump-limited").withConcurrencyLimit(2))) {
            for (int i = 0; i < 5; i++) {
                int k = i;
                scope.fork(() -> {
                    running.add(Thread.currentThread());
                    Await.latch(release);
                    return k;
                });
            }
            Await.until("two subtasks block", () -> running.size() == 2 && running.stream().allMatch(Await::isBlocked));

            List<Container> all = containers();
            List<String> runningIds = running.stream().map(ThreadDumpTreeTest::tid).toList();
            release.countDown();
            assertThat(scope.join()).containsExactly(0, 1, 2, 3, 4);

            List<Container> mine = named(all, "dump-limited");
            assertThat(mine).hasSize(2);
            Container outer = mine.stream().filter(c -> c.owner().equals(tid(Thread.currentThread()))).findFirst().orElseThrow();
            Container inner = mine.stream().filter(c -> c != outer).findFirst().orElseThrow();
            assertThat(inner.parent()).isEqualTo(outer.name());
            assertThat(outer.threadIds()).containsExactly(inner.owner());
            assertThat(inner.threadIds()).containsExactlyInAnyOrderElementsOf(runningIds);
        }
    }
}
