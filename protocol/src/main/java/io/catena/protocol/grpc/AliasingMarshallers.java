package io.catena.protocol.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.MessageLite;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Protobuf marshallers for bulk-data methods. gRPC's default parser copies a message above 4 MiB
 * through a 4 KiB stream buffer in many small pieces; these read a large message once into a fresh
 * array and let {@code bytes} fields alias it, so a 4 MiB chunk costs one copy on receipt. Sending
 * is unchanged. Use {@link #aliasing(MethodDescriptor)} on the client and {@link
 * #aliasing(ServerServiceDefinition)} on the server.
 */
public final class AliasingMarshallers {
  /** Below this, gRPC's own path (a reused thread-local array) is as good. */
  private static final int LARGE = 1024 * 1024;

  private AliasingMarshallers() {}

  public static <Q, R> MethodDescriptor<Q, R> aliasing(MethodDescriptor<Q, R> method) {
    return method.toBuilder(
            wrap(method.getRequestMarshaller()), wrap(method.getResponseMarshaller()))
        .build();
  }

  public static ServerServiceDefinition aliasing(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      b.addMethod(rewrap(m));
    }
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> rewrap(ServerMethodDefinition<Q, R> m) {
    return ServerMethodDefinition.create(
        aliasing(m.getMethodDescriptor()), m.getServerCallHandler());
  }

  @SuppressWarnings("unchecked")
  private static <T> MethodDescriptor.Marshaller<T> wrap(MethodDescriptor.Marshaller<T> m) {
    if (m instanceof MethodDescriptor.PrototypeMarshaller<T> p
        && p.getMessagePrototype() instanceof MessageLite prototype) {
      return (MethodDescriptor.Marshaller<T>)
          new Aliasing<>(prototype, (MethodDescriptor.Marshaller<MessageLite>) m);
    }
    return m;
  }

  private static final class Aliasing<T extends MessageLite>
      implements MethodDescriptor.PrototypeMarshaller<T> {
    private final T prototype;
    private final MethodDescriptor.Marshaller<T> fallback;

    Aliasing(T prototype, MethodDescriptor.Marshaller<T> fallback) {
      this.prototype = prototype;
      this.fallback = fallback;
    }

    @Override
    public T getMessagePrototype() {
      return prototype;
    }

    @Override
    public Class<T> getMessageClass() {
      @SuppressWarnings("unchecked")
      Class<T> c = (Class<T>) prototype.getClass();
      return c;
    }

    @Override
    public InputStream stream(T value) {
      return fallback.stream(value);
    }

    @Override
    public T parse(InputStream in) {
      try {
        if (in instanceof KnownLength && in.available() >= LARGE) {
          int size = in.available();
          byte[] bytes = new byte[size];
          int read = 0;
          while (read < size) {
            int n = in.read(bytes, read, size - read);
            if (n < 0) {
              throw new IOException("message ended after " + read + " of " + size + " bytes");
            }
            read += n;
          }
          CodedInputStream cis = CodedInputStream.newInstance(bytes, 0, size);
          cis.enableAliasing(true);
          cis.setSizeLimit(Integer.MAX_VALUE);
          @SuppressWarnings("unchecked")
          T message =
              (T)
                  prototype
                      .getParserForType()
                      .parseFrom(cis, ExtensionRegistryLite.getEmptyRegistry());
          cis.checkLastTagWas(0);
          return message;
        }
        return fallback.parse(in);
      } catch (IOException e) {
        throw Status.INTERNAL
            .withDescription("invalid protobuf message")
            .withCause(e)
            .asRuntimeException();
      }
    }
  }
}
