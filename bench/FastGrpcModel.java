import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.StreamObserver;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.net.InetSocketAddress;

/**
 * The benchmark's minimal gRPC "model": answers seldon.protos.Model/Predict with a fixed message.
 * Run with the engine jar on the classpath: java -cp engine.jar bench/FastGrpcModel.java PORT
 */
public class FastGrpcModel {
  public static void main(String[] args) throws Exception {
    SeldonMessage answer = SeldonMessage.newBuilder().setData(DefaultData.newBuilder().addNames("p")
        .setTensor(Tensor.newBuilder().addShape(1).addShape(1).addValues(0.9))).build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))
        .directExecutor()
        .addService(new ModelGrpc.ModelImplBase() {
          @Override
          public void predict(SeldonMessage request, StreamObserver<SeldonMessage> out) {
            out.onNext(answer);
            out.onCompleted();
          }
        })
        .addService(ProtoReflectionServiceV1.newInstance())
        .build().start();
    System.out.println("fast gRPC model on " + server.getPort());
    server.awaitTermination();
  }
}
