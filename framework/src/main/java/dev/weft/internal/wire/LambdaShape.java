package dev.weft.internal.wire;

import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;

/**
 * What a lambda class's instances have in common: its {@link SerializedLambda} without the
 * captured values. The parent sends it once per lambda class ({@link SharedFunctions#captured});
 * in a worker, {@link ReceivedFunctions} turns it into a {@link Factory}.
 */
record LambdaShape(String capturingClass, String functionalInterfaceClass, String functionalInterfaceMethodName,
                   String functionalInterfaceMethodSignature, int implMethodKind, String implClass,
                   String implMethodName, String implMethodSignature, String instantiatedMethodType)
        implements Serializable {
    static LambdaShape of(SerializedLambda lambda) {
        return new LambdaShape(lambda.getCapturingClass(), lambda.getFunctionalInterfaceClass(),
                lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
                lambda.getImplMethodKind(), lambda.getImplClass(), lambda.getImplMethodName(),
                lambda.getImplMethodSignature(), lambda.getInstantiatedMethodType());
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
