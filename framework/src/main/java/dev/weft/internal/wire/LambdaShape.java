package dev.weft.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;

/**
 * What a lambda class's instances have in common: its {@link SerializedLambda} without the
 * captured values. The parent sends it once per lambda class ({@link SharedFunctions#captured},
 * {@link SharedFunctions#shareStateless}); in a worker, {@link ReceivedFunctions} turns it into a
 * {@link Factory}, or, for a lambda that captures nothing, into its one instance.
 *
 * <p>It crosses in a form of its own ({@link #encode}), not by Java serialization: a kind byte,
 * {@link #SHAPE} or {@link #INSTANCE} (a Java serialization stream begins with {@code 0xAC}, so the
 * first byte tells them apart), then the eight names in modified UTF-8 and the method kind. So a
 * worker whose first task is a lambda never starts Java serialization, whose first use costs a
 * cold worker about 20 ms (the JDK's filter configuration, logging and stream classes).
 */
record LambdaShape(String capturingClass, String functionalInterfaceClass, String functionalInterfaceMethodName,
                   String functionalInterfaceMethodSignature, int implMethodKind, String implClass,
                   String implMethodName, String implMethodSignature, String instantiatedMethodType) {
    /** The first byte of a shape whose lambdas capture values: the worker keeps a {@link Factory}. */
    static final byte SHAPE = 'S';
    /** The first byte of a shape whose lambdas capture nothing: the worker keeps the one instance. */
    static final byte INSTANCE = 'I';

    static LambdaShape of(SerializedLambda lambda) {
        return new LambdaShape(lambda.getCapturingClass(), lambda.getFunctionalInterfaceClass(),
                lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
                lambda.getImplMethodKind(), lambda.getImplClass(), lambda.getImplMethodName(),
                lambda.getImplMethodSignature(), lambda.getInstantiatedMethodType());
    }

    /** This shape's bytes on the wire, the first being {@code kind}, {@link #SHAPE} or {@link #INSTANCE}. */
    byte[] encode(byte kind) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            for (String name : new String[] {capturingClass, functionalInterfaceClass, functionalInterfaceMethodName,
                    functionalInterfaceMethodSignature, implClass, implMethodName, implMethodSignature,
                    instantiatedMethodType}) {
                out.writeUTF(name);     // a class file's names and descriptors fit: at most 65,535 bytes each
            }
            out.writeInt(implMethodKind);
        } catch (IOException e) {
            throw new UncheckedIOException(e);      // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Whether {@code bytes} hold a shape ({@link #encode}) rather than a Java serialization stream. */
    static boolean isShape(byte[] bytes) {
        return bytes.length > 0 && (bytes[0] == SHAPE || bytes[0] == INSTANCE);
    }

    /** The shape that {@link #encode} wrote into {@code bytes}, whatever its kind. */
    static LambdaShape decode(byte[] bytes) throws IOException {
        if (!isShape(bytes)) {
            throw new StreamCorruptedException("not a lambda shape: its first byte is " + (bytes.length == 0
                    ? "missing" : Integer.toHexString(bytes[0] & 0xff)));
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
        String capturing = in.readUTF(), functionalInterface = in.readUTF(), methodName = in.readUTF(),
                methodSignature = in.readUTF(), implClass = in.readUTF(), implMethodName = in.readUTF(),
                implMethodSignature = in.readUTF(), instantiated = in.readUTF();
        int implMethodKind = in.readInt();
        if (in.available() > 0) {
            throw new StreamCorruptedException("a lambda shape with " + in.available() + " bytes too many");
        }
        return new LambdaShape(capturing, functionalInterface, methodName, methodSignature, implMethodKind,
                implClass, implMethodName, implMethodSignature, instantiated);
    }

    /**
     * In a worker: makes the lambdas of one shape, given their captured values, as Java's
     * deserialization does: a {@link SerializedLambda} passed to the capturing class's
     * {@code $deserializeLambda$}, which javac writes into every class that has serializable
     * lambdas, and which checks the shape against the lambdas it knows.
     */
    record Factory(LambdaShape shape, Class<?> capturingClass, MethodHandle deserializer) {
        static Factory of(LambdaShape shape, ClassLoader loader) throws ReflectiveOperationException {
            Class<?> host = Class.forName(shape.capturingClass().replace('/', '.'), false, loader);
            Factory.class.getModule().addReads(host.getModule());
            MethodHandle deserializer = MethodHandles.privateLookupIn(host, MethodHandles.lookup())
                    .findStatic(host, "$deserializeLambda$", MethodType.methodType(Object.class, SerializedLambda.class));
            return new Factory(shape, host, deserializer);
        }

        Object make(Object[] captured) throws Throwable {
            return deserializer.invoke(new SerializedLambda(capturingClass, shape.functionalInterfaceClass(),
                    shape.functionalInterfaceMethodName(), shape.functionalInterfaceMethodSignature(),
                    shape.implMethodKind(), shape.implClass(), shape.implMethodName(), shape.implMethodSignature(),
                    shape.instantiatedMethodType(), captured));
        }
    }
}
