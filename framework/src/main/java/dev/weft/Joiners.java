package dev.weft;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The built-in join policies. Each keeps its subtasks in a list that only the owner touches (in
 * {@code onFork} and {@code result}); failures arrive from subtask threads, so they go through
 * atomics. The scope guarantees that every {@code onComplete} happens-before {@code result}.
 */
final class Joiners {
    /** The predicate of {@link TaskScope.Joiner#awaitAll()}: cancel for nothing. */
    static final Predicate<Subtask<?>> NEVER = subtask -> false;

    private Joiners() {
    }

    /**
     * How a scope's events name its policy: the factory's name for a built-in one
     * ({@code allSuccessful}), the class name for the caller's own.
     */
    static String nameOf(Joiner<?, ?> joiner) {
        return joiner.getClass().getEnclosingClass() == Joiners.class ? joiner.toString() : joiner.getClass().getName();
    }

    /**
     * What every built-in policy is: one that serves one scope. The scope takes it as it opens
     * ({@link #bind}, in the opening thread), and a second scope opened with it is refused, since
     * the policy still holds the first scope's subtasks and failures.
     */
    abstract static class SingleUse {
        private static final VarHandle BOUND;

        static {
            try {
                BOUND = MethodHandles.lookup().findVarHandle(SingleUse.class, "bound", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Set once, by the thread that opens a scope with this policy; a CAS, so two opens race safely. */
        @SuppressWarnings("unused")
        private volatile boolean bound;

        /** Takes this policy for a scope being opened; throws if a scope already has it. */
        final void bind() {
            if (!BOUND.compareAndSet(this, false, true)) {
                String factory = "Joiner." + this + (this instanceof AwaitAll<?> a && a.cancelWhen != NEVER ? "(cancelWhen)" : "()");
                throw new IllegalStateException("this " + factory + " policy already serves a scope, and a policy "
                        + "serves one scope only (it keeps that scope's subtasks and failures): call " + factory
                        + " again for each scope you open");
            }
        }
    }

    /** Collects failures in the order they happen; the first one is the one to report. */
    private static final class Failures {
        private final AtomicReference<Throwable> first = new AtomicReference<>();
        private final ConcurrentLinkedQueue<Throwable> later = new ConcurrentLinkedQueue<>();

        void add(Throwable t) {
            if (!first.compareAndSet(null, t)) {
                later.add(t);
            }
        }

        boolean isEmpty() {
            return first.get() == null;
        }

        /**
         * The failures as one exception. A failure that is itself a {@link FailedException}, as a
         * subtask whose own scope failed throws, counts as the failures it holds: the first is
         * passed on as it is if it is the only one, and otherwise every one is flattened into one
         * wrapper. A wrapper never wraps another.
         */
        FailedException toException(String message) {
            List<Throwable> all = new ArrayList<>();
            all.add(first.get());
            all.addAll(later);
            return FailedException.of(message, all);
        }
    }

    static final class AllSuccessful<T> extends SingleUse implements Joiner<T, List<T>> {
        private final List<Subtask<? extends T>> subtasks = new ArrayList<>();
        private final Failures failures = new Failures();

        @Override
        public void onFork(Subtask<? extends T> subtask) {
            subtasks.add(subtask);
        }

        @Override
        public boolean onComplete(Subtask<? extends T> subtask) {
            if (subtask.state() == Future.State.FAILED) {
                failures.add(subtask.exception());
                return true;
            }
            return false;
        }

        @Override
        public List<T> result() {
            if (!failures.isEmpty()) {
                throw failures.toException("a subtask failed");
            }
            List<T> results = new ArrayList<>(subtasks.size());
            for (Subtask<? extends T> subtask : subtasks) {
                results.add(subtask.get());
            }
            return java.util.Collections.unmodifiableList(results);
        }

        @Override
        public String toString() {
            return "allSuccessful";
        }
    }

    static final class AnySuccessful<T> extends SingleUse implements Joiner<T, T> {
        private final AtomicReference<Subtask<? extends T>> winner = new AtomicReference<>();
        private final Failures failures = new Failures();
        private int forked;

        @Override
        public void onFork(Subtask<? extends T> subtask) {
            forked++;
        }

        @Override
        public boolean onComplete(Subtask<? extends T> subtask) {
            return switch (subtask.state()) {
                case SUCCESS -> {
                    winner.compareAndSet(null, subtask);
                    yield true;
                }
                case FAILED -> {
                    failures.add(subtask.exception());
                    yield false;
                }
                default -> false;
            };
        }

        @Override
        public T result() {
            Subtask<? extends T> first = winner.get();
            if (first != null) {
                return first.get();
            }
            if (forked == 0) {
                throw new FailedException("no subtask succeeded",
                        new NoSuchElementException("no subtask was forked"));
            }
            if (failures.isEmpty()) {
                throw new FailedException("no subtask succeeded",
                        new NoSuchElementException("every subtask was cancelled"));
            }
            throw failures.toException("every subtask failed");
        }

        @Override
        public String toString() {
            return "anySuccessful";
        }
    }

    static final class AwaitAll<T> extends SingleUse implements Joiner<T, List<Subtask<T>>> {
        private final Predicate<? super Subtask<? extends T>> cancelWhen;
        private final List<Subtask<T>> subtasks = new ArrayList<>();

        AwaitAll(Predicate<? super Subtask<? extends T>> cancelWhen) {
            this.cancelWhen = cancelWhen;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onFork(Subtask<? extends T> subtask) {
            // Safe: a Subtask only produces T values, so Subtask<U extends T> is usable as Subtask<T>.
            subtasks.add((Subtask<T>) subtask);
        }

        @Override
        public boolean onComplete(Subtask<? extends T> subtask) {
            return cancelWhen.test(subtask);
        }

        @Override
        public List<Subtask<T>> result() {
            return List.copyOf(subtasks);
        }

        @Override
        public String toString() {
            return cancelWhen == NEVER ? "awaitAll" : "allUntil";
        }
    }
}
