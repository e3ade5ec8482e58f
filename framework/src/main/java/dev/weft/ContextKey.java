package dev.weft;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A typed key for a value that a scope's owner hands to the scope's subtasks, and to the subtasks
 * of every scope nested inside them: an explicit context that flows down the scope tree, not
 * sideways. Values are bound when a scope is opened and never change.
 *
 * <pre>{@code
 * static final ContextKey<String> REQUEST_ID = ContextKey.named("requestId");
 *
 * try (var scope = TaskScope.open(Joiner.allSuccessful(), c -> c.with(REQUEST_ID, "r-42"))) {
 *     scope.fork(() -> log(REQUEST_ID.get()));   // "r-42"
 *     scope.join();
 * }
 * }</pre>
 *
 * <p>A thread sees the bindings of the innermost scope it belongs to: a subtask thread those of
 * the scope that forked it, an owner those of the innermost scope it has open. On JDK 25 the
 * JDK's {@code ScopedValue} is the general tool for this; {@code ContextKey} works on any JDK 21+.
 * Keys compare by identity. Instances are immutable and thread-safe.
 *
 * @param <T> the type of the value
 * @since 0.1
 */
public final class ContextKey<T> {
    private final String name;

    private ContextKey(String name) {
        this.name = name;
    }

    /**
     * Creates a key; the name only serves messages and {@link #toString()}.
     *
     * @param <T> the type of the value
     * @param name a name for messages; keys of the same name are still different keys
     * @return a new key, bound nowhere yet
     * @throws NullPointerException if {@code name} is null
     */
    public static <T> ContextKey<T> named(String name) {
        return new ContextKey<>(Objects.requireNonNull(name, "name"));
    }

    /**
     * Returns the value bound to this key for the current thread.
     *
     * @return the value given by the innermost enclosing scope that binds this key; never null
     * @throws NoSuchElementException if no enclosing scope binds it
     */
    public T get() {
        Bindings.Entry entry = ScopeStructure.currentBindings().find(this);
        if (entry == null) {
            throw new NoSuchElementException("context key '" + name + "' is not bound for "
                    + Thread.currentThread() + "; bind it with TaskScope.open(joiner, c -> c.with(key, value))");
        }
        @SuppressWarnings("unchecked")
        T value = (T) entry.value;
        return value;
    }

    /**
     * Returns the value bound to this key for the current thread, or {@code other} (which may be
     * null) if none is.
     *
     * @param other what to return if no enclosing scope binds this key
     * @return the bound value, or {@code other}
     */
    public T orElse(T other) {
        Bindings.Entry entry = ScopeStructure.currentBindings().find(this);
        @SuppressWarnings("unchecked")
        T value = entry == null ? other : (T) entry.value;
        return value;
    }

    /** {@return whether an enclosing scope binds this key for the current thread} */
    public boolean isBound() {
        return ScopeStructure.currentBindings().find(this) != null;
    }

    @Override
    public String toString() {
        return "ContextKey[" + name + "]";
    }

    /**
     * An immutable list of bindings, newest first; a child scope's bindings extend its parent's.
     * Lookups walk the list: scopes bind a handful of keys, so a list beats a map.
     */
    static final class Bindings {
        static final Bindings EMPTY = new Bindings(null);

        private final Entry head;

        private Bindings(Entry head) {
            this.head = head;
        }

        <V> Bindings with(ContextKey<V> key, V value) {
            Objects.requireNonNull(key, "key");
            return new Bindings(new Entry(key, value, head));
        }

        /** Returns these bindings on top of {@code parent}'s: ours win where both bind a key. */
        Bindings over(Bindings parent) {
            if (head == null) {
                return parent;
            }
            if (parent.head == null) {
                return this;
            }
            Bindings result = parent;
            for (Entry e = reversed(head); e != null; e = e.next) {
                result = new Bindings(new Entry(e.key, e.value, result.head));
            }
            return result;
        }

        Entry find(ContextKey<?> key) {
            for (Entry e = head; e != null; e = e.next) {
                if (e.key == key) {
                    return e;
                }
            }
            return null;
        }

        private static Entry reversed(Entry list) {
            Entry out = null;
            for (Entry e = list; e != null; e = e.next) {
                out = new Entry(e.key, e.value, out);
            }
            return out;
        }

        static final class Entry {
            final ContextKey<?> key;
            final Object value;
            final Entry next;

            Entry(ContextKey<?> key, Object value, Entry next) {
                this.key = key;
                this.value = value;
                this.next = next;
            }
        }
    }
}
